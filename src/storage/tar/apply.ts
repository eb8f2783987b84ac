/**
 * Extracting a layer tar into a layer's own tree, as moby's UnpackLayer does,
 * with every path kept inside the layer:
 * - names are cleaned like Go's filepath.Clean; an absolute name is relative
 *   to the layer root; a name that climbs out (`../x`) is refused;
 * - a directory component that is a symlink in the layer is refused (Docker
 *   would follow it inside a chroot; mydock never follows links while writing);
 * - hard link targets must be inside the layer and already extracted;
 *   relative symlink targets that climb above the root are refused, as Docker
 *   refuses them (absolute ones are fine: they resolve inside the container);
 * - `.wh.<name>` deletes, `.wh..wh..opq` hides the lower contents. A driver
 *   that stores changes in the OCI form (overlay2) keeps them as files; one
 *   that stores full trees (vfs) applies them.
 * Refusal throws a StorageError("BREAKOUT") before anything is written for
 * that entry.
 */
import type { Readable } from 'node:stream';
import { FsError, type FileHandle } from '../backend.js';
import { breakout, StorageError } from '../errors.js';
import type { HostDirBackend } from '../host-dir.js';
import { childPath, parentOf, baseName } from '../paths.js';
import { WHITEOUT_META_PREFIX, WHITEOUT_OPAQUE_DIR, WHITEOUT_PREFIX, whiteoutFor } from '../whiteout.js';
import { parseTar, type TarEntry } from './reader.js';

export type WhiteoutPolicy = 'store' | 'apply';

/**
 * A link or symlink the layer refused, naming both ends as Go's *LinkError
 * does ("symlink  /x: no such file or directory" for an empty target).
 */
export class LinkFsError extends FsError {
  constructor(
    code: FsError['code'],
    /** The link target as the archive gave it. */
    readonly oldname: string,
    newname: string,
    syscall: 'link' | 'symlink',
  ) {
    super(code, newname, syscall);
  }
}

function linkRefused<T>(oldname: string, newname: string, syscall: 'link' | 'symlink', fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FsError && !(err instanceof LinkFsError) && err.code !== 'ENOTDIR') throw new LinkFsError(err.code, oldname, newname, syscall);
    throw err;
  }
}

/** Go's filepath.Clean on a relative-or-absolute tar name; null when it climbs out of the root. */
export function cleanEntryName(name: string): string | null {
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) {
        if (name.startsWith('/')) continue; // "/.." is "/"
        return null;
      }
      out.pop();
    } else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Removes whatever is at `p` in the layer tree, recursively. */
export function removeAll(target: HostDirBackend, p: string): void {
  const st = target.lstat(p);
  if (!st) return;
  if (st.type === 'dir') {
    for (const name of target.readdir(p)) removeAll(target, childPath(p, name));
    if (p !== '/') target.rmdir(p);
  } else target.unlink(p);
}

export interface ApplyOptions {
  whiteouts: WhiteoutPolicy;
  /** Called with each chunk of the raw stream (hashing while extracting). */
  onChunk?: (chunk: Buffer) => void;
  /** Gets each entry with its raw header bytes and body checksum input (tar-split). */
  visitor?: {
    entry(entry: TarEntry, raw: Buffer): void;
    data(chunk: Buffer): void;
    endEntry(padding: Buffer): void;
    trailer(raw: Buffer): void;
  };
}

export async function applyTar(target: HostDirBackend, tar: Readable | AsyncIterable<Buffer>, options: ApplyOptions): Promise<void> {
  const dirs: { path: string; mtimeMs: number }[] = [];
  const unpacked = new Set<string>();
  let handle: FileHandle | null = null;
  let handlePath = '';
  let pos = 0;

  const guard = <T>(name: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      // A symlink or file where a directory should be: never written through.
      if (err instanceof FsError && err.code === 'ENOTDIR') throw breakout(name, 'has a non-directory component inside the layer');
      throw err;
    }
  };

  const ensureParent = (name: string, p: string): void => {
    const parent = parentOf(p);
    if (parent === '/' || target.lstat(parent)) {
      guard(name, () => target.hostPath(p, 'mkdir'));
      const pst = target.lstat(parent);
      if (pst && pst.type !== 'dir') throw breakout(name, 'has a non-directory component inside the layer');
      return;
    }
    ensureParent(name, parent);
    guard(name, () => target.mkdir(parent, 0o755));
  };

  const onEntry = (e: TarEntry): void => {
    const p = cleanEntryName(e.name);
    if (p === null) throw breakout(e.name, 'is outside of the layer');
    const base = baseName(p);
    if (p !== '/') ensureParent(e.name, p);

    if (base.startsWith(WHITEOUT_PREFIX)) {
      if (base === WHITEOUT_OPAQUE_DIR) {
        const dir = parentOf(p);
        if (options.whiteouts === 'apply') {
          const st = target.lstat(dir);
          if (st?.type === 'dir') {
            for (const name of target.readdir(dir)) {
              const c = childPath(dir, name);
              if (!unpacked.has(c)) removeAll(target, c);
            }
          }
          return;
        }
      } else if (base.startsWith(WHITEOUT_META_PREFIX)) {
        return; // AUFS metadata (.wh..wh.plnk and friends): never part of the tree
      } else {
        const victim = childPath(parentOf(p), base.slice(WHITEOUT_PREFIX.length));
        guard(e.name, () => removeAll(target, victim));
        if (options.whiteouts === 'apply') return;
      }
    } else if (options.whiteouts === 'store' && p !== '/') {
      const wh = childPath(parentOf(p), whiteoutFor(base));
      if (target.lstat(wh)) target.unlink(wh);
    }

    const existing = target.lstat(p);
    if (existing && !(existing.type === 'dir' && e.typeflag === '5')) removeAll(target, p);

    switch (e.typeflag) {
      case '5':
        if (!existing || existing.type !== 'dir') target.mkdir(p, e.mode & 0o7777);
        break;
      case '0':
        handle = target.open(p, { write: true, create: true, truncate: true, mode: e.mode & 0o7777 });
        handlePath = p;
        pos = 0;
        break;
      case '2':
        if (!e.linkname.startsWith('/') && climbsOut(parentOf(p), e.linkname)) {
          throw breakout(e.name, `has a symlink target ${JSON.stringify(e.linkname)} outside of the layer`);
        }
        linkRefused(e.linkname, p, 'symlink', () => target.symlink(e.linkname, p));
        break;
      case '1': {
        const from = cleanEntryName(e.linkname);
        if (from === null) throw breakout(e.name, `links to ${JSON.stringify(e.linkname)}, outside of the layer`);
        const fst = guard(e.name, () => target.lstat(from));
        if (!fst) throw new StorageError('INVALID_TAR', `hard link target ${JSON.stringify(e.linkname)} of ${JSON.stringify(e.name)} is not in the layer`);
        guard(e.name, () => linkRefused(from, p, 'link', () => target.link(from, p)));
        break;
      }
      case '3':
      case '4':
      case '6':
        try {
          target.mknod(p, e.typeflag === '3' ? 'char' : e.typeflag === '4' ? 'block' : 'fifo', e.mode & 0o7777, { major: e.devmajor, minor: e.devminor });
        } catch (err) {
          // Without root no device node can exist, as with rootless Docker: skip it.
          if (err instanceof FsError && err.code === 'EPERM') return;
          throw err;
        }
        break;
      default:
        throw new StorageError('INVALID_TAR', `unhandled tar header type ${JSON.stringify(e.typeflag)} for ${JSON.stringify(e.name)}`);
    }
    unpacked.add(p);
    if (e.typeflag !== '1') {
      target.chown(p, e.uid, e.gid);
      if (e.typeflag !== '2') target.chmod(p, e.mode & 0o7777);
    }
    if (e.typeflag === '5') dirs.push({ path: p, mtimeMs: e.mtimeMs });
    else if (e.typeflag !== '0' && e.typeflag !== '1') target.utimes(p, e.mtimeMs, e.mtimeMs);
    else if (e.typeflag === '0') pendingTime = e.mtimeMs;
  };
  let pendingTime = 0;

  await target.owners.batchAsync(() =>
    parseTar(
      tar as AsyncIterable<Buffer>,
      {
        entry(e, raw) {
          options.visitor?.entry(e, raw);
          onEntry(e);
        },
        data(chunk) {
          options.visitor?.data(chunk);
          if (handle) {
            let off = 0;
            while (off < chunk.length) off += handle.write(chunk, off, chunk.length - off, pos + off);
            pos += chunk.length;
          }
        },
        endEntry(pad) {
          options.visitor?.endEntry(pad);
          if (handle) {
            handle.close();
            handle = null;
            target.utimes(handlePath, pendingTime, pendingTime);
          }
        },
        trailer(raw) {
          options.visitor?.trailer(raw);
        },
      },
      options.onChunk,
    ),
  ).finally(() => {
    const h = handle as FileHandle | null;
    h?.close();
  });

  // Directory times last: creating their children moved them.
  for (const d of dirs.reverse()) {
    const st = target.lstat(d.path);
    if (st?.type === 'dir') target.utimes(d.path, d.mtimeMs, d.mtimeMs);
  }
}

/** Does a relative symlink target climb above the layer root from `dir`? (moby checks the same) */
function climbsOut(dir: string, linkname: string): boolean {
  let depth = dir === '/' ? 0 : dir.split('/').length - 1;
  for (const seg of linkname.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      depth--;
      if (depth < 0) return true;
    } else depth++;
  }
  return false;
}

