/**
 * A small FsBackend over a host directory, for these tests only: it refuses
 * (and records) any path that is not a normalised backend path, and it never
 * follows a symlink, so a test can check that the view never reaches past it.
 * Ownership is kept in memory (tests do not run as root).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { FsError, type FileHandle, type FsBackend, type FsErrorCode, type FsStat, type OpenFlags } from '../../../src/storage/backend.js';
import { isBackendPath } from '../../../src/runtime/fs/path.js';

const KNOWN: readonly string[] = ['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY', 'EROFS', 'EACCES', 'EPERM', 'ELOOP', 'EXDEV', 'ENOSPC', 'EINVAL', 'EBUSY', 'ENAMETOOLONG', 'EMLINK'];

function wrap<T>(path: string, syscall: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (KNOWN.includes(code)) throw new FsError(code as FsErrorCode, path, syscall);
    throw e;
  }
}

export class HostTestBackend implements FsBackend {
  readonly badPaths: string[] = [];
  readonly seen: string[] = [];
  private readonly owners = new Map<number, { uid: number; gid: number }>();

  constructor(
    readonly hostRoot: string,
    readonly kind = 'bind',
    readonly readOnly = false,
  ) {}

  /** The host path for a backend path, after checking every directory component is a real directory. */
  private host(path: string): string {
    this.seen.push(path);
    if (!isBackendPath(path)) {
      this.badPaths.push(path);
      throw new Error(`backend got a non-normalised path: ${JSON.stringify(path)}`);
    }
    const parts = path === '/' ? [] : path.slice(1).split('/');
    let cur = this.hostRoot;
    for (let i = 0; i < parts.length - 1; i++) {
      cur = nodePath.join(cur, parts[i]);
      const st = fs.lstatSync(cur, { throwIfNoEntry: false });
      if (!st) throw new FsError('ENOENT', path);
      if (!st.isDirectory()) throw new FsError('ENOTDIR', path);
    }
    return parts.length === 0 ? this.hostRoot : nodePath.join(cur, parts[parts.length - 1]);
  }

  private ro(path: string, syscall: string): void {
    if (this.readOnly) throw new FsError('EROFS', path, syscall);
  }

  lstat(path: string): FsStat | null {
    const h = this.host(path);
    const st = fs.lstatSync(h, { throwIfNoEntry: false });
    if (!st) return null;
    const own = this.owners.get(st.ino) ?? { uid: 0, gid: 0 };
    const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isCharacterDevice() ? 'char' : st.isFIFO() ? 'fifo' : 'socket';
    return { type, mode: st.mode & 0o7777, uid: own.uid, gid: own.gid, size: st.size, nlink: st.nlink, ino: st.ino, atimeMs: st.atimeMs, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
  }

  readdir(path: string): string[] {
    return wrap(path, 'scandir', () => fs.readdirSync(this.host(path)).sort());
  }

  readlink(path: string): string {
    return wrap(path, 'readlink', () => fs.readlinkSync(this.host(path)));
  }

  open(path: string, flags: OpenFlags): FileHandle {
    const writing = Boolean(flags.write || flags.append || flags.truncate);
    if (writing || flags.create) this.ro(path, 'open');
    const c = fs.constants;
    let f = c.O_NOFOLLOW | (writing ? (flags.read ? c.O_RDWR : c.O_WRONLY) : c.O_RDONLY);
    if (flags.create) f |= c.O_CREAT;
    if (flags.exclusive) f |= c.O_EXCL;
    if (flags.truncate) f |= c.O_TRUNC;
    if (flags.append) f |= c.O_APPEND;
    const fd = wrap(path, 'open', () => fs.openSync(this.host(path), f, flags.mode ?? 0o644));
    return {
      read: (b, o, l, p) => fs.readSync(fd, b, o, l, p ?? null),
      write: (b, o = 0, l = b.length - o, p) => fs.writeSync(fd, b, o, l, p ?? null),
      stat: () => this.lstat(path) as FsStat,
      truncate: (n) => fs.ftruncateSync(fd, n),
      close: () => fs.closeSync(fd),
    };
  }

  mkdir(path: string, mode: number): void {
    this.ro(path, 'mkdir');
    wrap(path, 'mkdir', () => fs.mkdirSync(this.host(path), { mode }));
  }
  rmdir(path: string): void {
    this.ro(path, 'rmdir');
    wrap(path, 'rmdir', () => fs.rmdirSync(this.host(path)));
  }
  unlink(path: string): void {
    this.ro(path, 'unlink');
    wrap(path, 'unlink', () => fs.unlinkSync(this.host(path)));
  }
  symlink(target: string, path: string): void {
    this.ro(path, 'symlink');
    wrap(path, 'symlink', () => fs.symlinkSync(target, this.host(path)));
  }
  link(existingPath: string, newPath: string): void {
    this.ro(newPath, 'link');
    wrap(newPath, 'link', () => fs.linkSync(this.host(existingPath), this.host(newPath)));
  }
  rename(from: string, to: string): void {
    this.ro(from, 'rename');
    wrap(from, 'rename', () => fs.renameSync(this.host(from), this.host(to)));
  }
  chmod(path: string, mode: number): void {
    this.ro(path, 'chmod');
    wrap(path, 'chmod', () => fs.chmodSync(this.host(path), mode));
  }
  chown(path: string, uid: number, gid: number): void {
    this.ro(path, 'chown');
    const st = this.lstat(path);
    if (!st) throw new FsError('ENOENT', path, 'chown');
    this.owners.set(st.ino, { uid, gid });
  }
  utimes(path: string, atimeMs: number, mtimeMs: number): void {
    this.ro(path, 'utime');
    wrap(path, 'utime', () => fs.lutimesSync(this.host(path), atimeMs / 1000, mtimeMs / 1000));
  }
}
