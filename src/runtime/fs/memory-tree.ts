/**
 * A tmpfs: a tree of files held in memory, with device nodes.
 *
 * This is the backend of the container's /dev (and of anything else the
 * runtime mounts as a tmpfs and wants devices in). A device node carries an
 * *opener*: opening the node returns the handle the opener makes, which is
 * how /dev/null discards and /dev/zero reads zeros for every caller,
 * `cat` and `>` redirections alike. Openers that need the calling process
 * (/dev/tty reaches its terminal) get it through `forProcess`, which returns
 * a view of the same tree bound to that process.
 */
import { FsError, type FileHandle, type FileType, type FsBackend, type FsStat, type OpenFlags } from '../../storage/backend.js';
import { splitPath } from './path.js';
import type { ProcessBound, ProcessIdentity } from './stdio.js';

/** Makes the handle for an open of a device node; `process` is null when opened outside any process. */
export type DeviceOpener = (flags: OpenFlags, process: ProcessIdentity | null, path: string) => FileHandle;

interface Meta {
  mode: number;
  uid: number;
  gid: number;
  ino: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}
type DirNode = Meta & { type: 'dir'; entries: Map<string, MemNode> };
type FileNode = Meta & { type: 'file'; data: Buffer; size: number };
type LinkNode = Meta & { type: 'symlink'; target: string };
type SpecialNode = Meta & { type: 'char' | 'block' | 'fifo' | 'socket'; rdev?: { major: number; minor: number }; opener?: DeviceOpener };
type MemNode = DirNode | FileNode | LinkNode | SpecialNode;

interface TreeState {
  root: DirNode;
  nextIno: number;
  usedBytes: number;
  sizeLimit: number | null;
}

export interface MemoryTreeOptions {
  kind?: string;
  readOnly?: boolean;
  /** tmpfs size=: writes beyond it fail with ENOSPC. */
  sizeLimit?: number | null;
  /** Mode of the root directory (Docker's /dev: 0755; /dev/shm: 1777). */
  rootMode?: number;
  clock?: () => number;
}

export class MemoryTree implements FsBackend, ProcessBound {
  readonly kind: string;
  readonly readOnly: boolean;
  private readonly clock: () => number;

  constructor(
    options: MemoryTreeOptions = {},
    private readonly state: TreeState = newState(options),
    private readonly process: ProcessIdentity | null = null,
  ) {
    this.kind = options.kind ?? 'tmpfs';
    this.readOnly = options.readOnly ?? false;
    this.clock = options.clock ?? Date.now;
  }

  forProcess(process: ProcessIdentity): FsBackend {
    return new MemoryTree({ kind: this.kind, readOnly: this.readOnly, clock: this.clock }, this.state, process);
  }

  /** A device node with its behaviour (setup of /dev: bypasses readOnly and EPERM of mknod). */
  addDevice(path: string, rdev: { major: number; minor: number }, opener: DeviceOpener, mode = 0o666): void {
    const [dir, name] = this.parentOf(path);
    if (dir.entries.has(name)) throw new FsError('EEXIST', path, 'mknod');
    dir.entries.set(name, { ...this.meta(mode), type: 'char', rdev, opener });
  }

  lstat(path: string): FsStat | null {
    const n = this.find(path);
    if (!n) return null;
    const st: FsStat = {
      type: n.type as FileType,
      mode: n.mode,
      uid: n.uid,
      gid: n.gid,
      size: n.type === 'file' ? n.size : n.type === 'symlink' ? Buffer.byteLength(n.target) : n.type === 'dir' ? 40 + 20 * n.entries.size : 0,
      nlink: n.type === 'dir' ? 2 + [...n.entries.values()].filter((c) => c.type === 'dir').length : n.nlink,
      ino: n.ino,
      atimeMs: n.atimeMs,
      mtimeMs: n.mtimeMs,
      ctimeMs: n.ctimeMs,
    };
    if ((n.type === 'char' || n.type === 'block') && n.rdev) st.rdev = { ...n.rdev };
    return st;
  }

  readdir(path: string): string[] {
    return [...this.dirAt(path, 'scandir').entries.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  readlink(path: string): string {
    const n = this.need(path, 'readlink');
    if (n.type !== 'symlink') throw new FsError('EINVAL', path, 'readlink');
    return n.target;
  }

  open(path: string, flags: OpenFlags): FileHandle {
    const writing = Boolean(flags.write || flags.append || flags.truncate);
    let n = this.find(path);
    if (n && flags.create && flags.exclusive) throw new FsError('EEXIST', path, 'open');
    if (!n) {
      if (!flags.create) throw new FsError('ENOENT', path, 'open');
      this.writable(path, 'open');
      const [dir, name] = this.parentOf(path);
      n = { ...this.meta(flags.mode ?? 0o644), type: 'file', data: Buffer.alloc(0), size: 0 };
      dir.entries.set(name, n);
      this.touch(dir);
    }
    if (n.type === 'dir') throw new FsError('EISDIR', path, 'open');
    if (n.type === 'symlink') throw new FsError('ELOOP', path, 'open');
    if (n.type !== 'file') {
      if (!n.opener) throw new FsError('EPERM', path, 'open');
      return n.opener(flags, this.process, path);
    }
    if (writing) this.writable(path, 'open');
    if (flags.truncate) this.resize(n, 0, path);
    return this.fileHandle(n, flags, path);
  }

  mkdir(path: string, mode: number): void {
    this.writable(path, 'mkdir');
    const [dir, name] = this.parentOf(path);
    if (dir.entries.has(name)) throw new FsError('EEXIST', path, 'mkdir');
    dir.entries.set(name, { ...this.meta(mode), type: 'dir', entries: new Map() });
    this.touch(dir);
  }

  rmdir(path: string): void {
    this.writable(path, 'rmdir');
    const [dir, name] = this.parentOf(path);
    const n = dir.entries.get(name);
    if (!n) throw new FsError('ENOENT', path, 'rmdir');
    if (n.type !== 'dir') throw new FsError('ENOTDIR', path, 'rmdir');
    if (n.entries.size > 0) throw new FsError('ENOTEMPTY', path, 'rmdir');
    dir.entries.delete(name);
    this.touch(dir);
  }

  unlink(path: string): void {
    this.writable(path, 'unlink');
    const [dir, name] = this.parentOf(path);
    const n = dir.entries.get(name);
    if (!n) throw new FsError('ENOENT', path, 'unlink');
    if (n.type === 'dir') throw new FsError('EISDIR', path, 'unlink');
    dir.entries.delete(name);
    this.dropLink(n);
    this.touch(dir);
  }

  symlink(target: string, path: string): void {
    this.writable(path, 'symlink');
    const [dir, name] = this.parentOf(path);
    if (dir.entries.has(name)) throw new FsError('EEXIST', path, 'symlink');
    dir.entries.set(name, { ...this.meta(0o777), type: 'symlink', target });
    this.touch(dir);
  }

  link(existingPath: string, newPath: string): void {
    this.writable(newPath, 'link');
    const n = this.need(existingPath, 'link');
    if (n.type === 'dir') throw new FsError('EPERM', existingPath, 'link');
    const [dir, name] = this.parentOf(newPath);
    if (dir.entries.has(name)) throw new FsError('EEXIST', newPath, 'link');
    dir.entries.set(name, n);
    n.nlink++;
    n.ctimeMs = this.clock();
    this.touch(dir);
  }

  rename(from: string, to: string): void {
    this.writable(from, 'rename');
    const [fdir, fname] = this.parentOf(from);
    const n = fdir.entries.get(fname);
    if (!n) throw new FsError('ENOENT', from, 'rename');
    if (from === to) return;
    if (n.type === 'dir' && to.startsWith(from + '/')) throw new FsError('EINVAL', from, 'rename');
    const [tdir, tname] = this.parentOf(to);
    const old = tdir.entries.get(tname);
    if (old === n) return;
    if (old) {
      if (n.type === 'dir' && old.type !== 'dir') throw new FsError('ENOTDIR', to, 'rename');
      if (n.type !== 'dir' && old.type === 'dir') throw new FsError('EISDIR', to, 'rename');
      if (old.type === 'dir' && old.entries.size > 0) throw new FsError('ENOTEMPTY', to, 'rename');
      this.dropLink(old);
    }
    fdir.entries.delete(fname);
    tdir.entries.set(tname, n);
    this.touch(fdir);
    this.touch(tdir);
  }

  chmod(path: string, mode: number): void {
    this.writable(path, 'chmod');
    const n = this.need(path, 'chmod');
    n.mode = mode & 0o7777;
    n.ctimeMs = this.clock();
  }

  chown(path: string, uid: number, gid: number): void {
    this.writable(path, 'chown');
    const n = this.need(path, 'chown');
    n.uid = uid;
    n.gid = gid;
    n.ctimeMs = this.clock();
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): void {
    this.writable(path, 'utime');
    const n = this.need(path, 'utime');
    n.atimeMs = atimeMs;
    n.mtimeMs = mtimeMs;
    n.ctimeMs = this.clock();
  }

  mknod(path: string, type: 'char' | 'block' | 'fifo', mode: number, rdev?: { major: number; minor: number }): void {
    this.writable(path, 'mknod');
    const [dir, name] = this.parentOf(path);
    if (dir.entries.has(name)) throw new FsError('EEXIST', path, 'mknod');
    // A node made by a program has no behaviour here: opening it is EPERM.
    dir.entries.set(name, { ...this.meta(mode), type, rdev });
    this.touch(dir);
  }

  statfs(): { totalBytes: number; freeBytes: number } | null {
    const { sizeLimit, usedBytes } = this.state;
    return sizeLimit === null ? null : { totalBytes: sizeLimit, freeBytes: Math.max(0, sizeLimit - usedBytes) };
  }

  // ---- internals ---------------------------------------------------------

  private meta(mode: number): Meta {
    const now = this.clock();
    return { mode: mode & 0o7777, uid: 0, gid: 0, ino: this.state.nextIno++, nlink: 1, atimeMs: now, mtimeMs: now, ctimeMs: now };
  }

  private touch(n: Meta): void {
    n.mtimeMs = n.ctimeMs = this.clock();
  }

  private writable(path: string, syscall: string): void {
    if (this.readOnly) throw new FsError('EROFS', path, syscall);
  }

  /** The node at a backend path; ENOTDIR when a non-directory stands where a directory must. */
  private find(path: string): MemNode | null {
    let n: MemNode = this.state.root;
    for (const c of splitPath(path)) {
      if (n.type !== 'dir') throw new FsError('ENOTDIR', path);
      const next = n.entries.get(c);
      if (!next) return null;
      n = next;
    }
    return n;
  }

  private need(path: string, syscall: string): MemNode {
    const n = this.find(path);
    if (!n) throw new FsError('ENOENT', path, syscall);
    return n;
  }

  private dirAt(path: string, syscall: string): DirNode {
    const n = this.need(path, syscall);
    if (n.type !== 'dir') throw new FsError('ENOTDIR', path, syscall);
    return n;
  }

  private parentOf(path: string): [DirNode, string] {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new FsError('EBUSY', path);
    return [this.dirAt('/' + parts.join('/'), ''), name];
  }

  private dropLink(n: MemNode): void {
    if (n.type === 'dir') return;
    n.nlink--;
    if (n.nlink === 0 && n.type === 'file') this.state.usedBytes -= n.size;
  }

  private resize(n: FileNode, size: number, path: string): void {
    const grow = size - n.size;
    const { sizeLimit } = this.state;
    if (grow > 0 && sizeLimit !== null && this.state.usedBytes + grow > sizeLimit) throw new FsError('ENOSPC', path, 'write');
    if (size > n.data.length) {
      const data = Buffer.alloc(Math.max(size, n.data.length * 2));
      n.data.copy(data, 0, 0, n.size);
      n.data = data;
    } else if (size < n.size) {
      n.data.fill(0, size, n.size);
    }
    this.state.usedBytes += grow;
    n.size = size;
    this.touch(n);
  }

  private fileHandle(n: FileNode, flags: OpenFlags, path: string): FileHandle {
    let offset = 0;
    let closed = false;
    const live = (): void => {
      if (closed) throw new FsError('EINVAL', path, 'fd');
    };
    const writing = Boolean(flags.write || flags.append || flags.truncate);
    return {
      read: (buffer, at, length, position) => {
        live();
        const from = position ?? offset;
        const count = Math.max(0, Math.min(length, n.size - from));
        n.data.copy(buffer, at, from, from + count);
        if (position === undefined || position === null) offset += count;
        n.atimeMs = this.clock();
        return count;
      },
      write: (buffer, at = 0, length = buffer.length - at, position) => {
        live();
        if (!writing) throw new FsError('EINVAL', path, 'write');
        this.writable(path, 'write');
        const to = flags.append ? n.size : (position ?? offset);
        if (to + length > n.size) this.resize(n, to + length, path);
        Buffer.from(buffer.buffer, buffer.byteOffset + at, length).copy(n.data, to);
        if (flags.append || position === undefined || position === null) offset = to + length;
        this.touch(n);
        return length;
      },
      stat: () => {
        live();
        return this.statOf(n);
      },
      truncate: (length) => {
        live();
        this.writable(path, 'truncate');
        this.resize(n, length, path);
      },
      close: () => {
        closed = true;
      },
    };
  }

  /** From the node itself: the handle outlives renames and unlinks of its path. */
  private statOf(n: FileNode): FsStat {
    return { type: 'file', mode: n.mode, uid: n.uid, gid: n.gid, size: n.size, nlink: n.nlink, ino: n.ino, atimeMs: n.atimeMs, mtimeMs: n.mtimeMs, ctimeMs: n.ctimeMs };
  }
}

function newState(options: MemoryTreeOptions): TreeState {
  const now = (options.clock ?? Date.now)();
  return {
    root: { type: 'dir', entries: new Map(), mode: options.rootMode ?? 0o755, uid: 0, gid: 0, ino: 1, nlink: 2, atimeMs: now, mtimeMs: now, ctimeMs: now },
    nextIno: 2,
    usedBytes: 0,
    sizeLimit: options.sizeLimit ?? null,
  };
}
