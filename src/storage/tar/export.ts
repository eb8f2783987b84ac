/**
 * Writing layer tars as moby's pkg/archive does (see header.ts for the header
 * bytes): entries in filepath.Walk order (names sorted bytewise in each
 * directory, depth first, the root itself left out), directory names ending
 * in "/", times truncated to the second, hard links as link entries naming
 * the first path of the inode, then two zero blocks. The same tree gives the
 * same bytes, so the sha256 of an export is a stable DiffID.
 */
import { Readable } from 'node:stream';
import type { FsBackend, FsStat } from '../backend.js';
import type { Change } from '../driver.js';
import { typeBits } from '../host-stat.js';
import { childPath, compareBytes } from '../paths.js';
import { WHITEOUT_META_PREFIX, WHITEOUT_OPAQUE_DIR, WHITEOUT_PREFIX, whitedOutName } from '../whiteout.js';
import { encodeHeader, padding, TRAILER, type TarHeader, type TypeFlag } from './header.js';

const CHUNK = 1 << 20;

function typeflagOf(st: FsStat): TypeFlag {
  switch (st.type) {
    case 'dir': return '5';
    case 'symlink': return '2';
    case 'char': return '3';
    case 'block': return '4';
    case 'fifo': return '6';
    default: return '0';
  }
}

/** Go's FileInfoHeader plus moby's additions, for the entry `name` (relative, no leading "/"). */
export function headerFor(fsb: FsBackend, path: string, name: string, st: FsStat): TarHeader {
  const flag = typeflagOf(st);
  return {
    name: st.type === 'dir' ? `${name}/` : name,
    typeflag: flag,
    mode: typeBits(st.type) | (st.mode & 0o7777),
    uid: st.uid,
    gid: st.gid,
    // Engine 20.10 fills the names from its host's user database, which
    // always knows uid/gid 0; `tar -tv` of its layers and exports shows root/root.
    uname: st.uid === 0 ? 'root' : '',
    gname: st.gid === 0 ? 'root' : '',
    size: flag === '0' ? st.size : 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname: st.type === 'symlink' ? fsb.readlink(path) : '',
    devmajor: st.rdev?.major ?? 0,
    devminor: st.rdev?.minor ?? 0,
  };
}

/** Emits one entry (header, body, padding), turning second names of an inode into link entries. */
function* entry(fsb: FsBackend, path: string, st: FsStat, seen: Map<number, string>, override?: Partial<TarHeader>): Generator<Buffer> {
  const name = path.slice(1);
  const h = { ...headerFor(fsb, path, name, st), ...override };
  if (st.type !== 'dir' && st.nlink > 1 && !override) {
    const first = seen.get(st.ino);
    if (first !== undefined) {
      h.typeflag = '1';
      h.linkname = first;
      h.size = 0;
    } else seen.set(st.ino, name);
  }
  yield encodeHeader(h);
  if (h.typeflag === '0' && h.size > 0) yield* body(fsb, path, h.size);
}

function* body(fsb: FsBackend, path: string, size: number): Generator<Buffer> {
  const fh = fsb.open(path, { read: true });
  try {
    let left = size;
    let pos = 0;
    while (left > 0) {
      const buf = Buffer.alloc(Math.min(CHUNK, left));
      let got = 0;
      while (got < buf.length) {
        const n = fh.read(buf, got, buf.length - got, pos + got);
        if (n === 0) break;
        got += n;
      }
      // A file that shrank under us still yields a well-formed tar of its recorded size.
      if (got < buf.length) buf.fill(0, got);
      yield buf;
      left -= buf.length;
      pos += buf.length;
    }
  } finally {
    fh.close();
  }
  const pad = padding(size);
  if (pad) yield Buffer.alloc(pad);
}

/** The position Docker's walk gives a name: a whiteout sits where the deleted name would. */
function walkKey(name: string): string {
  return whitedOutName(name) ?? name;
}

/**
 * A layer directory that stores changes in the OCI form (overlay2's `diff/`),
 * as Docker exports an overlay2 upper directory: whiteouts as `.wh.<name>`
 * files of mode 0600, an opaque directory's marker right after the directory
 * with the directory's permissions and time 0.
 */
export function* exportLayerTree(fsb: FsBackend): Generator<Buffer> {
  const seen = new Map<number, string>();
  function* walk(dir: string): Generator<Buffer> {
    const names = fsb.readdir(dir).sort((a, b) => compareBytes(walkKey(a), walkKey(b)) || compareBytes(a, b));
    for (const name of names) {
      if (name === WHITEOUT_OPAQUE_DIR) continue;
      if (name.startsWith(WHITEOUT_META_PREFIX)) continue;
      const p = childPath(dir, name);
      const st = fsb.lstat(p);
      if (!st) continue;
      if (name.startsWith(WHITEOUT_PREFIX)) {
        yield* entry(fsb, p, st, seen, { typeflag: '0', mode: 0o600, size: 0, linkname: '' });
        continue;
      }
      yield* entry(fsb, p, st, seen);
      if (st.type === 'dir') {
        if (fsb.lstat(childPath(p, WHITEOUT_OPAQUE_DIR))) {
          yield encodeHeader({
            name: `${p.slice(1)}/${WHITEOUT_OPAQUE_DIR}`,
            typeflag: '0',
            mode: st.mode & 0o777,
            uid: st.uid,
            gid: st.gid,
            size: 0,
            mtime: 0,
            linkname: '',
            devmajor: 0,
            devminor: 0,
          });
        }
        yield* walk(p);
      }
    }
  }
  yield* walk('/');
  yield TRAILER;
}

/**
 * A changeset found by comparing trees (vfs), as moby's ExportChanges writes
 * it: changes sorted by path, deletions as `.wh.<name>` entries. Docker stamps
 * those with the current time; mydock uses time 0 so that exports repeat.
 */
export function* exportChangeList(fsb: FsBackend, changes: readonly Change[]): Generator<Buffer> {
  const seen = new Map<number, string>();
  const sorted = [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const c of sorted) {
    if (c.kind === 'D') {
      const slash = c.path.lastIndexOf('/');
      yield encodeHeader({
        name: `${c.path.slice(1, slash + 1)}${WHITEOUT_PREFIX}${c.path.slice(slash + 1)}`,
        typeflag: '0',
        mode: 0,
        uid: 0,
        gid: 0,
        size: 0,
        mtime: 0,
        linkname: '',
        devmajor: 0,
        devminor: 0,
      });
      continue;
    }
    const st = fsb.lstat(c.path);
    if (st) yield* entry(fsb, c.path, st, seen);
  }
  yield TRAILER;
}

export function toStream(gen: Iterable<Buffer>): Readable {
  return Readable.from(gen, { objectMode: false });
}
