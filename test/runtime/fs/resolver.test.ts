import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsError } from '../../../src/storage/backend.js';
import type { ProcessFs } from '../../../src/runtime/fs/process-fs.js';
import { makeFixture, type Fixture } from './fixture.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
  return 'ok';
}

let fx: Fixture;
let p: ProcessFs;

beforeEach(() => {
  fx = makeFixture();
  expect(fx.cfs.prepareMountpoints()).toEqual(['/data', '/ro', '/etc/motd']);
  p = fx.cfs.forProcess('/');
});
afterEach(() => fx.cleanup());

describe('chroot resolution', () => {
  it('never climbs above /', () => {
    expect(p.realpath('/../../etc')).toBe('/etc');
    expect(p.realpath('../../..')).toBe('/');
    expect(p.withCwd('/etc').realpath('../../../etc/passwd')).toBe('/etc/passwd');
    expect(p.readFile('/../../../etc/passwd').toString()).toContain('root:x:0:0');
  });

  it('resolves absolute symlinks inside the container', () => {
    p.symlink('/etc/passwd', '/etc/pw');
    expect(p.realpath('/etc/pw')).toBe('/etc/passwd');
    expect(p.readFile('/etc/pw').toString()).toContain('root:x');
    expect(p.lstat('/etc/pw').type).toBe('symlink');
    expect(p.readlink('/etc/pw')).toBe('/etc/passwd');
  });

  it('keeps symlinks to / and to ../.. inside', () => {
    p.symlink('/', '/tmp/slash');
    p.symlink('../..', '/tmp/up');
    p.symlink('../../../../../../../../', '/tmp/far');
    expect(p.realpath('/tmp/slash')).toBe('/');
    expect(p.realpath('/tmp/up')).toBe('/');
    expect(p.realpath('/tmp/far/etc')).toBe('/etc');
    expect(p.readFile('/tmp/up/etc/passwd').toString()).toContain('root:x');
    expect(p.readdir('/tmp/slash')).toContain('etc');
  });

  it('fails a symlink loop with ELOOP, and allows exactly 40 links', () => {
    p.symlink('b', '/tmp/a');
    p.symlink('a', '/tmp/b');
    expect(code(() => p.stat('/tmp/a'))).toBe('ELOOP');
    expect(p.lstat('/tmp/a').type).toBe('symlink');
    p.writeFile('/tmp/l0', 'end');
    for (let i = 1; i <= 41; i++) p.symlink(`l${i - 1}`, `/tmp/l${i}`);
    expect(p.readFile('/tmp/l40').toString()).toBe('end');
    expect(code(() => p.readFile('/tmp/l41'))).toBe('ELOOP');
  });

  it('is ENOTDIR through a file and ENOENT through a missing dir', () => {
    expect(code(() => p.stat('/etc/passwd/x'))).toBe('ENOTDIR');
    expect(code(() => p.stat('/etc/passwd/'))).toBe('ENOTDIR');
    expect(code(() => p.writeFile('/etc/passwd/x', 'x'))).toBe('ENOTDIR');
    expect(code(() => p.stat('/nope/x'))).toBe('ENOENT');
    expect(code(() => p.writeFile('/nope/x', 'x'))).toBe('ENOENT');
    expect(code(() => p.stat(''))).toBe('ENOENT');
  });

  it('names the path as the program gave it in errors', () => {
    try {
      p.withCwd('/etc').readFile('../nope');
      expect.unreachable();
    } catch (e) {
      expect((e as FsError).path).toBe('../nope');
    }
  });

  it('resolves relative paths from cwd, and withCwd canonicalises', () => {
    p.symlink('/etc', '/tmp/etclink');
    const q = p.withCwd('/tmp/etclink');
    expect(q.cwd).toBe('/etc');
    expect(q.readFile('passwd').toString()).toContain('root:x');
    expect(code(() => p.withCwd('/etc/passwd'))).toBe('ENOTDIR');
    expect(code(() => p.withCwd('/missing'))).toBe('ENOENT');
  });

  it('realpath with a missing leaf', () => {
    p.symlink('/tmp/new', '/tmp/dangling');
    expect(p.realpath('/tmp/dangling', { allowMissingLeaf: true })).toBe('/tmp/new');
    expect(code(() => p.realpath('/tmp/dangling'))).toBe('ENOENT');
  });
});

describe('mounts', () => {
  it('creates mount points in the root layer, empty files for file mounts only when missing', () => {
    expect(fs.statSync(nodePath.join(fx.layer, 'data')).isDirectory()).toBe(true);
    expect(fs.existsSync(nodePath.join(fx.layer, 'etc/motd'))).toBe(true);
  });

  it('crosses into a mount and back', () => {
    p.writeFile('/data/f', 'in volume');
    expect(fs.readFileSync(nodePath.join(fx.vol, 'f'), 'utf8')).toBe('in volume');
    expect(fs.existsSync(nodePath.join(fx.layer, 'data/f'))).toBe(false);
    p.symlink('/data', '/dl');
    expect(p.readFile('/dl/f').toString()).toBe('in volume');
    p.symlink('../etc/passwd', '/data/rel');
    p.symlink('/etc/passwd', '/data/abs');
    expect(p.realpath('/data/rel')).toBe('/etc/passwd');
    expect(p.readFile('/data/abs').toString()).toContain('root:x');
    expect(p.readdir('/')).toEqual(expect.arrayContaining(['data', 'etc', 'ro', 'tmp']));
    expect(p.mountOf('/data/f')).toMatchObject({ target: '/data', kind: 'volume' });
    expect(p.mountOf('/etc').kind).toBe('root');
  });

  it('goes from a mount root to the parent of the mount point on ..', () => {
    expect(p.realpath('/data/..')).toBe('/');
    expect(p.realpath('/data/../../..')).toBe('/');
    expect(p.withCwd('/data').readFile('../etc/passwd').toString()).toContain('root:x');
    expect(p.withCwd('/data').realpath('..')).toBe('/');
  });

  it('refuses writes to a read-only mount with EROFS', () => {
    expect(p.readFile('/ro/ro.txt').toString()).toBe('read only\n');
    expect(code(() => p.writeFile('/ro/ro.txt', 'x'))).toBe('EROFS');
    expect(code(() => p.writeFile('/ro/new', 'x'))).toBe('EROFS');
    expect(code(() => p.mkdir('/ro/d'))).toBe('EROFS');
    expect(code(() => p.unlink('/ro/ro.txt'))).toBe('EROFS');
    expect(code(() => p.chmod('/ro/ro.txt', 0o600))).toBe('EROFS');
    expect(p.access('/ro/ro.txt', 'w')).toBe(false);
    expect(p.access('/ro/ro.txt', 'r')).toBe(true);
  });

  it('refuses writes to a read-only root but not to its mounts', () => {
    const ro = makeFixture({ readOnlyRoot: true });
    try {
      ro.cfs.prepareMountpoints();
      const q = ro.cfs.forProcess('/');
      expect(code(() => q.writeFile('/etc/x', 'x'))).toBe('EROFS');
      expect(code(() => q.mkdir('/tmp/d'))).toBe('EROFS');
      q.writeFile('/data/ok', 'fine');
      expect(q.readFile('/data/ok').toString()).toBe('fine');
    } finally {
      ro.cleanup();
    }
  });

  it('mounts a single file', () => {
    expect(p.readFile('/etc/motd').toString()).toBe('welcome\n');
    p.writeFile('/etc/motd', 'changed\n');
    expect(fs.readFileSync(nodePath.join(fx.dir, 'motd'), 'utf8')).toBe('changed\n');
    expect(fs.readFileSync(nodePath.join(fx.layer, 'etc/motd'), 'utf8')).toBe('');
    expect(p.stat('/etc/motd').type).toBe('file');
    expect(code(() => p.stat('/etc/motd/x'))).toBe('ENOTDIR');
    expect(code(() => p.writeFile('/etc/motd/x', ''))).toBe('ENOTDIR');
    expect(code(() => p.unlink('/etc/motd'))).toBe('EBUSY');
    expect(code(() => p.rename('/etc/motd', '/etc/motd2'))).toBe('EBUSY');
    expect(code(() => p.realpath('/etc/motd/..'))).toBe('ENOTDIR');
  });

  it('renames across mounts with EXDEV, within one mount fine', () => {
    p.writeFile('/tmp/f', 'x');
    expect(code(() => p.rename('/tmp/f', '/data/f'))).toBe('EXDEV');
    expect(code(() => p.link('/tmp/f', '/data/f'))).toBe('EXDEV');
    p.rename('/tmp/f', '/tmp/g');
    expect(p.exists('/tmp/f')).toBe(false);
    expect(p.readFile('/tmp/g').toString()).toBe('x');
    expect(code(() => p.rmdir('/data'))).toBe('EBUSY');
  });
});

describe('POSIX operations', () => {
  it('creates through a dangling symlink inside the container', () => {
    p.symlink('/tmp/created', '/tmp/dangling');
    p.writeFile('/tmp/dangling', 'made');
    expect(fs.readFileSync(nodePath.join(fx.layer, 'tmp/created'), 'utf8')).toBe('made');
    p.symlink('../../../../../outside', '/tmp/escape');
    p.writeFile('/tmp/escape', 'still inside');
    expect(fs.readFileSync(nodePath.join(fx.layer, 'outside'), 'utf8')).toBe('still inside');
    expect(fs.existsSync(nodePath.join(fx.dir, 'outside'))).toBe(false);
    expect(code(() => p.open('/tmp/dangling2', { write: true, create: true, exclusive: true }).close())).toBe('ok');
    p.symlink('/tmp/x', '/tmp/d3');
    expect(code(() => p.open('/tmp/d3', { write: true, create: true, exclusive: true }))).toBe('EEXIST');
  });

  it('mkdir, recursive mkdir and rm -r', () => {
    p.mkdir('/tmp/a/b/c', { recursive: true });
    p.mkdir('/tmp/a/b/c', { recursive: true });
    expect(code(() => p.mkdir('/tmp/a'))).toBe('EEXIST');
    expect(code(() => p.mkdir('/tmp/q/r'))).toBe('ENOENT');
    expect(code(() => p.mkdir('/etc/passwd/x', { recursive: true }))).toBe('ENOTDIR');
    expect(code(() => p.mkdir('/etc/passwd', { recursive: true }))).toBe('EEXIST');
    p.mkdir('/tmp/x/../y', { recursive: true });
    expect(p.stat('/tmp/x').type).toBe('dir');
    expect(p.stat('/tmp/y').type).toBe('dir');
    p.writeFile('/tmp/a/b/c/f', '1');
    p.symlink('/etc', '/tmp/a/b/etc');
    expect(code(() => p.rm('/tmp/a'))).toBe('EISDIR');
    p.rm('/tmp/a', { recursive: true });
    expect(p.exists('/tmp/a')).toBe(false);
    expect(p.readFile('/etc/passwd').length).toBeGreaterThan(0);
    expect(code(() => p.rm('/tmp/a'))).toBe('ENOENT');
    p.rm('/tmp/a', { force: true });
  });

  it('unlink, rmdir and rename follow POSIX rules', () => {
    p.mkdir('/tmp/d');
    p.writeFile('/tmp/d/f', '');
    expect(code(() => p.unlink('/tmp/d'))).toBe('EISDIR');
    expect(code(() => p.rmdir('/tmp/d'))).toBe('ENOTEMPTY');
    expect(code(() => p.rmdir('/tmp/d/f'))).toBe('ENOTDIR');
    expect(code(() => p.rename('/tmp/d', '/tmp/d/sub'))).toBe('EINVAL');
    p.symlink('/tmp/d', '/tmp/ld');
    expect(code(() => p.rmdir('/tmp/ld/'))).toBe('ENOTDIR');
    p.unlink('/tmp/ld');
    expect(p.exists('/tmp/d/f')).toBe(true);
    p.writeFile('/tmp/g', 'g');
    expect(code(() => p.rename('/tmp/g', '/tmp/d'))).toBe('EISDIR');
  });

  it('access checks the mode bits for the user', () => {
    p.writeFile('/tmp/f', 'x', { mode: 0o600 });
    p.chmod('/tmp/f', 0o600);
    p.writeFile('/tmp/sh', '#!/bin/sh', { mode: 0o755 });
    p.chmod('/tmp/sh', 0o755);
    expect(p.access('/tmp/f', 'r')).toBe(true);
    expect(p.access('/tmp/f', 'x')).toBe(false);
    expect(p.access('/tmp/sh', 'x')).toBe(true);
    expect(p.access('/tmp', 'x')).toBe(true);
    const nobody = fx.cfs.forProcess('/', { user: { uid: 65534, gid: 65534 } });
    expect(nobody.access('/tmp/f', 'r')).toBe(false);
    expect(nobody.access('/tmp/sh', 'r')).toBe(true);
    expect(nobody.access('/tmp/sh', 'w')).toBe(false);
    expect(code(() => nobody.readFile('/tmp/f'))).toBe('EACCES');
    expect(code(() => nobody.chmod('/tmp/f', 0o777))).toBe('EPERM');
    p.mkdir('/tmp/private', { mode: 0o700 });
    p.chmod('/tmp/private', 0o700);
    p.writeFile('/tmp/private/x', 'x');
    expect(code(() => nobody.stat('/tmp/private/x'))).toBe('EACCES');
  });

  it('chown through the view and new files owned by the process user', () => {
    p.chmod('/tmp', 0o1777);
    const user = fx.cfs.forProcess('/tmp', { user: { uid: 1000, gid: 1000 } });
    user.writeFile('mine', 'x');
    expect(p.stat('/tmp/mine').uid).toBe(1000);
    p.writeFile('/tmp/roots', 'x');
    expect(code(() => user.unlink('/tmp/roots'))).toBe('EPERM');
    user.unlink('mine');
  });
});
