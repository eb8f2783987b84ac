/**
 * What an emulated program sees of the container's filesystem: one path
 * namespace over the root filesystem (a storage driver's layer stack) and the
 * container's mounts, bound to the program's working directory.
 *
 * Paths are as a program passes them: absolute or relative to `cwd`, with
 * "." / ".." / symlinks anywhere. They are resolved as a chroot resolves them:
 * one component at a time, ".." never climbs above "/", absolute symlink
 * targets restart at the container's "/", crossing into a mount switches
 * backend, and more than 40 links in one resolution fail with ELOOP. No path
 * ever resolves to a host file outside the root filesystem and the mounts.
 *
 * Errors are `FsError`s (storage/backend.ts) whose `path` is the path as the
 * program gave it, so programs can print busybox's messages directly.
 */
import type { FileHandle, FsStat, OpenFlags } from '../../storage/backend.js';

export interface ProcessFs {
  /** The physical working directory (absolute, symlink-free). */
  readonly cwd: string;
  /** A view of the same filesystem with another working directory (must exist; ENOENT/ENOTDIR otherwise). */
  withCwd(path: string): ProcessFs;

  /** The canonical absolute path (all symlinks resolved); the final component may be missing when `allowMissingLeaf`. */
  realpath(path: string, options?: { allowMissingLeaf?: boolean }): string;

  stat(path: string): FsStat;
  lstat(path: string): FsStat;
  /** stat() that returns null instead of throwing ENOENT/ENOTDIR. */
  tryStat(path: string): FsStat | null;
  tryLstat(path: string): FsStat | null;
  exists(path: string): boolean;

  readdir(path: string): string[];
  readlink(path: string): string;
  readFile(path: string): Buffer;
  /** Creates or replaces (or appends to) a file; follows a final symlink as open(2) does. */
  writeFile(path: string, data: string | Uint8Array, options?: { append?: boolean; mode?: number }): void;
  open(path: string, flags: OpenFlags): FileHandle;

  mkdir(path: string, options?: { mode?: number; recursive?: boolean }): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  /** rm -r semantics: removes a tree (no error when `force` and missing). */
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  rename(from: string, to: string): void;
  symlink(target: string, path: string): void;
  link(existingPath: string, newPath: string): void;
  chmod(path: string, mode: number): void;
  chown(path: string, uid: number, gid: number, options?: { noFollow?: boolean }): void;
  utimes(path: string, atimeMs: number, mtimeMs: number): void;

  /** Access check as the kernel does it for the process user: mode bits against uid/gid, root passes except execute needs any x bit. */
  access(path: string, mode: 'r' | 'w' | 'x'): boolean;
  /** The mount a path lives on, for `df` and `mount`: its target, kind and free space. */
  mountOf(path: string): { target: string; kind: string; source: string; readOnly: boolean; noexec: boolean; totalBytes: number | null; freeBytes: number | null };
  /** All mounts, for /proc/mounts. */
  mounts(): { target: string; kind: string; source: string; readOnly: boolean }[];
}
