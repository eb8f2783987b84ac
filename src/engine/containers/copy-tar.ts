/**
 * `docker cp` with `-`: the container side as a tar stream. Out: the source
 * path as a tar whose entries are named from the source's base name (what
 * the daemon's archive endpoint sends). In: a tar from stdin extracted into
 * a container directory, through the container's view (copy-up, symlinks
 * confined to the container).
 */
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import { FsError, type FsStat } from '../../storage/backend.js';
import { encodeHeader, padding, TRAILER, type TarHeader, type TypeFlag } from '../../storage/tar/header.js';
import { parseTar, type TarEntry, type TarVisitor } from '../../storage/tar/reader.js';
import { DaemonError, MydockError } from '../errors.js';
import { noSuchPathInContainer } from './copy.js';

const TYPE_BITS: Record<string, number> = { dir: 0o040000, file: 0o100000, symlink: 0o120000 };

function header(name: string, st: FsStat, linkname: string): TarHeader {
  const flag: TypeFlag = st.type === 'dir' ? '5' : st.type === 'symlink' ? '2' : '0';
  return {
    name: st.type === 'dir' ? `${name}/` : name,
    typeflag: flag,
    mode: (TYPE_BITS[st.type] ?? 0) | (st.mode & 0o7777),
    uid: st.uid,
    gid: st.gid,
    size: flag === '0' ? st.size : 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname,
    // Docker's archive names the owner as the container's user database does; mydock knows root.
    ...(st.uid === 0 ? { uname: 'root' } : {}),
    ...(st.gid === 0 ? { gname: 'root' } : {}),
    devmajor: 0,
    devminor: 0,
  };
}

/** The tar of `src` in the container, as chunks. */
export function* tarOut(pfs: ProcessFs, src: string, containerName: string, followLink: boolean): Generator<Buffer> {
  const p = src.startsWith('/') ? src : `/${src}`;
  const st = followLink ? pfs.tryStat(p) : pfs.tryLstat(p);
  if (!st) throw noSuchPathInContainer(p, containerName);
  const base = p.replace(/\/+$/, '').split('/').pop() || '.';
  function* walk(path: string, name: string, s: FsStat): Generator<Buffer> {
    yield encodeHeader(header(name, s, s.type === 'symlink' ? pfs.readlink(path) : ''));
    if (s.type === 'file' && s.size > 0) {
      const data = pfs.readFile(path);
      yield data;
      const pad = padding(data.length);
      if (pad > 0) yield Buffer.alloc(pad);
    } else if (s.type === 'dir') {
      for (const child of pfs.readdir(path)) {
        const cp = `${path === '/' ? '' : path}/${child}`;
        yield* walk(cp, `${name}/${child}`, pfs.lstat(cp));
      }
    }
  }
  yield* walk(p, base, st);
  yield TRAILER;
}

/** Extracts a tar into the container directory `dest`. */
export async function tarIn(pfs: ProcessFs, dest: string, source: AsyncIterable<Buffer>): Promise<void> {
  const root = dest.startsWith('/') ? dest : `/${dest}`;
  const st = pfs.tryStat(root);
  if (!st) throw new DaemonError(`Could not find the file ${root} in container`, 'NO_SUCH_PATH');
  if (st.type !== 'dir') throw new DaemonError(`extraction point is not a directory`, 'NOT_DIR');
  let current: { entry: TarEntry; path: string; chunks: Buffer[] } | null = null;
  const finish = (): void => {
    if (!current) return;
    const { entry, path, chunks } = current;
    current = null;
    const mode = entry.mode & 0o7777;
    if (entry.typeflag === '5') {
      if (!pfs.exists(path)) pfs.mkdir(path, { mode, recursive: true });
    } else if (entry.typeflag === '2') {
      if (pfs.tryLstat(path)) pfs.rm(path, { force: true });
      pfs.symlink(entry.linkname, path);
      return;
    } else if (entry.typeflag === '0' || entry.typeflag === '\0' || entry.typeflag === '') {
      pfs.writeFile(path, Buffer.concat(chunks), { mode });
    } else return;
    pfs.chmod(path, mode);
    pfs.chown(path, entry.uid, entry.gid, { noFollow: true });
    pfs.utimes(path, entry.mtimeMs, entry.mtimeMs);
  };
  let entries = 0;
  const visitor: TarVisitor = {
    entry(entry) {
      // Names are relative to the destination; ".." cannot climb out of the container (the view confines it).
      const clean = entry.name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      entries++;
      current = { entry, path: clean === '' || clean === '.' ? root : `${root === '/' ? '' : root}/${clean}`, chunks: [] };
    },
    data(chunk) {
      current?.chunks.push(chunk);
    },
    endEntry() {
      finish();
    },
    trailer() {},
  };
  try {
    await parseTar(source, visitor);
  } catch (err) {
    // Failures of the extraction itself (a read-only mount...) are reported as they are; only a bad stream is "unexpected EOF".
    if (err instanceof FsError || err instanceof MydockError) throw err;
    throw badTar();
  }
  // Text that is not a tar has no entry before its end: Docker's untar reports the same.
  if (entries === 0) throw badTar();
}

const badTar = (): DaemonError => new DaemonError('Error processing tar file(exit status 1): unexpected EOF', 'BAD_TAR');
