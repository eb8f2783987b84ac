/** Converting host `fs.Stats` to the backend's `FsStat`. */
import type fs from 'node:fs';
import type { FileType, FsStat } from './backend.js';
import type { Owner } from './owners.js';

export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;

export function fileTypeOf(mode: number): FileType {
  switch (mode & S_IFMT) {
    case S_IFDIR: return 'dir';
    case S_IFLNK: return 'symlink';
    case S_IFCHR: return 'char';
    case S_IFBLK: return 'block';
    case S_IFIFO: return 'fifo';
    case S_IFSOCK: return 'socket';
    default: return 'file';
  }
}

export function typeBits(type: FileType): number {
  switch (type) {
    case 'dir': return S_IFDIR;
    case 'symlink': return S_IFLNK;
    case 'char': return S_IFCHR;
    case 'block': return S_IFBLK;
    case 'fifo': return S_IFIFO;
    case 'socket': return S_IFSOCK;
    default: return S_IFREG;
  }
}

/** Linux's dev_t encoding (glibc gnu_dev_major/minor). */
export function splitRdev(rdev: number): { major: number; minor: number } {
  const big = BigInt(rdev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return { major, minor };
}

export function toFsStat(st: fs.Stats, owner: Owner): FsStat {
  const type = fileTypeOf(st.mode);
  const out: FsStat = {
    type,
    mode: st.mode & 0o7777,
    uid: owner.uid,
    gid: owner.gid,
    size: st.size,
    nlink: st.nlink,
    ino: st.ino,
    atimeMs: st.atimeMs,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
  };
  if (type === 'char' || type === 'block') out.rdev = splitRdev(st.rdev);
  return out;
}

/**
 * Host timestamps cannot be copied exactly: Node sets times through a double
 * number of seconds, which at today's dates rounds to a few hundred
 * nanoseconds. Times that differ by less than this are the same time for
 * copy-up and for change detection (a real change moves mtime by far more).
 */
export const TIME_EPSILON_MS = 0.002;

export function sameTime(a: number, b: number): boolean {
  return Math.abs(a - b) < TIME_EPSILON_MS;
}
