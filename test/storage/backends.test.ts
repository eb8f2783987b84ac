import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { FsError, type FsBackend, type FsStat } from '../../src/storage/backend.js';
import { HostDirBackend } from '../../src/storage/host-dir.js';
import { MemoryBackend } from '../../src/storage/memory.js';
import { readFile, tempDir, writeFile } from './helpers.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FsError) return err.code;
    throw err;
  }
  return 'no error';
}

/** Behaviour every backend shares. */
function common(name: string, make: () => { fsb: FsBackend; done: () => void }): void {
  describe(`${name}: the FsBackend contract`, () => {
    let fsb: FsBackend;
    let done: () => void;
    beforeEach(() => ({ fsb, done } = make()));
    afterEach(() => done());

    it('creates, reads, lists sorted, stats', () => {
      fsb.mkdir('/d', 0o750);
      writeFile(fsb, '/d/b', 'bee');
      writeFile(fsb, '/d/a', 'a', { mode: 0o600 });
      expect(fsb.readdir('/d')).toEqual(['a', 'b']);
      expect(readFile(fsb, '/d/b')).toBe('bee');
      expect(fsb.lstat('/d')).toMatchObject({ type: 'dir', mode: 0o750 });
      expect(fsb.lstat('/d/a')).toMatchObject({ type: 'file', mode: 0o600, size: 1, uid: 0, gid: 0 });
      expect(fsb.lstat('/nope')).toBeNull();
      expect(fsb.lstat('/d/a/x')).toBeNull();
    });

    it('append, positional writes, truncate', () => {
      writeFile(fsb, '/f', 'hello');
      writeFile(fsb, '/f', ' world', { append: true });
      const h = fsb.open('/f', { read: true, write: true });
      h.write(Buffer.from('J'), 0, 1, 0);
      h.truncate(7);
      h.close();
      expect(readFile(fsb, '/f')).toBe('Jello w');
    });

    it('errors carry the C library codes', () => {
      fsb.mkdir('/d', 0o755);
      writeFile(fsb, '/d/f', 'x');
      expect(code(() => fsb.mkdir('/d', 0o755))).toBe('EEXIST');
      expect(code(() => fsb.rmdir('/d'))).toBe('ENOTEMPTY');
      expect(code(() => fsb.unlink('/d'))).toBe('EISDIR');
      expect(code(() => fsb.open('/missing', { read: true }))).toBe('ENOENT');
      expect(code(() => fsb.open('/d/f/x', { read: true }))).toBe('ENOTDIR');
      expect(code(() => fsb.open('/d', { write: true }))).toBe('EISDIR');
      expect(code(() => fsb.open('/d/f', { write: true, create: true, exclusive: true }))).toBe('EEXIST');
      expect(code(() => fsb.readdir('/d/f'))).toBe('ENOTDIR');
    });

    it('symlinks are never followed', () => {
      fsb.mkdir('/real', 0o755);
      fsb.symlink('/real', '/link');
      expect(fsb.lstat('/link')).toMatchObject({ type: 'symlink' });
      expect(fsb.readlink('/link')).toBe('/real');
      expect(code(() => writeFile(fsb, '/link/x', 'x'))).toBe('ENOTDIR');
      expect(code(() => fsb.open('/link', { read: true }))).toBe('ELOOP');
      expect(fsb.readdir('/real')).toEqual([]);
    });

    it('hard links share content and inode; rename replaces; chown and utimes', () => {
      writeFile(fsb, '/a', 'one');
      fsb.link('/a', '/b');
      expect(fsb.lstat('/b')!.ino).toBe(fsb.lstat('/a')!.ino);
      expect(fsb.lstat('/a')!.nlink).toBe(2);
      writeFile(fsb, '/c', 'three');
      fsb.rename('/c', '/a');
      expect(readFile(fsb, '/a')).toBe('three');
      expect(readFile(fsb, '/b')).toBe('one');
      fsb.chown('/b', 1000, 1001);
      expect(fsb.lstat('/b')).toMatchObject({ uid: 1000, gid: 1001 });
      fsb.utimes('/b', 1_000_000_000_000, 1_200_000_000_000);
      expect(Math.round(fsb.lstat('/b')!.mtimeMs)).toBe(1_200_000_000_000);
    });
  });
}

common('HostDirBackend', () => {
  const dir = tempDir();
  return { fsb: new HostDirBackend(path.join(dir), { ownersFile: path.join(dir, '..', path.basename(dir) + '.owners.json') }), done: () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(dir, '..', path.basename(dir) + '.owners.json'), { force: true });
  } };
});
common('HostDirBackend (owners in a sidecar)', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'tree'));
  return { fsb: new HostDirBackend(path.join(dir, 'tree'), { ownership: 'sidecar' }), done: () => fs.rmSync(dir, { recursive: true, force: true }) };
});
common('MemoryBackend', () => ({ fsb: new MemoryBackend(), done: () => {} }));

describe('HostDirBackend safety and limits', () => {
  let dir: string;
  let tree: string;
  let canary: string;
  beforeEach(() => {
    dir = tempDir();
    tree = path.join(dir, 'tree');
    canary = path.join(dir, 'canary');
    fs.mkdirSync(tree);
    fs.mkdirSync(canary);
    fs.writeFileSync(path.join(canary, 'secret'), 's');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lstatWalk answers as lstat of each prefix does, up to the first missing entry or non-directory', () => {
    fs.mkdirSync(path.join(tree, 'a', 'b', 'c'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'a', 'b', 'f'), 'data');
    fs.symlinkSync('b', path.join(tree, 'a', 'l'));
    for (const b of [new HostDirBackend(tree), new HostDirBackend(tree, { rememberDirs: true })]) {
      const show = (sts: (FsStat | null)[]): string[] => sts.map((st) => (st ? `${st.type}:${st.ino}` : 'none'));
      const each = (dir: string, names: string[]): string[] => {
        const out: (FsStat | null)[] = [];
        let p = dir;
        for (const n of names) {
          p = p === '/' ? `/${n}` : `${p}/${n}`;
          const st = b.lstat(p);
          out.push(st);
          if (st?.type !== 'dir') break;
        }
        return show(out);
      };
      for (const [d, names] of [
        ['/', ['a', 'b', 'c']],
        ['/', ['a', 'b', 'f', 'x']],
        ['/a', ['l', 'c']],
        ['/a', ['missing', 'x']],
        ['/a/b/f', ['x']],
      ] as const) {
        expect(show(b.lstatWalk(d, [...names]))).toEqual(each(d, [...names]));
      }
    }
  });

  it('never reaches outside its directory, whatever the symlinks', () => {
    fs.symlinkSync(canary, path.join(tree, 'abs'));
    fs.symlinkSync('../canary', path.join(tree, 'rel'));
    fs.symlinkSync(path.join(canary, 'secret'), path.join(tree, 'file'));
    const b = new HostDirBackend(tree);
    for (const p of ['/abs/secret', '/rel/secret', '/abs/new', '/rel/sub/x']) {
      expect(code(() => b.open(p, { read: true }))).toBe('ENOTDIR');
      expect(code(() => b.open(p, { write: true, create: true }))).toBe('ENOTDIR');
      expect(b.lstat(p)).toBeNull();
      expect(code(() => b.unlink(p))).toBe('ENOTDIR');
    }
    expect(code(() => b.open('/file', { write: true, truncate: true }))).toBe('ELOOP');
    expect(code(() => b.readdir('/abs'))).toBe('ENOTDIR');
    expect(code(() => b.chmod('/file', 0o777))).toBe('EPERM');
    b.chown('/file', 5, 5);
    b.utimes('/file', 0, 0);
    expect(code(() => b.lstat('/../canary'))).toBe('EINVAL');
    expect(code(() => b.open('/a/../../canary/secret', { read: true }))).toBe('EINVAL');
    // A walk stops at the symlink, and never looks below one named as its start.
    expect(b.lstatWalk('/', ['abs', 'secret']).map((st) => st?.type ?? null)).toEqual(['symlink']);
    expect(b.lstatWalk('/abs', ['secret'])).toEqual([null]);
    expect(b.lstatWalk('/rel/sub', ['x'])).toEqual([null]);
    expect(code(() => b.lstatWalk('/', ['..', 'canary']))).toBe('EINVAL');
    expect(code(() => b.lstatWalk('/', ['abs/secret']))).toBe('EINVAL');
    expect(fs.readdirSync(canary)).toEqual(['secret']);
    expect(fs.readFileSync(path.join(canary, 'secret'), 'utf8')).toBe('s');
    expect(fs.statSync(path.join(canary, 'secret')).uid).toBe(process.getuid!());
  });

  it('read-only refuses every change with EROFS', () => {
    fs.writeFileSync(path.join(tree, 'f'), 'f');
    const b = new HostDirBackend(tree, { readOnly: true, kind: 'bind' });
    expect(readFile(b, '/f')).toBe('f');
    expect(code(() => b.open('/f', { write: true }))).toBe('EROFS');
    expect(code(() => b.open('/g', { write: true, create: true }))).toBe('EROFS');
    expect(code(() => b.mkdir('/d', 0o755))).toBe('EROFS');
    expect(code(() => b.unlink('/f'))).toBe('EROFS');
    expect(code(() => b.rename('/f', '/g'))).toBe('EROFS');
    expect(code(() => b.chmod('/f', 0o600))).toBe('EROFS');
    expect(code(() => b.chown('/f', 1, 1))).toBe('EROFS');
    expect(code(() => b.utimes('/f', 0, 0))).toBe('EROFS');
    expect(code(() => b.symlink('x', '/l'))).toBe('EROFS');
    expect(fs.readdirSync(tree)).toEqual(['f']);
  });

  it('sizeLimit: writes past it fail with ENOSPC, exact to the byte', () => {
    fs.writeFileSync(path.join(tree, 'old'), Buffer.alloc(100));
    fs.linkSync(path.join(tree, 'old'), path.join(tree, 'old2'));
    const b = new HostDirBackend(tree, { kind: 'tmpfs', sizeLimit: 1000 });
    expect(b.statfs()).toEqual({ totalBytes: 1000, freeBytes: 900 });
    const h = b.open('/f', { write: true, create: true });
    expect(h.write(Buffer.alloc(850))).toBe(850);
    // Only 50 bytes fit: a short write, then ENOSPC.
    expect(h.write(Buffer.alloc(80))).toBe(50);
    expect(code(() => h.write(Buffer.alloc(1)))).toBe('ENOSPC');
    // Overwriting in place costs nothing.
    expect(h.write(Buffer.alloc(10), 0, 10, 0)).toBe(10);
    expect(code(() => h.truncate(901))).toBe('ENOSPC');
    h.close();
    expect(b.statfs()!.freeBytes).toBe(0);
    b.unlink('/old');
    expect(b.statfs()!.freeBytes).toBe(0);
    b.unlink('/old2');
    expect(b.statfs()!.freeBytes).toBe(100);
    writeFile(b, '/f', 'x');
    expect(b.statfs()!.freeBytes).toBe(999);
  });

  it('modes are the ones asked for, not the host umask', () => {
    const old = process.umask(0o077);
    try {
      const b = new HostDirBackend(tree);
      b.mkdir('/d', 0o775);
      writeFile(b, '/d/f', 'x', { mode: 0o664 });
      expect(b.lstat('/d')!.mode).toBe(0o775);
      expect(b.lstat('/d/f')!.mode).toBe(0o664);
    } finally {
      process.umask(old);
    }
  });

  it('sidecar owners live outside the tree and follow renames and hard links', () => {
    const b = new HostDirBackend(tree, { ownership: 'sidecar' });
    writeFile(b, '/f', 'x');
    b.chown('/f', 33, 44);
    b.rename('/f', '/g');
    b.link('/g', '/h');
    expect(b.lstat('/h')).toMatchObject({ uid: 33, gid: 44 });
    expect(fs.readdirSync(tree).sort()).toEqual(['g', 'h']);
    expect(fs.existsSync(`${tree}.owners.json`)).toBe(true);
    // A second backend over the same tree (another process) sees the same owners.
    expect(new HostDirBackend(tree, { ownership: 'sidecar' }).lstat('/g')).toMatchObject({ uid: 33, gid: 44 });
    b.unlink('/g');
    b.unlink('/h');
    writeFile(b, '/new', 'y');
    expect(b.lstat('/new')).toMatchObject({ uid: 0, gid: 0 });
  });
});

describe('MemoryBackend specifics', () => {
  it('devices, fifos, fixed clock, read-only', () => {
    const m = new MemoryBackend({ kind: 'dev', now: () => 42 });
    m.mknod('/null', 'char', 0o666, { major: 1, minor: 3 });
    m.mknod('/fifo', 'fifo', 0o600);
    expect(m.lstat('/null')).toMatchObject({ type: 'char', rdev: { major: 1, minor: 3 }, mtimeMs: 42 });
    expect(m.lstat('/fifo')).toMatchObject({ type: 'fifo' });
    m.mkdir('/a', 0o755);
    m.mkdir('/a/b', 0o755);
    expect(code(() => m.rename('/a', '/a/b/c'))).toBe('EINVAL');
    m.readOnly = true;
    expect(code(() => m.mkdir('/x', 0o755))).toBe('EROFS');
  });
});
