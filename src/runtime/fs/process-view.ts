/**
 * `ProcessFs` for one process: the container's namespace seen from a working
 * directory, as a user. Every method resolves its path(s) with the chroot
 * resolver, applies the checks the kernel makes before it reaches a
 * filesystem (EROFS for a read-only mount, EBUSY for a mount point, EXDEV
 * across mounts, permission bits for non-root), and then makes exactly one
 * call on the owning backend with a normalised backend path.
 *
 * Errors thrown by a backend name a backend path; they are rethrown with the
 * path as the program gave it, which is what busybox prints.
 */
import { FsError, type FileHandle, type FsErrorCode, type FsStat, type OpenFlags } from '../../storage/backend.js';
import type { MountTable } from './mount-table.js';
import { checkProgramPath, splitPath } from './path.js';
import { mayRemoveFromSticky, permits, type AccessMode, type FsUser } from './permissions.js';
import type { ProcessFs } from './process-fs.js';
import { Resolver, type Resolved } from './resolver.js';

/** What every view of one process shares. */
export interface ProcessNamespace {
  table: MountTable;
  resolver: Resolver;
  user: FsUser;
}

const CHUNK = 64 * 1024;
/**
 * readFile on an endless device (/dev/zero) would never return; Linux would
 * exhaust memory. No errno fits, EINVAL says "not a file you can slurp".
 */
const READ_FILE_LIMIT = 512 * 1024 * 1024;

export class ProcessView implements ProcessFs {
  constructor(
    private readonly ns: ProcessNamespace,
    private readonly cwdComponents: readonly string[],
  ) {}

  get cwd(): string {
    return '/' + this.cwdComponents.join('/');
  }

  withCwd(path: string): ProcessFs {
    const r = this.resolve(path, 'chdir', true);
    if (r.stat?.type !== 'dir') throw new FsError('ENOTDIR', path, 'chdir');
    if (!permits(r.stat, this.ns.user, 'x')) throw new FsError('EACCES', path, 'chdir');
    return new ProcessView(this.ns, r.components);
  }

  realpath(path: string, options?: { allowMissingLeaf?: boolean }): string {
    return this.resolve(path, 'realpath', true, options?.allowMissingLeaf ?? false).path;
  }

  stat(path: string): FsStat {
    return this.existing(this.resolve(path, 'stat', true));
  }

  lstat(path: string): FsStat {
    return this.existing(this.resolve(path, 'lstat', false));
  }

  tryStat(path: string): FsStat | null {
    return missingAsNull(() => this.stat(path));
  }

  tryLstat(path: string): FsStat | null {
    return missingAsNull(() => this.lstat(path));
  }

  exists(path: string): boolean {
    try {
      this.stat(path);
      return true;
    } catch (e) {
      if (e instanceof FsError) return false;
      throw e;
    }
  }

  readdir(path: string): string[] {
    return this.readdirAt(this.resolve(path, 'opendir', true), path);
  }

  readlink(path: string): string {
    const r = this.resolve(path, 'readlink', false);
    if (this.existing(r).type !== 'symlink') throw new FsError('EINVAL', path, 'readlink');
    return this.call(path, 'readlink', () => r.mount.backend.readlink(r.rel));
  }

  readFile(path: string): Buffer {
    const h = this.open(path, { read: true });
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.allocUnsafe(CHUNK);
        const n = this.call(path, 'read', () => h.read(buf, 0, CHUNK, null));
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
        if (total > READ_FILE_LIMIT) throw new FsError('EINVAL', path, 'read');
      }
      return Buffer.concat(chunks, total);
    } finally {
      h.close();
    }
  }

  writeFile(path: string, data: string | Uint8Array, options?: { append?: boolean; mode?: number }): void {
    const append = options?.append ?? false;
    const h = this.open(path, { write: true, create: true, truncate: !append, append, mode: options?.mode });
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      let done = 0;
      while (done < bytes.length) {
        const n = this.call(path, 'write', () => h.write(bytes, done, bytes.length - done, null));
        if (n <= 0) throw new FsError('ENOSPC', path, 'write');
        done += n;
      }
    } finally {
      h.close();
    }
  }

  open(path: string, flags: OpenFlags): FileHandle {
    const writing = Boolean(flags.write || flags.append || flags.truncate);
    const reading = Boolean(flags.read) || !writing;
    let r: Resolved;
    if (flags.create && flags.exclusive) {
      // O_CREAT|O_EXCL never follows a final symlink, even a dangling one.
      r = this.resolve(path, 'open', false, true);
      if (r.stat) throw new FsError('EEXIST', path, 'open');
    } else {
      // Follows a final symlink; with O_CREAT a dangling one yields the
      // missing target, which is created where the link points, as Linux does.
      r = this.resolve(path, 'open', true, Boolean(flags.create));
    }
    if (r.stat === null) {
      if (r.mustBeDir) throw new FsError('EISDIR', path, 'open');
      this.checkCreate(r, path, 'open');
      const h = this.call(path, 'open', () => r.mount.backend.open(r.rel, { ...flags, create: true, mode: flags.mode ?? 0o644 }));
      this.ownNew(r);
      return h;
    }
    const st = r.stat;
    if (st.type === 'dir') throw new FsError('EISDIR', path, 'open');
    // Like the kernel, EROFS guards what lives on the filesystem; a device
    // node on a read-only mount still reaches its device.
    if (writing && (st.type === 'file' || st.type === 'symlink')) this.checkWritable(r, path, 'open');
    if (reading && !permits(st, this.ns.user, 'r')) throw new FsError('EACCES', path, 'open');
    if (writing && !permits(st, this.ns.user, 'w')) throw new FsError('EACCES', path, 'open');
    return this.call(path, 'open', () => r.mount.backend.open(r.rel, { ...flags, create: false, exclusive: false }));
  }

  mkdir(path: string, options?: { mode?: number; recursive?: boolean }): void {
    const mode = options?.mode ?? 0o755;
    if (!options?.recursive) {
      const r = this.resolve(path, 'mkdir', false, true);
      if (r.stat) throw new FsError('EEXIST', path, 'mkdir');
      this.mkdirAt(r, path, mode);
      return;
    }
    // mkdir -p: each component in turn, from the canonical directory reached
    // so far (one lookup per component, however deep), so "a/../b" creates
    // a and b. Errors name the prefix, as busybox prints it.
    checkProgramPath(path, 'mkdir');
    const parts = splitPath(path);
    let base: readonly string[] = path.startsWith('/') ? [] : this.cwdComponents;
    for (let i = 0; i < parts.length; i++) {
      const prefix = (path.startsWith('/') ? '/' : '') + parts.slice(0, i + 1).join('/');
      const last = i === parts.length - 1;
      const step = (follow: boolean): Resolved => this.renamed(prefix, () => this.resolveFrom(base, parts[i], 'mkdir', follow, true));
      let r = step(false);
      if (r.stat === null) {
        this.mkdirAt(r, prefix, last ? mode : 0o755);
      } else if (r.stat.type === 'symlink') {
        r = step(true);
        // A dangling symlink: mkdir(2) says EEXIST and mkdir -p gives up.
        if (r.stat === null) throw new FsError('EEXIST', prefix, 'mkdir');
      }
      if (r.stat !== null && r.stat.type !== 'dir') throw new FsError(last ? 'EEXIST' : 'ENOTDIR', prefix, 'mkdir');
      base = r.components;
    }
  }

  rmdir(path: string): void {
    const leaf = splitPath(path).pop();
    if (leaf === '.') throw new FsError('EINVAL', path, 'rmdir');
    if (leaf === '..') throw new FsError('ENOTEMPTY', path, 'rmdir');
    this.rmdirAt(this.resolveLeaf(path, 'rmdir'), path);
  }

  unlink(path: string): void {
    this.unlinkAt(this.resolveLeaf(path, 'unlink'), path);
  }

  rm(path: string, options?: { recursive?: boolean; force?: boolean }): void {
    let r: Resolved;
    try {
      r = this.resolveLeaf(path, 'rm');
    } catch (e) {
      if (options?.force && e instanceof FsError && e.code === 'ENOENT') return;
      throw e;
    }
    if (r.stat?.type !== 'dir') return this.unlinkAt(r, path);
    if (!options?.recursive) throw new FsError('EISDIR', path, 'rm');
    const leaf = splitPath(path).pop();
    if (leaf === '.' || leaf === '..') throw new FsError('EINVAL', path, 'rm');
    this.rmTree(r, path.replace(/\/+$/, '') || '/');
  }

  /**
   * rm -r below a resolved directory: children are looked up from the
   * directory's canonical path and never followed, so a symlink to a
   * directory is removed, not descended into, and depth costs one lookup
   * per entry. Error paths are the program's path joined with the names.
   */
  private rmTree(dir: Resolved, shown: string): void {
    for (const name of this.readdirAt(dir, shown)) {
      const childShown = shown === '/' ? `/${name}` : `${shown}/${name}`;
      const child = this.renamed(childShown, () => this.resolveFrom(dir.components, name, 'rm', false, false));
      if (child.stat?.type === 'dir') this.rmTree(child, childShown);
      else this.unlinkAt(child, childShown);
    }
    this.rmdirAt(dir, shown);
  }

  rename(from: string, to: string): void {
    const fr = this.resolveLeaf(from, 'rename');
    const fst = this.existing(fr);
    const tr = this.resolveLeaf(to, 'rename', true);
    if (this.ns.table.isMountPoint(fr.components) || (tr.stat && this.ns.table.isMountPoint(tr.components))) {
      throw new FsError('EBUSY', from, 'rename');
    }
    if (fr.mount !== tr.mount) throw new FsError('EXDEV', from, 'rename');
    if (fr.path === tr.path) return;
    if (tr.components.length > fr.components.length && fr.components.every((c, i) => tr.components[i] === c)) {
      throw new FsError('EINVAL', from, 'rename');
    }
    if (tr.stat) {
      if (fst.type === 'dir' && tr.stat.type !== 'dir') throw new FsError('ENOTDIR', to, 'rename');
      if (fst.type !== 'dir' && tr.stat.type === 'dir') throw new FsError('EISDIR', to, 'rename');
      this.checkRemove(tr, to, 'rename');
    } else {
      this.checkCreate(tr, to, 'rename');
    }
    this.checkRemove(fr, from, 'rename');
    this.call(from, 'rename', () => fr.mount.backend.rename(fr.rel, tr.rel));
  }

  symlink(target: string, path: string): void {
    if (target === '') throw new FsError('ENOENT', path, 'symlink');
    if (target.includes('\0')) throw new FsError('EINVAL', path, 'symlink');
    const r = this.resolve(path, 'symlink', false, true);
    if (r.stat) throw new FsError('EEXIST', path, 'symlink');
    this.checkCreate(r, path, 'symlink');
    this.call(path, 'symlink', () => r.mount.backend.symlink(target, r.rel));
    this.ownNew(r);
  }

  link(existingPath: string, newPath: string): void {
    const er = this.resolve(existingPath, 'link', false);
    const est = this.existing(er);
    const nr = this.resolve(newPath, 'link', false, true);
    if (nr.stat) throw new FsError('EEXIST', newPath, 'link');
    if (est.type === 'dir') throw new FsError('EPERM', existingPath, 'link');
    if (er.mount !== nr.mount) throw new FsError('EXDEV', existingPath, 'link');
    this.checkCreate(nr, newPath, 'link');
    this.call(newPath, 'link', () => nr.mount.backend.link(er.rel, nr.rel));
  }

  chmod(path: string, mode: number): void {
    const r = this.resolve(path, 'chmod', true);
    this.checkOwner(r, path, 'chmod');
    this.call(path, 'chmod', () => r.mount.backend.chmod(r.rel, mode & 0o7777));
  }

  chown(path: string, uid: number, gid: number, options?: { noFollow?: boolean }): void {
    const r = this.resolve(path, 'chown', !options?.noFollow);
    const st = this.existing(r);
    this.checkWritable(r, path, 'chown');
    // Without CAP_CHOWN a user may only "change" to what is already there.
    if (this.ns.user.uid !== 0 && (uid !== st.uid || gid !== st.gid)) throw new FsError('EPERM', path, 'chown');
    this.call(path, 'chown', () => r.mount.backend.chown(r.rel, uid, gid));
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): void {
    const r = this.resolve(path, 'utime', true);
    this.checkOwner(r, path, 'utime');
    this.call(path, 'utime', () => r.mount.backend.utimes(r.rel, atimeMs, mtimeMs));
  }

  access(path: string, mode: AccessMode): boolean {
    let r: Resolved;
    try {
      r = this.resolve(path, 'access', true);
    } catch (e) {
      if (e instanceof FsError) return false;
      throw e;
    }
    const st = this.existing(r);
    if (mode === 'w' && isReadOnly(r) && (st.type === 'file' || st.type === 'dir')) return false;
    // Linux's faccessat: X_OK on a regular file of a noexec mount is EACCES, for root too; execve fails the same way.
    if (mode === 'x' && st.type === 'file' && r.mount.noexec === true) return false;
    return permits(st, this.ns.user, mode);
  }

  mountOf(path: string): { target: string; kind: string; source: string; readOnly: boolean; noexec: boolean; totalBytes: number | null; freeBytes: number | null } {
    const r = this.resolve(path, 'statfs', true);
    const m = r.mount;
    const space = m.backend.statfs?.() ?? null;
    return {
      target: m.target,
      kind: m.kind,
      source: m.source,
      readOnly: m.readOnly || m.backend.readOnly,
      noexec: m.noexec === true,
      totalBytes: space?.totalBytes ?? null,
      freeBytes: space?.freeBytes ?? null,
    };
  }

  mounts(): { target: string; kind: string; source: string; readOnly: boolean }[] {
    return this.ns.table.list().map((m) => ({ target: m.target, kind: m.kind, source: m.source, readOnly: m.readOnly || m.backend.readOnly }));
  }

  // ---- helpers -----------------------------------------------------------

  private resolve(path: string, syscall: string, follow: boolean, allowMissing = false): Resolved {
    return this.ns.resolver.resolve(path, this.cwdComponents, { follow, allowMissing, syscall, user: this.ns.user });
  }

  /**
   * For calls that act on the entry itself (unlink, rmdir, rename): trailing
   * slashes are allowed but the entry must then be a directory, and a final
   * symlink is never followed (rmdir("link/") is ENOTDIR in Linux).
   */
  private resolveLeaf(path: string, syscall: string, allowMissing = false): Resolved {
    const stripped = path.replace(/\/+$/, '');
    const r = this.resolve(stripped === '' ? path : stripped, syscall, false, allowMissing);
    if (stripped !== path && r.stat && r.stat.type !== 'dir') throw new FsError('ENOTDIR', path, syscall);
    return r;
  }

  /** Resolves a single name (or "." / "..") from a canonical directory. */
  private resolveFrom(base: readonly string[], name: string, syscall: string, follow: boolean, allowMissing: boolean): Resolved {
    return this.ns.resolver.resolve(name, base, { follow, allowMissing, syscall, user: this.ns.user });
  }

  /** Runs a step whose errors must name `path` rather than the step's own path. */
  private renamed<T>(path: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FsError) throw new FsError(e.code, path, e.syscall);
      throw e;
    }
  }

  private readdirAt(r: Resolved, path: string): string[] {
    const st = this.existing(r);
    if (st.type !== 'dir') throw new FsError('ENOTDIR', path, 'opendir');
    if (!permits(st, this.ns.user, 'r')) throw new FsError('EACCES', path, 'opendir');
    const names = this.call(path, 'opendir', () => r.mount.backend.readdir(r.rel));
    // A mount point is normally a real directory of the parent (see
    // prepareMountpoints); this keeps `ls` right when it is not.
    const extra = this.ns.table.childMountNames(r.components).filter((n) => !names.includes(n));
    if (extra.length === 0) return names;
    return [...names, ...extra].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  private rmdirAt(r: Resolved, path: string): void {
    if (this.existing(r).type !== 'dir') throw new FsError('ENOTDIR', path, 'rmdir');
    this.checkRemove(r, path, 'rmdir');
    this.call(path, 'rmdir', () => r.mount.backend.rmdir(r.rel));
  }

  private unlinkAt(r: Resolved, path: string): void {
    if (this.existing(r).type === 'dir') throw new FsError('EISDIR', path, 'unlink');
    this.checkRemove(r, path, 'unlink');
    this.call(path, 'unlink', () => r.mount.backend.unlink(r.rel));
  }

  private existing(r: Resolved): FsStat {
    // The resolver only returns null stats when asked to.
    if (r.stat === null) throw new FsError('ENOENT', r.path);
    return r.stat;
  }

  private mkdirAt(r: Resolved, path: string, mode: number): void {
    this.checkCreate(r, path, 'mkdir');
    this.call(path, 'mkdir', () => r.mount.backend.mkdir(r.rel, mode & 0o7777));
    this.ownNew(r);
  }

  /** A non-root process's new entries belong to it (backends create as root). */
  private ownNew(r: Resolved): void {
    const { uid, gid } = this.ns.user;
    if (uid !== 0 || gid !== 0) r.mount.backend.chown(r.rel, uid, gid);
  }

  private parentStat(r: Resolved): FsStat | null {
    return this.ns.resolver.lstatAt(r.components.slice(0, -1));
  }

  private checkWritable(r: Resolved, path: string, syscall: string): void {
    if (isReadOnly(r)) throw new FsError('EROFS', path, syscall);
  }

  /** Adding an entry: writable mount, w+x on the directory. */
  private checkCreate(r: Resolved, path: string, syscall: string): void {
    this.checkWritable(r, path, syscall);
    const parent = this.parentStat(r);
    if (parent && (!permits(parent, this.ns.user, 'w') || !permits(parent, this.ns.user, 'x'))) {
      throw new FsError('EACCES', path, syscall);
    }
  }

  /** Removing an entry: not a mount point, writable mount, w+x on the directory, the sticky rule. */
  private checkRemove(r: Resolved, path: string, syscall: string): void {
    if (this.ns.table.isMountPoint(r.components)) throw new FsError('EBUSY', path, syscall);
    this.checkCreate(r, path, syscall);
    const parent = this.parentStat(r);
    if (parent && r.stat && !mayRemoveFromSticky(parent, r.stat, this.ns.user)) throw new FsError('EPERM', path, syscall);
  }

  private checkOwner(r: Resolved, path: string, syscall: string): void {
    const st = this.existing(r);
    this.checkWritable(r, path, syscall);
    if (this.ns.user.uid !== 0 && st.uid !== this.ns.user.uid) throw new FsError('EPERM', path, syscall);
  }

  /** Runs a backend call, renaming its errors to the program's path. */
  private call<T>(path: string, syscall: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FsError) throw new FsError(e.code, path, e.syscall || syscall);
      throw e;
    }
  }
}

function isReadOnly(r: Resolved): boolean {
  return r.mount.readOnly || r.mount.backend.readOnly;
}

const MISSING: readonly FsErrorCode[] = ['ENOENT', 'ENOTDIR'];

function missingAsNull(fn: () => FsStat): FsStat | null {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FsError && MISSING.includes(e.code)) return null;
    throw e;
  }
}

