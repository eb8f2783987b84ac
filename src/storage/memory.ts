/**
 * MemoryBackend: an FsBackend held entirely in memory, for synthetic trees
 * (/dev, /proc) and tests. Inodes are real objects, so hard links share
 * content and owner, and `ino` is stable while the file exists.
 */
import { FsError, type FileHandle, type FileType, type FsBackend, type FsStat, type OpenFlags } from './backend.js';
import { compareBytes, splitPath } from './paths.js';

interface Inode {
  ino: number;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Regular files: the content. */
  data: Buffer;
  /** Symlinks: the target. */
  target: string;
  /** Directories: name -> inode. */
  entries: Map<string, Inode> | null;
  rdev?: { major: number; minor: number };
}

export interface MemoryBackendOptions {
  kind?: string;
  readOnly?: boolean;
  /** Clock for timestamps (tests pass a fixed one). */
  now?: () => number;
}

export class MemoryBackend implements FsBackend {
  readonly kind: string;
  readOnly: boolean;
  private nextIno = 1;
  private readonly root: Inode;
  private readonly now: () => number;

  constructor(options: MemoryBackendOptions = {}) {
    this.kind = options.kind ?? 'memory';
    this.readOnly = options.readOnly ?? false;
    this.now = options.now ?? Date.now;
    this.root = this.newInode('dir', 0o755);
    this.root.nlink = 2;
  }

  private newInode(type: FileType, mode: number): Inode {
    const t = this.now();
    return {
      ino: this.nextIno++,
      type,
      mode: mode & 0o7777,
      uid: 0,
      gid: 0,
      nlink: 1,
      atimeMs: t,
      mtimeMs: t,
      ctimeMs: t,
      data: Buffer.alloc(0),
      target: '',
      entries: type === 'dir' ? new Map() : null,
    };
  }

  private find(p: string, syscall: string): { parent: Inode | null; name: string; node: Inode | null } {
    const parts = splitPath(p);
    if (parts.length === 0) return { parent: null, name: '', node: this.root };
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = dir.entries!.get(parts[i]!);
      if (!next) throw new FsError('ENOENT', p, syscall);
      if (next.type !== 'dir') throw new FsError('ENOTDIR', p, syscall);
      dir = next;
    }
    const name = parts[parts.length - 1]!;
    return { parent: dir, name, node: dir.entries!.get(name) ?? null };
  }

  private existing(p: string, syscall: string): Inode {
    const { node } = this.find(p, syscall);
    if (!node) throw new FsError('ENOENT', p, syscall);
    return node;
  }

  private writable(p: string, syscall: string): void {
    if (this.readOnly) throw new FsError('EROFS', p, syscall);
  }

  private touchDir(dir: Inode): void {
    const t = this.now();
    dir.mtimeMs = t;
    dir.ctimeMs = t;
  }

  /** Adds `node` under a new name; the caller checked the name is free. */
  private attach(p: string, syscall: string, node: Inode): void {
    const { parent, name, node: old } = this.find(p, syscall);
    if (!parent) throw new FsError('EEXIST', p, syscall);
    if (old) throw new FsError('EEXIST', p, syscall);
    parent.entries!.set(name, node);
    if (node.type === 'dir') parent.nlink++;
    this.touchDir(parent);
  }

  lstat(p: string): FsStat | null {
    let node: Inode | null;
    try {
      node = this.find(p, 'lstat').node;
    } catch (err) {
      if (err instanceof FsError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return null;
      throw err;
    }
    return node ? statOf(node) : null;
  }

  readdir(p: string): string[] {
    const node = this.existing(p, 'scandir');
    if (node.type !== 'dir') throw new FsError('ENOTDIR', p, 'scandir');
    return [...node.entries!.keys()].sort(compareBytes);
  }

  readlink(p: string): string {
    const node = this.existing(p, 'readlink');
    if (node.type !== 'symlink') throw new FsError('EINVAL', p, 'readlink');
    return node.target;
  }

  open(p: string, flags: OpenFlags): FileHandle {
    const write = !!(flags.write || flags.append);
    if (write || flags.create || flags.truncate) this.writable(p, 'open');
    let { node } = this.find(p, 'open');
    if (node && flags.create && flags.exclusive) throw new FsError('EEXIST', p, 'open');
    if (!node) {
      if (!flags.create) throw new FsError('ENOENT', p, 'open');
      node = this.newInode('file', flags.mode ?? 0o644);
      this.attach(p, 'open', node);
    }
    if (node.type === 'symlink') throw new FsError('ELOOP', p, 'open');
    if (node.type === 'dir' && write) throw new FsError('EISDIR', p, 'open');
    if (flags.truncate && write && node.type === 'file') {
      node.data = Buffer.alloc(0);
      node.mtimeMs = node.ctimeMs = this.now();
    }
    return new MemoryHandle(node, p, this, !!flags.append, this.now);
  }

  mkdir(p: string, mode: number): void {
    this.writable(p, 'mkdir');
    const node = this.newInode('dir', mode);
    node.nlink = 2;
    this.attach(p, 'mkdir', node);
  }

  rmdir(p: string): void {
    this.writable(p, 'rmdir');
    const { parent, name, node } = this.find(p, 'rmdir');
    if (!node) throw new FsError('ENOENT', p, 'rmdir');
    if (!parent) throw new FsError('EBUSY', p, 'rmdir');
    if (node.type !== 'dir') throw new FsError('ENOTDIR', p, 'rmdir');
    if (node.entries!.size > 0) throw new FsError('ENOTEMPTY', p, 'rmdir');
    parent.entries!.delete(name);
    parent.nlink--;
    node.nlink = 0;
    this.touchDir(parent);
  }

  unlink(p: string): void {
    this.writable(p, 'unlink');
    const { parent, name, node } = this.find(p, 'unlink');
    if (!node) throw new FsError('ENOENT', p, 'unlink');
    if (!parent || node.type === 'dir') throw new FsError('EISDIR', p, 'unlink');
    parent.entries!.delete(name);
    node.nlink--;
    node.ctimeMs = this.now();
    this.touchDir(parent);
  }

  symlink(target: string, p: string): void {
    this.writable(p, 'symlink');
    const node = this.newInode('symlink', 0o777);
    node.target = target;
    this.attach(p, 'symlink', node);
  }

  link(existingPath: string, newPath: string): void {
    this.writable(newPath, 'link');
    const node = this.existing(existingPath, 'link');
    if (node.type === 'dir') throw new FsError('EPERM', existingPath, 'link');
    this.attach(newPath, 'link', node);
    node.nlink++;
    node.ctimeMs = this.now();
  }

  rename(from: string, to: string): void {
    this.writable(from, 'rename');
    const src = this.find(from, 'rename');
    if (!src.node) throw new FsError('ENOENT', from, 'rename');
    if (!src.parent) throw new FsError('EBUSY', from, 'rename');
    const dst = this.find(to, 'rename');
    if (!dst.parent) throw new FsError('EBUSY', to, 'rename');
    if (dst.node === src.node) return;
    if (src.node.type === 'dir' && (to + '/').startsWith(from + '/')) throw new FsError('EINVAL', to, 'rename');
    if (dst.node) {
      if (dst.node.type === 'dir' && src.node.type !== 'dir') throw new FsError('EISDIR', to, 'rename');
      if (dst.node.type !== 'dir' && src.node.type === 'dir') throw new FsError('ENOTDIR', to, 'rename');
      if (dst.node.type === 'dir' && dst.node.entries!.size > 0) throw new FsError('ENOTEMPTY', to, 'rename');
      if (dst.node.type === 'dir') {
        dst.parent.nlink--;
        dst.node.nlink = 0;
      } else dst.node.nlink--;
    }
    src.parent.entries!.delete(src.name);
    dst.parent.entries!.set(dst.name, src.node);
    if (src.node.type === 'dir') {
      src.parent.nlink--;
      dst.parent.nlink++;
    }
    this.touchDir(src.parent);
    this.touchDir(dst.parent);
    src.node.ctimeMs = this.now();
  }

  chmod(p: string, mode: number): void {
    this.writable(p, 'chmod');
    const node = this.existing(p, 'chmod');
    node.mode = mode & 0o7777;
    node.ctimeMs = this.now();
  }

  chown(p: string, uid: number, gid: number): void {
    this.writable(p, 'chown');
    const node = this.existing(p, 'chown');
    node.uid = uid;
    node.gid = gid;
    node.ctimeMs = this.now();
  }

  utimes(p: string, atimeMs: number, mtimeMs: number): void {
    this.writable(p, 'utimes');
    const node = this.existing(p, 'utimes');
    node.atimeMs = atimeMs;
    node.mtimeMs = mtimeMs;
    node.ctimeMs = this.now();
  }

  mknod(p: string, type: 'char' | 'block' | 'fifo', mode: number, rdev?: { major: number; minor: number }): void {
    this.writable(p, 'mknod');
    const node = this.newInode(type, mode);
    if (type !== 'fifo') node.rdev = rdev ?? { major: 0, minor: 0 };
    this.attach(p, 'mknod', node);
  }

  statfs(): { totalBytes: number; freeBytes: number } | null {
    return null;
  }
}

function statOf(node: Inode): FsStat {
  const st: FsStat = {
    type: node.type,
    mode: node.mode,
    uid: node.uid,
    gid: node.gid,
    size: node.type === 'file' ? node.data.length : node.type === 'symlink' ? Buffer.byteLength(node.target) : node.type === 'dir' ? 4096 : 0,
    nlink: node.nlink,
    ino: node.ino,
    atimeMs: node.atimeMs,
    mtimeMs: node.mtimeMs,
    ctimeMs: node.ctimeMs,
  };
  if (node.rdev) st.rdev = { ...node.rdev };
  return st;
}

class MemoryHandle implements FileHandle {
  private pos = 0;
  private closed = false;
  constructor(
    private readonly node: Inode,
    private readonly path: string,
    private readonly backend: MemoryBackend,
    private readonly append: boolean,
    private readonly now: () => number,
  ) {}

  read(buffer: Uint8Array, offset: number, length: number, position?: number | null): number {
    if (this.closed) throw new FsError('EINVAL', this.path, 'read');
    if (this.node.type === 'dir') throw new FsError('EISDIR', this.path, 'read');
    const at = position ?? this.pos;
    const n = Math.max(0, Math.min(length, this.node.data.length - at));
    this.node.data.copy(buffer, offset, at, at + n);
    if (position === undefined || position === null) this.pos += n;
    return n;
  }

  write(buffer: Uint8Array, offset = 0, length = buffer.length - offset, position?: number | null): number {
    if (this.closed) throw new FsError('EINVAL', this.path, 'write');
    if (this.backend.readOnly) throw new FsError('EROFS', this.path, 'write');
    const at = this.append ? this.node.data.length : (position ?? this.pos);
    const end = at + length;
    if (end > this.node.data.length) {
      const grown = Buffer.alloc(end);
      this.node.data.copy(grown);
      this.node.data = grown;
    }
    this.node.data.set(buffer.subarray(offset, offset + length), at);
    if (this.append || position === undefined || position === null) this.pos = end;
    this.node.mtimeMs = this.node.ctimeMs = this.now();
    return length;
  }

  stat(): FsStat {
    return statOf(this.node);
  }

  truncate(length: number): void {
    if (this.backend.readOnly) throw new FsError('EROFS', this.path, 'ftruncate');
    const data = Buffer.alloc(length);
    this.node.data.copy(data, 0, 0, Math.min(length, this.node.data.length));
    this.node.data = data;
    this.node.mtimeMs = this.node.ctimeMs = this.now();
  }

  close(): void {
    this.closed = true;
  }
}
