/**
 * The low-level filesystem contract shared by everything that stores files a
 * container can see: a storage driver's layer stack, a host directory (bind
 * mounts, local volumes), a memory-backed tmpfs, the synthetic /dev and /proc.
 *
 * Vocabulary
 * - A *backend* is one tree of files with its own root. Paths given to a
 *   backend are absolute, normalised and relative to that root ("/" is the
 *   backend's root, never the host's): no "." or ".." components, no empty
 *   components, no trailing slash.
 * - A backend never follows symbolic links in the paths it is given. Symlink
 *   resolution (chroot semantics, mount crossings, ELOOP) belongs to the
 *   container filesystem view in src/runtime, which walks a path one component
 *   at a time with `lstat`. So every directory component of a path handed to a
 *   backend is a real directory in that backend's view; a backend checks this
 *   anyway (a non-directory component is ENOTDIR) so that a bug above can
 *   never turn into a read or write outside the backend's root on the host.
 * - Errors are thrown as `FsError` with an errno-like `code`; the emulated
 *   programs turn those codes into busybox's messages.
 *
 * All calls are synchronous: emulated programs are short, and synchronous fs
 * calls keep the shell interpreter simple and fast. Large contents go through
 * `FileHandle`, in chunks, never as one buffer.
 */

export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

export interface FsStat {
  type: FileType;
  /** Permission bits and setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  /** Inode number as the backend sees it (stable while the file exists). */
  ino: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  /** For char/block devices: major and minor numbers. */
  rdev?: { major: number; minor: number };
  /**
   * For layered backends: the layer the entry was found in (its cache id) and
   * how many layers down the lookup went (0 = the top, writable layer).
   * This is the visibility mydock adds over Docker.
   */
  layer?: { id: string; depth: number };
}

export type FsErrorCode =
  | 'ENOENT'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'EEXIST'
  | 'ENOTEMPTY'
  | 'EROFS'
  | 'EACCES'
  | 'EPERM'
  | 'ELOOP'
  | 'EXDEV'
  | 'ENOSPC'
  | 'EINVAL'
  | 'EBUSY'
  | 'ENAMETOOLONG'
  | 'EMLINK';

/**
 * The texts the C library gives for each code (what busybox prints). These
 * are glibc's, as Debian's busybox prints them; musl (Alpine) words a few
 * differently ("Resource busy", "Symbolic link loop").
 */
export const FS_ERROR_TEXT: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ELOOP: 'Too many levels of symbolic links',
  EXDEV: 'Invalid cross-device link',
  ENOSPC: 'No space left on device',
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
  ENAMETOOLONG: 'File name too long',
  EMLINK: 'Too many links',
};

export class FsError extends Error {
  constructor(
    readonly code: FsErrorCode,
    /** The path as the caller named it (container path where known). */
    readonly path: string,
    readonly syscall: string = '',
  ) {
    super(`${code}: ${FS_ERROR_TEXT[code]}, ${syscall ? syscall + ' ' : ''}'${path}'`);
    this.name = 'FsError';
  }

  /** The C library's text for the code, e.g. "No such file or directory". */
  get text(): string {
    return FS_ERROR_TEXT[this.code];
  }
}

/** Refuses what cannot be a single component of a backend path (a bug above the backend): EINVAL. */
export function checkNames(names: readonly string[]): void {
  for (const n of names) {
    if (n === '' || n === '.' || n === '..' || n.includes('/') || n.includes('\0')) throw new FsError('EINVAL', n, 'resolve');
  }
}

export interface OpenFlags {
  read?: boolean;
  write?: boolean;
  /** Writes go to the end (O_APPEND). */
  append?: boolean;
  /** Create the file if missing (O_CREAT), with `mode` (default 0o644). */
  create?: boolean;
  /** Fail with EEXIST if it exists (O_EXCL, only with create). */
  exclusive?: boolean;
  /** Truncate to 0 on open (O_TRUNC). */
  truncate?: boolean;
  mode?: number;
}

/**
 * An open file. On a layered backend, opening a lower-layer file for writing
 * performs the copy-up before the handle is returned (that is when overlayfs
 * does it), so reads and writes through the handle only touch the top layer.
 */
export interface FileHandle {
  /** Reads up to `length` bytes at `position` (or at the current offset). Returns bytes read; 0 at EOF. */
  read(buffer: Uint8Array, offset: number, length: number, position?: number | null): number;
  /** Writes, at `position` or at the current offset (at the end with append). Returns bytes written. */
  write(buffer: Uint8Array, offset?: number, length?: number, position?: number | null): number;
  stat(): FsStat;
  truncate(length: number): void;
  close(): void;
}

export interface FsBackend {
  /** A short label for traces and errors: "overlay2", "bind", "volume", "tmpfs", "proc". */
  readonly kind: string;
  /** A read-only backend refuses every mutation with EROFS. */
  readonly readOnly: boolean;

  /** Stat without following a final symlink. `null` when the path does not exist. */
  lstat(path: string): FsStat | null;
  /**
   * What `lstat` would answer for `dir/names[0]`, `dir/names[0]/names[1]`, …
   * (names are single components), in one call: for a backend that checks
   * every directory above a path on each call, a walk of n components costs
   * n checks instead of n². The answers stop after the first that is null or
   * not a directory; `[null]` when `dir` is not a directory (any more).
   * Optional: callers fall back to one `lstat` per component.
   */
  lstatWalk?(dir: string, names: readonly string[]): (FsStat | null)[];
  /** Entry names (no "." or ".."), sorted bytewise. Whiteouts and other internal files never appear. */
  readdir(path: string): string[];
  readlink(path: string): string;
  open(path: string, flags: OpenFlags): FileHandle;

  mkdir(path: string, mode: number): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  symlink(target: string, path: string): void;
  /** Hard link; both paths in this backend (else EXDEV). */
  link(existingPath: string, newPath: string): void;
  /** rename(2): replaces a file, or an empty directory, at `to`. */
  rename(from: string, to: string): void;
  chmod(path: string, mode: number): void;
  /** Never follows a final symlink (lchown). */
  chown(path: string, uid: number, gid: number): void;
  utimes(path: string, atimeMs: number, mtimeMs: number): void;
  /** Device nodes, fifos: only where the backend supports them (else EPERM). */
  mknod?(path: string, type: 'char' | 'block' | 'fifo', mode: number, rdev?: { major: number; minor: number }): void;

  /** Bytes free for writing, for `df` and tmpfs size limits; `null` when unbounded/unknown. */
  statfs?(): { totalBytes: number; freeBytes: number } | null;
}
