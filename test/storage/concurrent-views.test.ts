/**
 * A container's writable layer is shared by separate processes (its main
 * program in the shim, each `exec`): what one view remembers about the top
 * layer may be changed by another. A directory swapped for a symlink to a
 * host path must never be followed on the host by a view that had seen it as
 * a directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsBackend } from '../../src/storage/backend.js';
import { createDriver } from '../../src/storage/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-views-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('two views of one writable layer', () => {
  it('a remembered directory replaced by a symlink is not followed on the host', () => {
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret'), 'host data');
    const driver = createDriver('overlay2', path.join(dir, 'root'));
    driver.create('base', null);
    driver.freeze('base');
    driver.create('ctr', 'base');

    const a = driver.view('ctr');
    const b = driver.view('ctr');
    a.mkdir('/d', 0o755);
    a.mkdir('/d/e', 0o755);
    const h = a.open('/d/e/f', { write: true, create: true });
    h.write(Buffer.from('mine'));
    h.close();
    expect(a.lstat('/d/e/f')?.size).toBe(4); // a now remembers /d and /d/e

    // The other process swaps /d for a link to a host directory.
    b.unlink('/d/e/f');
    b.rmdir('/d/e');
    b.rmdir('/d');
    b.symlink(outside, '/d');
    fs.mkdirSync(path.join(outside, 'e'));
    fs.writeFileSync(path.join(outside, 'e', 'f'), 'host file');

    expect(a.lstat('/d')?.type).toBe('symlink');
    expect(a.lstat('/d/e/f')).toBeNull();
    expect(() => a.open('/d/e/f', { read: true })).toThrow();
    expect(() => a.open('/d/e/g', { write: true, create: true })).toThrow();
    expect(() => a.open('/d/e/f', { write: true, truncate: true })).toThrow();
    expect(() => a.chmod('/d/e/f', 0o777)).toThrow();
    expect(() => a.unlink('/d/e/f')).toThrow();
    expect(fs.readdirSync(path.join(outside, 'e'))).toEqual(['f']);
    expect(fs.readFileSync(path.join(outside, 'e', 'f'), 'utf8')).toBe('host file');
  });

  /** A container layer on a frozen base holding /etc/conf (file), /etc/old, /opt/a/b/c (file), /gone/x. */
  function stack(): { a: FsBackend; b: FsBackend } {
    const driver = createDriver('overlay2', path.join(dir, 'root'));
    driver.create('base', null);
    const base = driver.view('base');
    for (const d of ['/etc', '/opt', '/opt/a', '/opt/a/b', '/gone']) base.mkdir(d, 0o755);
    for (const [f, text] of [['/etc/conf', 'image'], ['/etc/old', 'old'], ['/opt/a/b/c', 'deep'], ['/gone/x', 'x']]) {
      const h = base.open(f!, { write: true, create: true });
      h.write(Buffer.from(text!));
      h.close();
    }
    driver.freeze('base');
    driver.create('ctr', 'base');
    return { a: driver.view('ctr'), b: driver.view('ctr') };
  }

  function read(v: FsBackend, p: string): string {
    const h = v.open(p, { read: true });
    const buf = Buffer.alloc(100);
    const n = h.read(buf, 0, 100, 0);
    h.close();
    return buf.subarray(0, n).toString();
  }

  function write(v: FsBackend, p: string, text: string): void {
    const h = v.open(p, { write: true, create: true, truncate: true });
    h.write(Buffer.from(text));
    h.close();
  }

  it("sees the other view's copy-ups, new files and deletions in directories it looked at before", () => {
    const { a, b } = stack();
    expect(read(a, '/etc/conf')).toBe('image');
    expect(read(a, '/opt/a/b/c')).toBe('deep');
    expect(a.readdir('/etc')).toEqual(['conf', 'old']);

    write(b, '/etc/conf', 'edited'); // copies /etc up
    write(b, '/etc/new', 'new');
    b.unlink('/etc/old'); // a whiteout
    write(b, '/opt/a/b/c', 'deep edit');

    expect(read(a, '/etc/conf')).toBe('edited');
    expect(read(a, '/etc/new')).toBe('new');
    expect(a.lstat('/etc/old')).toBeNull();
    expect(a.readdir('/etc')).toEqual(['conf', 'new']);
    expect(read(a, '/opt/a/b/c')).toBe('deep edit');
  });

  it('never opens through a symlink the other view left where a file was', () => {
    const { a, b } = stack();
    const outside = path.join(dir, 'outside-file');
    fs.writeFileSync(outside, 'host data');
    write(a, '/etc/mine', 'mine');
    expect(read(a, '/etc/mine')).toBe('mine');
    b.unlink('/etc/mine');
    b.symlink(outside, '/etc/mine');
    expect(() => a.open('/etc/mine', { read: true })).toThrow(/ELOOP/);
    expect(() => a.open('/etc/mine', { write: true, truncate: true })).toThrow(/ELOOP/);
    expect(() => a.open('/etc/mine', { write: true, create: true, append: true })).toThrow(/ELOOP/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('host data');
  });

  it('sees a directory the other view removed and made again (opaque) as empty', () => {
    const { a, b } = stack();
    expect(a.readdir('/gone')).toEqual(['x']);
    expect(read(a, '/gone/x')).toBe('x');
    b.unlink('/gone/x');
    b.rmdir('/gone');
    expect(a.lstat('/gone')).toBeNull();
    b.mkdir('/gone', 0o755);
    expect(a.readdir('/gone')).toEqual([]);
    expect(a.lstat('/gone/x')).toBeNull();
  });

  it('sees a top-layer directory the other view replaced by an opaque one as empty', () => {
    const { a, b } = stack();
    // /gone is copied up into the top layer (not opaque: the lower x shows through), and view a looks at it there.
    write(b, '/gone/y', 'y');
    expect(a.readdir('/gone').sort()).toEqual(['x', 'y']);
    // Replaced at once: the new directory may get the old one's inode, and on a coarse clock its ctime.
    b.unlink('/gone/y');
    b.unlink('/gone/x');
    b.rmdir('/gone');
    b.mkdir('/gone', 0o755);
    expect(a.readdir('/gone')).toEqual([]);
    expect(a.lstat('/gone/x')).toBeNull();
  });

  it('lstatWalk answers as lstat of each prefix does, up to the first missing entry or non-directory', () => {
    const { a, b } = stack();
    write(b, '/opt/a/top', 't');
    b.symlink('/etc', '/opt/link');
    const walk = a.lstatWalk!;
    const each = (dir: string, names: string[]): (string | null)[] => {
      const out: (string | null)[] = [];
      let p = dir;
      for (const n of names) {
        p = p === '/' ? `/${n}` : `${p}/${n}`;
        const st = a.lstat(p);
        out.push(st ? `${st.type}:${st.size}:${st.layer?.depth}` : null);
        if (st?.type !== 'dir') break;
      }
      return out;
    };
    const show = (r: ReturnType<typeof walk>): (string | null)[] => r.map((st) => (st ? `${st.type}:${st.size}:${st.layer?.depth}` : null));
    for (const [d, names] of [
      ['/', ['opt', 'a', 'b', 'c']],
      ['/opt', ['a', 'top', 'x']],
      ['/opt', ['link', 'conf']],
      ['/', ['etc', 'missing', 'x']],
      ['/opt/a', ['b', 'c', 'd']],
      ['/gone/x', ['y']],
    ] as const) {
      expect(show(walk.call(a, d, [...names]))).toEqual(each(d, [...names]));
    }
    expect(() => walk.call(a, '/', ['..'])).toThrow();
    expect(() => walk.call(a, '/', ['a/b'])).toThrow();
  });
});

