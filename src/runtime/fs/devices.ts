/**
 * The character devices every container has, as handle factories for
 * `MemoryTree.addDevice`. Their behaviour lives in the handle, so it holds
 * whoever opens them: a shell redirection, `cat`, `dd`.
 */
import { randomFillSync } from 'node:crypto';
import { FsError, type FileHandle, type FsStat } from '../../storage/backend.js';
import type { DeviceOpener } from './memory-tree.js';
import { dupHandle } from './stdio.js';

export interface DeviceSpec {
  name: string;
  rdev: { major: number; minor: number };
  mode: number;
  opener: DeviceOpener;
}

function deviceStat(rdev: { major: number; minor: number }, mode: number): FsStat {
  const now = Date.now();
  return { type: 'char', mode, uid: 0, gid: 0, size: 0, nlink: 1, ino: rdev.major * 256 + rdev.minor, atimeMs: now, mtimeMs: now, ctimeMs: now, rdev };
}

/** A device whose reads fill the buffer from `fill` (or return EOF when null) and whose writes go to `write`. */
function device(
  rdev: { major: number; minor: number },
  mode: number,
  fill: ((chunk: Uint8Array) => void) | null,
  write: (length: number, path: string) => number,
): DeviceOpener {
  return (_flags, _process, path) => ({
    read(buffer, offset, length) {
      if (fill === null || length <= 0) return 0;
      fill(buffer.subarray(offset, offset + length));
      return length;
    },
    write(buffer, offset = 0, length = buffer.length - offset) {
      return write(length, path);
    },
    stat: () => deviceStat(rdev, mode),
    // O_TRUNC on a device is ignored by Linux: `> /dev/null` must work.
    truncate: () => {},
    close: () => {},
  });
}

const discard = (length: number): number => length;
const zeros = (chunk: Uint8Array): void => {
  chunk.fill(0);
};
const random = (chunk: Uint8Array): void => {
  randomFillSync(chunk);
};

/** The controlling terminal of the process; without one Linux says ENXIO, which FsErrorCode lacks (EPERM stands in). */
const terminal: DeviceOpener = (_flags, process, path): FileHandle => {
  const tty = process?.stdio.tty;
  if (!tty) throw new FsError('EPERM', path, 'open');
  return dupHandle(tty);
};

export const STANDARD_DEVICES: readonly DeviceSpec[] = [
  { name: 'null', rdev: { major: 1, minor: 3 }, mode: 0o666, opener: device({ major: 1, minor: 3 }, 0o666, null, discard) },
  { name: 'zero', rdev: { major: 1, minor: 5 }, mode: 0o666, opener: device({ major: 1, minor: 5 }, 0o666, zeros, discard) },
  {
    name: 'full',
    rdev: { major: 1, minor: 7 },
    mode: 0o666,
    opener: device({ major: 1, minor: 7 }, 0o666, zeros, (_n, path) => {
      throw new FsError('ENOSPC', path, 'write');
    }),
  },
  { name: 'random', rdev: { major: 1, minor: 8 }, mode: 0o666, opener: device({ major: 1, minor: 8 }, 0o666, random, discard) },
  { name: 'urandom', rdev: { major: 1, minor: 9 }, mode: 0o666, opener: device({ major: 1, minor: 9 }, 0o666, random, discard) },
  { name: 'tty', rdev: { major: 5, minor: 0 }, mode: 0o666, opener: terminal },
  { name: 'console', rdev: { major: 136, minor: 0 }, mode: 0o620, opener: terminal },
];
