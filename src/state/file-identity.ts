/**
 * When a cache may stand for a file without reading it: the file's identity
 * (inode, size, modification and change times in ns) is the one recorded,
 * and the file had settled when it was recorded. File times advance in
 * coarse ticks and an atomic replacement may reuse the inode its predecessor
 * freed, so a file changed moments ago could change again without its
 * identity changing; such a file is read every time until it has settled.
 * (A change time cannot be set back by a user; a modification time can, so
 * both must be old.) The container list snapshot and the verified image
 * configs both follow this rule.
 */
import type fs from 'node:fs';

export interface FileIdentity {
  ino: string;
  size: number;
  mtime: string;
  ctime: string;
}

/** Far above a kernel tick, and above the time between reading the clock and the stats. */
export const SETTLE_MS = 2000;
const SETTLE_NS = BigInt(SETTLE_MS) * 1_000_000n;

export function fileIdentity(st: fs.BigIntStats): FileIdentity {
  return { ino: String(st.ino), size: Number(st.size), mtime: String(st.mtimeNs), ctime: String(st.ctimeNs) };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime;
}

/** Whether a file with these stats, seen at `nowMs`, may be remembered by its identity. */
export function settled(st: fs.BigIntStats, nowMs: number): boolean {
  const before = BigInt(nowMs) * 1_000_000n - SETTLE_NS;
  return st.ctimeNs < before && st.mtimeNs < before;
}

/** A recorded identity read back from a cache file: shape-checked, never trusted further. */
export function isFileIdentity(v: unknown): v is FileIdentity {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.ino === 'string' && typeof e.size === 'number' && typeof e.mtime === 'string' && typeof e.ctime === 'string';
}
