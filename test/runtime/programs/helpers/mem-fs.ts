/**
 * A small in-memory ProcessFs for the applet tests: one tree of inodes,
 * chroot-style path resolution with symlinks, busybox-visible errors as
 * FsError. Read-only subtrees stand in for read-only mounts.
 */
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { FsError, type FileHandle, type FileType, type FsErrorCode, type FsStat, type OpenFlags } from '../../../../src/storage/backend.js';
import type { ProcessFs } from '../../../../src/runtime/fs/process-fs.js';

interface Node {
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  ino: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  data: Buffer;
  entries: Map<string, Node>;
  target: string;
  rdev?: { major: number; minor: number };
}

export interface MountInfo {
  target: string;
  kind: string;
  source: string;
  readOnly: boolean;
  /** Programs may not be run from it (as ProcessFs reports); false when not given. */
  noexec?: boolean;
  totalBytes: number | null;
  freeBytes: number | null;
}

interface Shared {
  root: Node;
  nextIno: number;
  now: () => number;
  mounts: MountInfo[];
  user: { uid: number; gid: number };
}

interface Resolved {
  /** The directory holding the last component, and its absolute path. */
  dir: Node;
  dirPath: string;
  name: string;
  node: Node | null;
}

export class MemFs implements ProcessFs {
  private constructor(
    private readonly s: Shared,
    readonly cwd: string,
  ) {}

  static create(options: { now?: () => number; user?: { uid: number; gid: number }; mounts?: MountInfo[] } = {}): MemFs {
    const now = options.now ?? (() => Date.UTC(2024, 0, 15, 12, 0, 0));
    const shared: Shared = {
      root: MemFs.makeNode('dir', 0o755, 1, now()),
      nextIno: 2,
      now,
      mounts: options.mounts ?? [{ target: '/', kind: 'overlay', source: 'overlay', readOnly: false, totalBytes: 64 * 1024 ** 3, freeBytes: 40 * 1024 ** 3 }],
      user: options.user ?? { uid: 0, gid: 0 },
    };
    shared.root.nlink = 2;
    return new MemFs(shared, '/');
  }

  private static makeNode(type: FileType, mode: number, ino: number, t: number): Node {
    return { type, mode, uid: 0, gid: 0, ino, nlink: type === 'dir' ? 2 : 1, atimeMs: t, mtimeMs: t, ctimeMs: t, data: Buffer.alloc(0), entries: new Map(), target: '' };
  }

  private newNode(type: FileType, mode: number): Node {
    const n = MemFs.makeNode(type, mode, this.s.nextIno++, this.s.now());
    n.uid = this.s.user.uid;
    n.gid = this.s.user.gid;
    return n;
  }

  /** Test setup: creates parents as needed. */
  put(path: string, content: string | Buffer, options: { mode?: number; uid?: number; gid?: number; mtimeMs?: number } = {}): this {
    this.mkdir(nodePath.posix.dirname(this.abs(path)), { recursive: true });
    this.writeFile(path, content);
    const n = this.node(path, false);
    if (options.mode !== undefined) n.mode = options.mode;
    if (options.uid !== undefined) n.uid = options.uid;
    if (options.gid !== undefined) n.gid = options.gid;
    if (options.mtimeMs !== undefined) n.mtimeMs = options.mtimeMs;
    return this;
  }

  /** Test setup: mounts a (described) filesystem over an existing directory. */
  addMount(m: MountInfo): void {
    this.s.mounts.push(m);
  }

  /** Test setup: a device node. */
  mknod(path: string, type: 'char' | 'block' | 'fifo', mode: number, rdev?: { major: number; minor: number }): void {
    const r = this.resolve(path, false);
    if (r.node) throw new FsError('EEXIST', path, 'mknod');
    const n = this.newNode(type, mode);
    if (rdev) n.rdev = rdev;
    r.dir.entries.set(r.name, n);
  }

  /** Sets ownership/time without the checks (test setup). */
  setMeta(path: string, meta: Partial<Pick<Node, 'uid' | 'gid' | 'mode' | 'mtimeMs' | 'atimeMs' | 'ctimeMs' | 'ino'>>): void {
    Object.assign(this.node(path, false), meta);
  }

  /** Copies a host directory tree in (for differential tests), keeping modes, owners and times. */
  static fromHost(dir: string, options: { now?: () => number } = {}): MemFs {
    const fs = MemFs.create(options);
    const walk = (host: string, inside: string): void => {
      for (const name of nodeFs.readdirSync(host).sort()) {
        const h = nodePath.join(host, name);
        const p = inside === '/' ? `/${name}` : `${inside}/${name}`;
        const st = nodeFs.lstatSync(h);
        if (st.isSymbolicLink()) fs.symlink(nodeFs.readlinkSync(h), p);
        else if (st.isDirectory()) {
          fs.mkdir(p);
          walk(h, p);
        } else if (st.isFile()) fs.writeFile(p, nodeFs.readFileSync(h));
        else continue;
        const n = fs.node(p, false);
        Object.assign(n, { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs, atimeMs: st.atimeMs, ctimeMs: st.ctimeMs });
      }
    };
    walk(dir, '/');
    const rst = nodeFs.statSync(dir);
    Object.assign(fs.s.root, { mode: rst.mode & 0o7777, mtimeMs: rst.mtimeMs });
    return fs;
  }

  withCwd(path: string): ProcessFs {
    const st = this.stat(path);
    if (st.type !== 'dir') throw new FsError('ENOTDIR', path, 'chdir');
    return new MemFs(this.s, this.realpath(path));
  }

  private abs(path: string): string {
    return path.startsWith('/') ? path : this.cwd === '/' ? `/${path}` : `${this.cwd}/${path}`;
  }

  private fail(code: FsErrorCode, path: string, syscall: string): never {
    throw new FsError(code, path, syscall);
  }

  /** Walks `path`; follows a final symlink when `follow`. */
  private resolve(path: string, follow: boolean, given = path, depth = { links: 0 }): Resolved {
    if (path === '') this.fail('ENOENT', given, 'stat');
    const parts = this.abs(path).split('/').filter((p) => p !== '' && p !== '.');
    const stack: { node: Node; path: string }[] = [{ node: this.s.root, path: '/' }];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const cur = stack[stack.length - 1]!;
      if (part === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      if (cur.node.type !== 'dir') this.fail('ENOTDIR', given, 'stat');
      const child = cur.node.entries.get(part) ?? null;
      const isLast = i === parts.length - 1;
      const childPath = cur.path === '/' ? `/${part}` : `${cur.path}/${part}`;
      if (isLast && (!child || child.type !== 'symlink' || !follow)) {
        // A trailing slash demands a directory.
        if (child && child.type !== 'dir' && path.endsWith('/')) this.fail('ENOTDIR', given, 'stat');
        return { dir: cur.node, dirPath: cur.path, name: part, node: child };
      }
      if (!child) this.fail('ENOENT', given, 'stat');
      if (child.type === 'symlink') {
        if (++depth.links > 40) this.fail('ELOOP', given, 'stat');
        const rest = parts.slice(i + 1).join('/');
        const base = child.target.startsWith('/') ? child.target : `${cur.path}/${child.target}`;
        return this.resolve(rest ? `${base}/${rest}` : base, follow, given, depth);
      }
      stack.push({ node: child, path: childPath });
    }
    const top = stack[stack.length - 1]!;
    const parent = stack.length > 1 ? stack[stack.length - 2]! : top;
    const name = top.path === '/' ? '/' : top.path.slice(top.path.lastIndexOf('/') + 1);
    return { dir: parent.node, dirPath: parent.path, name, node: top.node };
  }

  private node(path: string, follow: boolean): Node {
    const r = this.resolve(path, follow);
    if (!r.node) this.fail('ENOENT', path, 'stat');
    return r.node;
  }

  private full(r: Resolved): string {
    if (r.name === '/') return '/';
    return r.dirPath === '/' ? `/${r.name}` : `${r.dirPath}/${r.name}`;
  }

  private checkWritable(path: string, abs: string): void {
    for (const m of this.s.mounts) {
      const under = m.target === '/' || abs === m.target || abs.startsWith(m.target + '/');
      if (under && m.readOnly && this.mountOf(abs).target === m.target) this.fail('EROFS', path, 'write');
    }
  }

  private writableDir(r: Resolved, path: string): void {
    this.checkWritable(path, this.full(r));
    if (r.dir.type !== 'dir') this.fail('ENOTDIR', path, 'open');
    if (this.s.user.uid !== 0 && !this.allowed(r.dir, 'w')) this.fail('EACCES', path, 'open');
  }

  private allowed(n: Node, what: 'r' | 'w' | 'x'): boolean {
    const bit = what === 'r' ? 4 : what === 'w' ? 2 : 1;
    if (this.s.user.uid === 0) return what !== 'x' || n.type === 'dir' || (n.mode & 0o111) !== 0;
    const shift = n.uid === this.s.user.uid ? 6 : n.gid === this.s.user.gid ? 3 : 0;
    return ((n.mode >> shift) & bit) !== 0;
  }

  realpath(path: string, options?: { allowMissingLeaf?: boolean }): string {
    const r = this.resolve(path, true);
    if (!r.node && !options?.allowMissingLeaf) this.fail('ENOENT', path, 'realpath');
    return this.full(r);
  }

  private toStat(n: Node): FsStat {
    const st: FsStat = { type: n.type, mode: n.mode, uid: n.uid, gid: n.gid, size: n.type === 'dir' ? 4096 : n.type === 'symlink' ? Buffer.byteLength(n.target) : n.data.length, nlink: n.nlink, ino: n.ino, atimeMs: n.atimeMs, mtimeMs: n.mtimeMs, ctimeMs: n.ctimeMs };
    if (n.rdev) st.rdev = n.rdev;
    return st;
  }

  stat(path: string): FsStat {
    return this.toStat(this.node(path, true));
  }
  lstat(path: string): FsStat {
    return this.toStat(this.node(path, false));
  }
  tryStat(path: string): FsStat | null {
    try {
      return this.stat(path);
    } catch (e) {
      if (e instanceof FsError && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null;
      throw e;
    }
  }
  tryLstat(path: string): FsStat | null {
    try {
      return this.lstat(path);
    } catch (e) {
      if (e instanceof FsError && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null;
      throw e;
    }
  }
  exists(path: string): boolean {
    return this.tryStat(path) !== null;
  }

  readdir(path: string): string[] {
    const n = this.node(path, true);
    if (n.type !== 'dir') this.fail('ENOTDIR', path, 'scandir');
    if (!this.allowed(n, 'r')) this.fail('EACCES', path, 'scandir');
    return [...n.entries.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
  readlink(path: string): string {
    const n = this.node(path, false);
    if (n.type !== 'symlink') this.fail('EINVAL', path, 'readlink');
    return n.target;
  }
  readFile(path: string): Buffer {
    const n = this.node(path, true);
    if (n.type === 'dir') this.fail('EISDIR', path, 'read');
    if (!this.allowed(n, 'r')) this.fail('EACCES', path, 'open');
    return Buffer.from(n.data);
  }
  writeFile(path: string, data: string | Uint8Array, options?: { append?: boolean; mode?: number }): void {
    const h = this.open(path, { write: true, create: true, truncate: !options?.append, append: options?.append ?? false, mode: options?.mode ?? 0o644 });
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    h.write(buf, 0, buf.length);
    h.close();
  }

  open(path: string, flags: OpenFlags): FileHandle {
    const r = this.resolve(path, true);
    let n = r.node;
    if (!n) {
      if (!flags.create) this.fail('ENOENT', path, 'open');
      this.writableDir(r, path);
      n = this.newNode('file', flags.mode ?? 0o644);
      r.dir.entries.set(r.name, n);
      r.dir.mtimeMs = this.s.now();
    } else {
      if (flags.create && flags.exclusive) this.fail('EEXIST', path, 'open');
      if (n.type === 'dir' && (flags.write || flags.append)) this.fail('EISDIR', path, 'open');
      if (flags.write || flags.append || flags.truncate) {
        this.checkWritable(path, this.full(r));
        if (!this.allowed(n, 'w')) this.fail('EACCES', path, 'open');
      }
      if (flags.read && !this.allowed(n, 'r')) this.fail('EACCES', path, 'open');
      if (flags.truncate && n.type === 'file') {
        n.data = Buffer.alloc(0);
        n.mtimeMs = this.s.now();
      }
    }
    const node = n;
    const fs = this;
    let pos = 0;
    return {
      read(buffer, offset, length, position) {
        if (node.type === 'dir') fs.fail('EISDIR', path, 'read');
        const at = position ?? pos;
        const n2 = Math.max(0, Math.min(length, node.data.length - at));
        node.data.copy(buffer, offset, at, at + n2);
        if (position === null || position === undefined) pos += n2;
        return n2;
      },
      write(buffer, offset = 0, length = buffer.byteLength - offset, position) {
        const at = flags.append ? node.data.length : (position ?? pos);
        const end = at + length;
        if (end > node.data.length) {
          const grown = Buffer.alloc(end);
          node.data.copy(grown);
          node.data = grown;
        }
        Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).copy(node.data, at);
        if (position === null || position === undefined) pos = end;
        node.mtimeMs = fs.s.now();
        return length;
      },
      stat: () => fs.toStat(node),
      truncate(length) {
        const b = Buffer.alloc(length);
        node.data.copy(b, 0, 0, Math.min(length, node.data.length));
        node.data = b;
      },
      close() {},
    };
  }

  mkdir(path: string, options?: { mode?: number; recursive?: boolean }): void {
    if (options?.recursive) {
      const parts = this.abs(path).split('/').filter((p) => p !== '');
      let cur = '';
      for (const p of parts) {
        cur += '/' + p;
        const st = this.tryStat(cur);
        if (st && st.type === 'dir') continue;
        if (st) this.fail('EEXIST', path, 'mkdir');
        this.mkdir(cur, { mode: options.mode ?? 0o755 });
      }
      return;
    }
    const r = this.resolve(path, false);
    if (r.node) this.fail('EEXIST', path, 'mkdir');
    this.writableDir(r, path);
    r.dir.entries.set(r.name, this.newNode('dir', options?.mode ?? 0o755));
    r.dir.nlink++;
    r.dir.mtimeMs = this.s.now();
  }

  rmdir(path: string): void {
    const r = this.resolve(path, false);
    if (!r.node) this.fail('ENOENT', path, 'rmdir');
    if (r.node.type !== 'dir') this.fail('ENOTDIR', path, 'rmdir');
    if (r.name === '/' ) this.fail('EBUSY', path, 'rmdir');
    if (r.node.entries.size > 0) this.fail('ENOTEMPTY', path, 'rmdir');
    this.writableDir(r, path);
    r.dir.entries.delete(r.name);
    r.dir.nlink--;
  }

  unlink(path: string): void {
    const r = this.resolve(path, false);
    if (!r.node) this.fail('ENOENT', path, 'unlink');
    if (r.node.type === 'dir') this.fail('EISDIR', path, 'unlink');
    this.writableDir(r, path);
    r.dir.entries.delete(r.name);
    r.node.nlink--;
  }

  rm(path: string, options?: { recursive?: boolean; force?: boolean }): void {
    const st = this.tryLstat(path);
    if (!st) {
      if (options?.force) return;
      this.fail('ENOENT', path, 'rm');
    }
    if (st.type === 'dir') {
      if (!options?.recursive) this.fail('EISDIR', path, 'rm');
      for (const e of this.readdir(path)) this.rm(`${path}/${e}`, options);
      this.rmdir(path);
    } else this.unlink(path);
  }

  rename(from: string, to: string): void {
    const a = this.resolve(from, false);
    if (!a.node) this.fail('ENOENT', from, 'rename');
    const b = this.resolve(to, false);
    this.writableDir(a, from);
    this.writableDir(b, to);
    if (b.node === a.node) return;
    if (b.node) {
      if (b.node.type === 'dir' && a.node.type !== 'dir') this.fail('EISDIR', to, 'rename');
      if (b.node.type !== 'dir' && a.node.type === 'dir') this.fail('ENOTDIR', to, 'rename');
      if (b.node.type === 'dir' && b.node.entries.size > 0) this.fail('ENOTEMPTY', to, 'rename');
    }
    const fullA = this.full(a);
    if (a.node.type === 'dir' && (this.full(b) + '/').startsWith(fullA + '/')) this.fail('EINVAL', to, 'rename');
    a.dir.entries.delete(a.name);
    b.dir.entries.set(b.name, a.node);
  }

  symlink(target: string, path: string): void {
    const r = this.resolve(path, false);
    if (r.node) this.fail('EEXIST', path, 'symlink');
    this.writableDir(r, path);
    const n = this.newNode('symlink', 0o777);
    n.target = target;
    r.dir.entries.set(r.name, n);
  }

  link(existingPath: string, newPath: string): void {
    const n = this.node(existingPath, false);
    if (n.type === 'dir') this.fail('EPERM', existingPath, 'link');
    const r = this.resolve(newPath, false);
    if (r.node) this.fail('EEXIST', newPath, 'link');
    this.writableDir(r, newPath);
    r.dir.entries.set(r.name, n);
    n.nlink++;
  }

  chmod(path: string, mode: number): void {
    const r = this.resolve(path, true);
    if (!r.node) this.fail('ENOENT', path, 'chmod');
    this.checkWritable(path, this.full(r));
    if (this.s.user.uid !== 0 && r.node.uid !== this.s.user.uid) this.fail('EPERM', path, 'chmod');
    r.node.mode = mode & 0o7777;
    r.node.ctimeMs = this.s.now();
  }

  chown(path: string, uid: number, gid: number, options?: { noFollow?: boolean }): void {
    const r = this.resolve(path, !options?.noFollow);
    if (!r.node) this.fail('ENOENT', path, 'chown');
    this.checkWritable(path, this.full(r));
    if (this.s.user.uid !== 0) this.fail('EPERM', path, 'chown');
    if (uid !== -1) r.node.uid = uid;
    if (gid !== -1) r.node.gid = gid;
  }

  utimes(path: string, atimeMs: number, mtimeMs: number): void {
    const r = this.resolve(path, true);
    if (!r.node) this.fail('ENOENT', path, 'utime');
    this.checkWritable(path, this.full(r));
    r.node.atimeMs = atimeMs;
    r.node.mtimeMs = mtimeMs;
  }

  access(path: string, mode: 'r' | 'w' | 'x'): boolean {
    const r = this.resolve(path, true);
    if (!r.node) return false;
    return this.allowed(r.node, mode);
  }

  mountOf(path: string): Required<MountInfo> {
    const abs = this.realpath(path, { allowMissingLeaf: true });
    let best = this.s.mounts[0]!;
    for (const m of this.s.mounts) {
      if ((m.target === '/' || abs === m.target || abs.startsWith(m.target + '/')) && m.target.length >= best.target.length) best = m;
    }
    return { ...best, noexec: best.noexec ?? false };
  }

  mounts(): { target: string; kind: string; source: string; readOnly: boolean }[] {
    return this.s.mounts.map(({ target, kind, source, readOnly }) => ({ target, kind, source, readOnly }));
  }
}
