/**
 * HostDirBackend: an FsBackend over one host directory. Bind mounts, local
 * volumes, tmpfs mounts and the vfs driver's layers are all this.
 *
 * Safety: every directory component of a path is lstat'ed on the host and
 * must be a real directory (a symlink there is ENOTDIR), and final components
 * are never followed (O_NOFOLLOW, lstat, lchown, lutimes). So no path handed
 * to this backend can reach a host file outside its directory, whatever
 * symlinks the tree holds (containers can write any symlink they like).
 *
 * tmpfs: with `sizeLimit`, the bytes of regular files (each inode once) are
 * counted when the backend is opened and kept up to date by every write,
 * truncate and unlink; a write that would pass the limit writes what fits and
 * then fails with ENOSPC, as tmpfs does. Directories and symlinks cost
 * nothing here (tmpfs charges pages; counting bytes is what mydock teaches).
 */
import fs from 'node:fs';
import path from 'node:path';
import { childProcess } from '../state/node-builtins.js';
import { checkNames, FsError, type FileHandle, type FsBackend, type FsStat, type OpenFlags } from './backend.js';
import { toFsError } from './errors.js';
import { defaultOwnershipMode, ownerStore, type OwnerStore, type OwnershipMode } from './owners.js';
import { checkPath, compareBytes, splitPath } from './paths.js';
import { toFsStat } from './host-stat.js';

export interface HostDirOptions {
  readOnly?: boolean;
  /** Label for traces and errors, e.g. "bind", "volume", "tmpfs", "vfs". */
  kind?: string;
  /** Bytes of file content the tree may hold (tmpfs `size=`). */
  sizeLimit?: number;
  /** How owners are kept; default: lchown as root, else a sidecar file. */
  ownership?: OwnershipMode;
  /** The sidecar file; default `<dir>.owners.json`, beside (never inside) the tree. */
  ownersFile?: string;
  /** A store shared with other users of the same tree (drivers pass theirs). */
  owners?: OwnerStore;
  /**
   * Remember the directories verified by `hostPath` until this backend
   * removes or renames them (see `verifiedDirs`). Only for a frozen layer of
   * a storage driver, which nothing ever changes; never for a writable layer
   * (other processes of the container change it behind this one's back), a
   * bind mount or a volume, whose directories are checked on every use.
   */
  rememberDirs?: boolean;
}

/** Past this many remembered directories the memory is dropped and rebuilt. */
const MAX_REMEMBERED_DIRS = 65536;

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW } = fs.constants;

export class HostDirBackend implements FsBackend {
  readonly kind: string;
  readonly readOnly: boolean;
  readonly owners: OwnerStore;
  private readonly sizeLimit: number | null;
  private used = 0;
  /**
   * Backend paths (no leading '/') whose every component was lstat'ed as a
   * real directory, kept only with `rememberDirs`. A path is in the set only
   * while all its ancestors are: `rmdir` and `rename` (the only calls that can
   * turn a directory into something else) forget the path and everything
   * under it. So a path whose parent is here needs no component looked at
   * again, and a lookup at depth d costs O(d) instead of d lstat's of O(d).
   */
  private readonly verifiedDirs: Set<string> | null;
  /** `dir` made absolute, without a trailing slash ('' for the host's '/'): a backend path appended to it is the host path. */
  private readonly base: string;

  constructor(
    /** The host directory; must exist. */
    readonly dir: string,
    options: HostDirOptions = {},
  ) {
    this.kind = options.kind ?? 'bind';
    this.readOnly = options.readOnly ?? false;
    this.owners =
      options.owners ??
      ownerStore(options.ownership ?? defaultOwnershipMode(), options.ownersFile ?? `${path.resolve(dir)}.owners.json`);
    this.sizeLimit = options.sizeLimit ?? null;
    if (this.sizeLimit !== null) this.used = contentBytes(dir);
    this.verifiedDirs = options.rememberDirs ? new Set() : null;
    const abs = path.resolve(dir);
    this.base = abs === '/' ? '' : abs;
  }

  /** lstat of every component of `p`, each must be a directory; no exception for a miss. */
  private realDirs(p: string): boolean {
    if (p === '/') return true;
    checkPath(p);
    let i = 0;
    for (;;) {
      const next = p.indexOf('/', i + 1);
      const host = this.base + (next === -1 ? p : p.slice(0, next));
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(host, { throwIfNoEntry: false });
      } catch {
        return false;
      }
      if (!st?.isDirectory()) return false;
      if (next === -1) return true;
      i = next;
    }
  }

  /**
   * The host path of `p` when every directory above it is a real directory
   * (each lstat'ed; `p` itself is not looked at), else null: for a caller
   * that opens `p` itself with O_NOFOLLOW (`openExisting`).
   */
  checkedHostPath(p: string): string | null {
    checkPath(p);
    const slash = p.lastIndexOf('/');
    return slash <= 0 || this.realDirs(p.slice(0, slash)) ? this.base + p : null;
  }

  /** Forgets `p` and everything under it (it was removed, renamed or replaced). */
  private forgetDirs(p: string): void {
    const set = this.verifiedDirs;
    if (!set || set.size === 0) return;
    const key = splitPath(p).join('/');
    if (key === '') {
      set.clear();
      return;
    }
    const under = key + '/';
    for (const k of set) if (k === key || k.startsWith(under)) set.delete(k);
  }

  /**
   * The host path of a backend path. Every directory component is checked to
   * be a real directory; the final component is not looked at.
   */
  hostPath(p: string, syscall: string): string {
    const parts = splitPath(p);
    if (parts.length === 0) return this.base || '/';
    const set = this.verifiedDirs;
    if (parts.length === 1 || set?.has(parts.slice(0, -1).join('/'))) return this.base + p;
    let host = this.base;
    for (let i = 0; i < parts.length - 1; i++) {
      host += '/' + parts[i]!;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(host);
      } catch (err) {
        throw toFsError(err, p, syscall);
      }
      if (!st.isDirectory()) throw new FsError('ENOTDIR', p, syscall);
    }
    if (set && parts.length > 1) {
      if (set.size >= MAX_REMEMBERED_DIRS) set.clear();
      set.add(parts.slice(0, -1).join('/'));
    }
    return host + '/' + parts[parts.length - 1]!;
  }

  /**
   * The directory `p` as a backend of its own (same owners, same access),
   * e.g. to write a whole new tree without checking the components above it
   * again for every entry. Null when `p` is not a real directory.
   */
  subtree(p: string): HostDirBackend | null {
    let host: string;
    try {
      host = this.hostPath(p, 'open');
    } catch {
      return null;
    }
    if (!this.hostLstat(host)?.isDirectory()) return null;
    if (this.sizeLimit !== null) return null; // tmpfs accounting is per tree
    return new HostDirBackend(host, { kind: this.kind, readOnly: this.readOnly, owners: this.owners });
  }

  private writable(p: string, syscall: string): void {
    if (this.readOnly) throw new FsError('EROFS', p, syscall);
  }

  private hostLstat(host: string): fs.Stats | null {
    try {
      return fs.lstatSync(host, { throwIfNoEntry: false }) ?? null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw err;
    }
  }

  /** See FsBackend: the directories above are checked once for the whole walk. */
  lstatWalk(dir: string, names: readonly string[]): (FsStat | null)[] {
    if (names.length === 0) return [];
    checkNames(names);
    const known = dir === '/' || this.verifiedDirs?.has(splitPath(dir).join('/')) === true;
    if (!known && !this.realDirs(dir)) return [null];
    const out: (FsStat | null)[] = [];
    let host = dir === '/' ? this.base : this.base + dir;
    for (const name of names) {
      host += '/' + name;
      const st = this.hostLstat(host);
      out.push(st ? toFsStat(st, this.owners.get(host, st)) : null);
      if (!st?.isDirectory()) break;
    }
    return out;
  }

  /** The backend's view of an lstat its caller made of `host` (see `openChecked`). */
  statOf(host: string, st: fs.Stats): FsStat {
    return toFsStat(st, this.owners.get(host, st));
  }

  lstat(p: string): FsStat | null {
    let host: string;
    try {
      host = this.hostPath(p, 'lstat');
    } catch (err) {
      if (err instanceof FsError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return null;
      throw err;
    }
    const st = this.hostLstat(host);
    return st ? toFsStat(st, this.owners.get(host, st)) : null;
  }

  readdir(p: string): string[] {
    const host = this.hostPath(p, 'scandir');
    try {
      const st = fs.lstatSync(host);
      if (!st.isDirectory()) throw new FsError('ENOTDIR', p, 'scandir');
      return fs.readdirSync(host).sort(compareBytes);
    } catch (err) {
      throw toFsError(err, p, 'scandir');
    }
  }

  readlink(p: string): string {
    const host = this.hostPath(p, 'readlink');
    try {
      return fs.readlinkSync(host);
    } catch (err) {
      throw toFsError(err, p, 'readlink');
    }
  }

  open(p: string, flags: OpenFlags): FileHandle {
    const wantsWrite = !!(flags.write || flags.append || flags.truncate || flags.create);
    if (wantsWrite) this.writable(p, 'open');
    const host = this.hostPath(p, 'open');
    return this.openChecked(host, p, flags, this.hostLstat(host));
  }

  /**
   * `open` for a caller that has just done what `open` does first: checked
   * that every directory component of `host` (this tree's host path of `p`)
   * is a real directory, and lstat'ed `host` itself (`before`, null when
   * missing). The union view resolves each path that way already; asking
   * again would only repeat the same system calls.
   */
  openChecked(host: string, p: string, flags: OpenFlags, before: fs.Stats | null): FileHandle {
    const wantsWrite = !!(flags.write || flags.append || flags.truncate || flags.create);
    if (wantsWrite) this.writable(p, 'open');
    const write = !!(flags.write || flags.append);
    const n = openBits(flags);
    if (before?.isSymbolicLink()) throw new FsError('ELOOP', p, 'open');
    if (before?.isDirectory() && write) throw new FsError('EISDIR', p, 'open');
    let fd: number;
    try {
      fd = fs.openSync(host, n, flags.mode ?? 0o644);
    } catch (err) {
      throw toFsError(err, p, 'open');
    }
    if (!before) {
      // The mode asked for is the mode stored: the host's umask is not the container's.
      fs.fchmodSync(fd, (flags.mode ?? 0o644) & 0o7777);
      const st = fs.fstatSync(fd);
      this.owners.created(host, st);
    } else if (n & O_TRUNC && before.isFile() && this.sizeLimit !== null) {
      this.used -= before.size;
    }
    return new HostFileHandle(fd, p, this, !!flags.append);
  }

  /**
   * Opens `host` only if it exists (never creating it): null when it does
   * not. For a caller that has just checked every directory component of
   * `host`, as `openChecked`. The entry is not lstat'ed first: opening with
   * O_NOFOLLOW refuses a symlink (ELOOP) and the kernel a directory opened
   * for writing (EISDIR), which is what `open` would say. Not for a tree
   * with a size limit, which must know the size a truncation frees.
   */
  openExisting(host: string, p: string, flags: OpenFlags): FileHandle | null {
    if (this.sizeLimit !== null) return null;
    if (flags.write || flags.append || flags.truncate) this.writable(p, 'open');
    let fd: number;
    try {
      fd = fs.openSync(host, openBits({ ...flags, create: false }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw toFsError(err, p, 'open');
    }
    return new HostFileHandle(fd, p, this, !!flags.append);
  }

  /** Does the tree have a size limit (tmpfs), so that writes must be counted? */
  get limited(): boolean {
    return this.sizeLimit !== null;
  }

  /** tmpfs accounting: may `delta` more bytes be stored? Returns how many may. */
  reserve(delta: number): number {
    if (this.sizeLimit === null || delta <= 0) {
      this.used += delta;
      return delta;
    }
    const room = Math.max(0, this.sizeLimit - this.used);
    const granted = Math.min(room, delta);
    this.used += granted;
    return granted;
  }

  /** tmpfs accounting, all or nothing (truncate). */
  reserveAll(delta: number): boolean {
    if (this.sizeLimit !== null && delta > 0 && this.used + delta > this.sizeLimit) return false;
    this.used += delta;
    return true;
  }

  mkdir(p: string, mode: number): void {
    this.writable(p, 'mkdir');
    const host = this.hostPath(p, 'mkdir');
    try {
      fs.mkdirSync(host, { mode });
      // mkdir(2) applies the umask; the caller's mode is what Docker stores.
      fs.chmodSync(host, mode & 0o7777);
      this.owners.created(host, fs.lstatSync(host));
    } catch (err) {
      throw toFsError(err, p, 'mkdir');
    }
  }

  rmdir(p: string): void {
    this.writable(p, 'rmdir');
    if (p === '/') throw new FsError('EBUSY', p, 'rmdir');
    const host = this.hostPath(p, 'rmdir');
    try {
      const st = fs.lstatSync(host);
      if (!st.isDirectory()) throw new FsError('ENOTDIR', p, 'rmdir');
      fs.rmdirSync(host);
      this.forgetDirs(p);
      this.owners.forget(st);
    } catch (err) {
      throw toFsError(err, p, 'rmdir');
    }
  }

  unlink(p: string): void {
    this.writable(p, 'unlink');
    const host = this.hostPath(p, 'unlink');
    try {
      const st = fs.lstatSync(host);
      if (st.isDirectory()) throw new FsError('EISDIR', p, 'unlink');
      fs.unlinkSync(host);
      if (st.nlink <= 1) {
        this.owners.forget(st);
        if (st.isFile()) this.used -= st.size;
      }
    } catch (err) {
      throw toFsError(err, p, 'unlink');
    }
  }

  symlink(target: string, p: string): void {
    this.writable(p, 'symlink');
    const host = this.hostPath(p, 'symlink');
    try {
      fs.symlinkSync(target, host);
      this.owners.created(host, fs.lstatSync(host));
    } catch (err) {
      throw toFsError(err, p, 'symlink');
    }
  }

  link(existingPath: string, newPath: string): void {
    this.writable(newPath, 'link');
    const from = this.hostPath(existingPath, 'link');
    const to = this.hostPath(newPath, 'link');
    try {
      const st = fs.lstatSync(from);
      if (st.isDirectory()) throw new FsError('EPERM', existingPath, 'link');
      // link(2) on Linux does not follow a symlink: it links the symlink itself.
      fs.linkSync(from, to);
    } catch (err) {
      throw toFsError(err, newPath, 'link');
    }
  }

  rename(from: string, to: string): void {
    this.writable(from, 'rename');
    const src = this.hostPath(from, 'rename');
    const dst = this.hostPath(to, 'rename');
    try {
      const replaced = this.hostLstat(dst);
      const moved = fs.lstatSync(src);
      if (replaced && replaced.ino === moved.ino) return;
      this.forgetDirs(from);
      this.forgetDirs(to);
      fs.renameSync(src, dst);
      if (replaced && replaced.nlink <= 1) {
        this.owners.forget(replaced);
        if (replaced.isFile()) this.used -= replaced.size;
      }
    } catch (err) {
      throw toFsError(err, to, 'rename');
    }
  }

  chmod(p: string, mode: number): void {
    this.writable(p, 'chmod');
    const host = this.hostPath(p, 'chmod');
    try {
      const st = fs.lstatSync(host);
      if (st.isSymbolicLink()) throw new FsError('EPERM', p, 'chmod');
      fs.chmodSync(host, mode & 0o7777);
    } catch (err) {
      throw toFsError(err, p, 'chmod');
    }
  }

  chown(p: string, uid: number, gid: number): void {
    this.writable(p, 'chown');
    const host = this.hostPath(p, 'chown');
    try {
      this.owners.set(host, fs.lstatSync(host), { uid, gid });
    } catch (err) {
      throw toFsError(err, p, 'chown');
    }
  }

  utimes(p: string, atimeMs: number, mtimeMs: number): void {
    this.writable(p, 'utimes');
    const host = this.hostPath(p, 'utimes');
    try {
      fs.lutimesSync(host, atimeMs / 1000, mtimeMs / 1000);
    } catch (err) {
      throw toFsError(err, p, 'utimes');
    }
  }

  mknod(p: string, type: 'char' | 'block' | 'fifo', mode: number, rdev?: { major: number; minor: number }): void {
    this.writable(p, 'mknod');
    const host = this.hostPath(p, 'mknod');
    if (this.hostLstat(host)) throw new FsError('EEXIST', p, 'mknod');
    // Node has no mknod(2); the system tools do the same call. Devices need root.
    const args =
      type === 'fifo'
        ? ['-m', (mode & 0o7777).toString(8), host, 'p']
        : ['-m', (mode & 0o7777).toString(8), host, type === 'char' ? 'c' : 'b', String(rdev?.major ?? 0), String(rdev?.minor ?? 0)];
    try {
      childProcess().execFileSync('mknod', args, { stdio: 'ignore' });
    } catch {
      throw new FsError('EPERM', p, 'mknod');
    }
    this.owners.created(host, fs.lstatSync(host));
  }

  statfs(): { totalBytes: number; freeBytes: number } | null {
    if (this.sizeLimit !== null) return { totalBytes: this.sizeLimit, freeBytes: Math.max(0, this.sizeLimit - this.used) };
    try {
      const s = fs.statfsSync(this.dir);
      return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch {
      return null;
    }
  }
}

class HostFileHandle implements FileHandle {
  private pos = 0;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly path: string,
    private readonly backend: HostDirBackend,
    private readonly append: boolean,
  ) {}

  private check(syscall: string): void {
    if (this.closed) throw new FsError('EINVAL', this.path, syscall);
  }

  read(buffer: Uint8Array, offset: number, length: number, position?: number | null): number {
    this.check('read');
    try {
      const at = position ?? this.pos;
      const n = fs.readSync(this.fd, buffer, offset, length, at);
      if (position === undefined || position === null) this.pos += n;
      return n;
    } catch (err) {
      throw toFsError(err, this.path, 'read');
    }
  }

  write(buffer: Uint8Array, offset = 0, length = buffer.length - offset, position?: number | null): number {
    this.check('write');
    try {
      // The size matters only to append and to a tree with a size limit.
      if (!this.append && !this.backend.limited) {
        const written = fs.writeSync(this.fd, buffer, offset, length, position ?? this.pos);
        if (position === undefined || position === null) this.pos += written;
        return written;
      }
      const size = fs.fstatSync(this.fd).size;
      const at = this.append ? size : (position ?? this.pos);
      const growth = Math.max(0, at + length - size);
      const granted = this.backend.reserve(growth);
      const n = granted < growth ? length - (growth - granted) : length;
      if (n <= 0 && length > 0) throw new FsError('ENOSPC', this.path, 'write');
      const written = fs.writeSync(this.fd, buffer, offset, n, at);
      if (this.append || position === undefined || position === null) this.pos = at + written;
      return written;
    } catch (err) {
      throw toFsError(err, this.path, 'write');
    }
  }

  stat(): FsStat {
    this.check('fstat');
    const st = fs.fstatSync(this.fd);
    return toFsStat(st, this.backend.owners.get('', st));
  }

  truncate(length: number): void {
    this.check('ftruncate');
    if (this.backend.readOnly) throw new FsError('EROFS', this.path, 'ftruncate');
    try {
      const size = fs.fstatSync(this.fd).size;
      if (length > size && !this.backend.reserveAll(length - size)) throw new FsError('ENOSPC', this.path, 'ftruncate');
      if (length < size) this.backend.reserve(length - size);
      fs.ftruncateSync(this.fd, length);
    } catch (err) {
      throw toFsError(err, this.path, 'ftruncate');
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

/** open(2) flags for `OpenFlags`; never following a final symlink. */
function openBits(flags: OpenFlags): number {
  let n = O_NOFOLLOW;
  const write = !!(flags.write || flags.append);
  n |= write ? (flags.read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (flags.append) n |= O_APPEND;
  if (flags.create) n |= O_CREAT;
  if (flags.create && flags.exclusive) n |= O_EXCL;
  if (flags.truncate && write) n |= O_TRUNC;
  return n;
}

/** Bytes of regular-file content under `dir`, each inode once. */
export function contentBytes(dir: string): number {
  const seen = new Set<number>();
  let total = 0;
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile()) {
        const st = fs.lstatSync(p);
        if (st.nlink > 1) {
          if (seen.has(st.ino)) continue;
          seen.add(st.ino);
        }
        total += st.size;
      }
    }
  };
  walk(dir);
  return total;
}
