/**
 * Writing a package's files into the container: contents generated
 * deterministically from the index (an emulated binary for an executable,
 * the real text for a config, seeded bytes for data), parents created as
 * the package manager would, big files written in chunks.
 */
import { createHash } from 'node:crypto';
import type { ProcessFs } from '../../fs/process-fs.js';
import { makeEmulatedBinary } from '../../binary-marker.js';
import type { PackageFile } from './spec.js';

const CHUNK = 1 << 20;

export interface WrittenFile {
  path: string;
  kind: 'file' | 'symlink';
  mode: number;
  size: number;
  /** sha1 of the contents (of the target for a symlink), what apk's Z: and dpkg's md5sums stand for. */
  sha1: Buffer;
}

/** The bytes of a file entry (not for symlinks). */
export function fileBytes(f: PackageFile): Buffer {
  if ('program' in f) return makeEmulatedBinary(f.program, f.size);
  if ('text' in f) return Buffer.from(f.text, 'utf8');
  if ('data' in f) return seededBytes(f.path, f.data);
  throw new Error(`not a regular file: ${f.path}`);
}

/** Pseudo-random bytes seeded by the path: files differ, and stay the same everywhere. */
export function seededBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = createHash('sha1').update(seed).digest().readUInt32LE(0) | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function modeOf(f: PackageFile): number {
  if ('mode' in f && f.mode !== undefined) return parseInt(f.mode, 8);
  if ('program' in f) return 0o755;
  return 0o644;
}

/** Creates the parent directories of `path` (mode 755, as a package's directories usually are). */
export function ensureParent(fs: ProcessFs, path: string): void {
  const dir = path.slice(0, path.lastIndexOf('/'));
  if (dir !== '' && !fs.exists(dir)) fs.mkdir(dir, { recursive: true, mode: 0o755 });
}

/** Writes one file (replacing what was there), in chunks; returns what the package db records. */
export function installFile(fs: ProcessFs, f: PackageFile): WrittenFile {
  const path = `/${f.path}`;
  ensureParent(fs, path);
  if ('symlink' in f) {
    if (fs.tryLstat(path)) fs.unlink(path);
    fs.symlink(f.symlink, path);
    return { path: f.path, kind: 'symlink', mode: 0o777, size: Buffer.byteLength(f.symlink), sha1: createHash('sha1').update(f.symlink).digest() };
  }
  const data = fileBytes(f);
  const mode = modeOf(f);
  const h = fs.open(path, { write: true, create: true, truncate: true, mode });
  try {
    for (let at = 0; at < data.length; at += CHUNK) h.write(data, at, Math.min(CHUNK, data.length - at));
  } finally {
    h.close();
  }
  fs.chmod(path, mode);
  return { path: f.path, kind: 'file', mode, size: data.length, sha1: createHash('sha1').update(data).digest() };
}

/** Writes `size` zero bytes to a new file in chunks of 1 MiB (big data files: ibdata1, ib_logfile0). */
export function writeZeros(fs: ProcessFs, path: string, size: number, mode = 0o640): void {
  const zero = Buffer.alloc(Math.min(CHUNK, size));
  const h = fs.open(path, { write: true, create: true, truncate: true, mode });
  try {
    for (let left = size; left > 0; left -= zero.length) h.write(zero, 0, Math.min(zero.length, left));
  } finally {
    h.close();
  }
}

/** Removes a package's files (not its directories unless they become empty and were its own). */
export function removeFiles(fs: ProcessFs, files: readonly PackageFile[]): void {
  for (const f of files) fs.rm(`/${f.path}`, { force: true });
  const dirs = new Set<string>();
  for (const f of files) {
    let d = f.path;
    while (d.includes('/')) {
      d = d.slice(0, d.lastIndexOf('/'));
      dirs.add(d);
    }
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    const st = fs.tryLstat(`/${d}`);
    if (st?.type === 'dir' && fs.readdir(`/${d}`).length === 0 && !KEEP_DIRS.has(d)) fs.rmdir(`/${d}`);
  }
}

/** Directories of the base system that removing a package never deletes. */
const KEEP_DIRS = new Set(['bin', 'sbin', 'lib', 'etc', 'usr', 'usr/bin', 'usr/sbin', 'usr/lib', 'usr/share', 'usr/local', 'var', 'var/lib', 'var/cache', 'var/log', 'usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu', 'usr/share/doc', 'usr/share/man']);
