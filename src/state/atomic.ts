/**
 * Atomic file replacement: write a temporary file beside the target, fsync
 * it, rename it over the target, fsync the directory. A reader (or a crash)
 * sees the old bytes or the new ones, never a mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { rootWriteFailed } from './errors.js';

/**
 * A full disk, a read-only mount or a permission problem while writing a
 * record becomes a typed error naming the file and what to do; the temporary
 * file is removed first, so a failed write leaves the root as it was.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const dir = path.dirname(file);
  let tmp: string | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
    tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    tmp = undefined;
  } catch (err) {
    if (tmp !== undefined) fs.rmSync(tmp, { force: true });
    throw rootWriteFailed(file, err) ?? err;
  }
  fsyncDir(dir);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value));
}

/** Makes a rename or a new directory entry durable. Some filesystems refuse; that is not fatal. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directory fsync is unsupported on some filesystems; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
