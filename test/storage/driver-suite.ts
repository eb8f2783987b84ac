/**
 * The shared storage driver suite: every driver must pass every check, as
 * every containerd snapshotter runs core/snapshots/testsuite. Where Docker's
 * answer is known from a real engine (overlay2, Docker 20.10), the expected
 * `docker diff` lines are Docker's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { FsError } from '../../src/storage/backend.js';
import type { StorageDriver } from '../../src/storage/driver.js';
import { StorageError } from '../../src/storage/errors.js';
import { Recorder, collect, readFile, sha256, snapshot, tarStream, tempDir, writeFile, type TarSpec } from './helpers.js';

export const BASE: TarSpec[] = [
  { name: 'bin/', type: 'dir' },
  { name: 'bin/busybox', body: 'BUSYBOX-BINARY', mode: 0o100755 },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
  { name: 'etc/', type: 'dir' },
  { name: 'etc/passwd', body: 'root:x:0:0:root:/root:/bin/sh\n' },
  { name: 'etc/shadow', body: 'root:*:1::::::\n', mode: 0o100640, gid: 42 },
  { name: 'home/', type: 'dir' },
  { name: 'home/user/', type: 'dir', mode: 0o40750, uid: 1000, gid: 1000, mtime: 1_500_000_000 },
  { name: 'home/user/notes', body: 'hello', mode: 0o104750, uid: 1000, gid: 1000, mtime: 1_500_000_000 },
  { name: 'tmp/', type: 'dir', mode: 0o41777 },
  { name: 'usr/', type: 'dir' },
  { name: 'usr/share/', type: 'dir' },
  { name: 'usr/share/doc', body: 'doc' },
  { name: 'var/', type: 'dir' },
  { name: 'var/lib/', type: 'dir' },
  { name: 'var/lib/d/', type: 'dir' },
  { name: 'var/lib/d/e/', type: 'dir' },
  { name: 'var/lib/d/e/f', body: 'x\n' },
];

const lines = (cs: { kind: string; path: string }[]): string[] => cs.map((c) => `${c.kind} ${c.path}`);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FsError || err instanceof StorageError) return err.code;
    throw err;
  }
  return 'no error';
}

export function runDriverSuite(name: string, make: (root: string) => StorageDriver): void {
  describe(`storage driver ${name}`, () => {
    let root: string;
    let driver: StorageDriver;

    const base = async (): Promise<void> => {
      driver.create('base', null);
      await driver.applyDiff('base', tarStream(BASE));
      driver.freeze('base');
    };
    const child = async (events?: Recorder): Promise<ReturnType<StorageDriver['view']>> => {
      await base();
      driver.create('ctr', 'base', { events });
      return driver.view('ctr', { events });
    };

    beforeEach(() => {
      root = tempDir();
      driver = make(root);
    });
    afterEach(() => {
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('file from lower layer', async () => {
      const v = await child();
      expect(readFile(v, '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\n');
      expect(v.readdir('/')).toEqual(['bin', 'etc', 'home', 'tmp', 'usr', 'var']);
      expect(v.readlink('/bin/sh')).toBe('busybox');
      const st = v.lstat('/home/user/notes')!;
      expect([st.type, st.mode, st.uid, st.gid, st.size, st.mtimeMs]).toEqual(['file', 0o4750, 1000, 1000, 5, 1_500_000_000_000]);
      expect(driver.changes('ctr')).toEqual([]);
      expect(driver.diffSize('ctr')).toBe(0);
    });

    it('base layer changes are all additions and its size counts files and symlinks', async () => {
      await base();
      const ch = lines(driver.changes('base'));
      expect(ch).toContain('A /bin');
      expect(ch).toContain('A /bin/sh');
      expect(ch).toContain('A /var/lib/d/e/f');
      expect(ch.every((l) => l.startsWith('A '))).toBe(true);
      // 14 + 7 (symlink target) + 30 + 15 + 5 + 3 + 2
      expect(driver.diffSize('base')).toBe(76);
    });

    it('deleted files in child layer', async () => {
      const v = await child();
      v.unlink('/etc/passwd');
      expect(v.lstat('/etc/passwd')).toBeNull();
      expect(v.readdir('/etc')).toEqual(['shadow']);
      expect(lines(driver.changes('ctr'))).toEqual(['C /etc', 'D /etc/passwd']);
      expect(readFile(driver.view('base'), '/etc/passwd')).toContain('root');
      expect(code(() => v.open('/etc/passwd', { read: true }))).toBe('ENOENT');
    });

    it('a file created again after its deletion is a change, not an addition', async () => {
      const v = await child();
      v.unlink('/etc/passwd');
      writeFile(v, '/etc/passwd', 'new\n');
      expect(readFile(v, '/etc/passwd')).toBe('new\n');
      expect(v.readdir('/etc')).toEqual(['passwd', 'shadow']);
      expect(lines(driver.changes('ctr'))).toEqual(['C /etc', 'C /etc/passwd']);
    });

    it('appending to a lower file: docker diff says C for it and its directory', async () => {
      const v = await child();
      writeFile(v, '/etc/passwd', 'x:1:1::/:/bin/sh\n', { append: true });
      expect(readFile(v, '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\nx:1:1::/:/bin/sh\n');
      expect(lines(driver.changes('ctr'))).toEqual(['C /etc', 'C /etc/passwd']);
      expect(driver.diffSize('ctr')).toBe(47);
      expect(readFile(driver.view('base'), '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\n');
    });

    it('copy-up preserves mode, owner and times', async () => {
      const v = await child();
      const before = v.lstat('/home/user/notes')!;
      v.open('/home/user/notes', { write: true }).close();
      const after = v.lstat('/home/user/notes')!;
      expect([after.mode, after.uid, after.gid, after.size]).toEqual([before.mode, before.uid, before.gid, before.size]);
      expect(Math.abs(after.mtimeMs - before.mtimeMs)).toBeLessThan(0.01);
      // The parent directory is copied up with its metadata; the file landing in it
      // then moves its mtime, as on a real overlayfs upper directory.
      const dir = v.lstat('/home/user')!;
      expect([dir.mode, dir.uid, dir.gid]).toEqual([0o750, 1000, 1000]);
      expect(readFile(v, '/home/user/notes')).toBe('hello');
      // Nothing observable changed: Docker's diff lists nothing.
      expect(driver.changes('ctr')).toEqual([]);
      if (driver.name === 'overlay2') {
        expect(after.layer).toEqual({ id: 'ctr', depth: 0 });
        expect(before.layer).toEqual({ id: 'base', depth: 1 });
      }
    });

    it('copy-up happens once and emits its bytes', async () => {
      const rec = new Recorder();
      const v = await child(rec);
      writeFile(v, '/etc/passwd', 'a\n', { append: true });
      writeFile(v, '/etc/passwd', 'b\n', { append: true });
      v.chmod('/etc/passwd', 0o600);
      const ups = rec.of('copy-up').filter((e) => e.path === '/etc/passwd');
      if (driver.name === 'overlay2') {
        expect(ups).toEqual([{ type: 'copy-up', layer: 'ctr', path: '/etc/passwd', bytes: 30, fromLayer: 'base', depth: 1 }]);
        expect(rec.of('copy-up').map((e) => e.path)).toEqual(['/etc', '/etc/passwd']);
        expect(rec.of('lookup').length).toBeGreaterThan(0);
        // A walk over several names reports the lookups that an lstat of each prefix would.
        const walked = new Recorder();
        const each = new Recorder();
        driver.view('ctr', { events: walked }).lstatWalk!('/', ['etc', 'shadow', 'x']);
        const one = driver.view('ctr', { events: each });
        one.lstat('/etc');
        one.lstat('/etc/shadow');
        expect(walked.of('lookup').map(({ path, depth, found }) => ({ path, depth, found }))).toEqual(
          each.of('lookup').map(({ path, depth, found }) => ({ path, depth, found })),
        );
      } else {
        expect(ups).toEqual([]);
        const full = rec.of('full-copy');
        expect(full).toHaveLength(1);
        expect(full[0]).toMatchObject({ layer: 'ctr', fromLayer: 'base', bytes: 76, files: 7 });
      }
      expect(readFile(v, '/etc/passwd')).toBe('root:x:0:0:root:/root:/bin/sh\na\nb\n');
    });

    it('chmod to the same mode copies up but docker diff shows nothing', async () => {
      const v = await child();
      v.chmod('/etc/passwd', 0o644);
      expect(driver.changes('ctr')).toEqual([]);
      // overlay2 counts the copied-up file (directory.Size of diff/); vfs compares trees.
      expect(driver.diffSize('ctr')).toBe(driver.name === 'overlay2' ? 30 : 0);
    });

    it('opaque directory after rmdir+mkdir', async () => {
      const rec = new Recorder();
      const v = await child(rec);
      v.unlink('/var/lib/d/e/f');
      v.rmdir('/var/lib/d/e');
      v.rmdir('/var/lib/d');
      expect(v.lstat('/var/lib/d')).toBeNull();
      v.mkdir('/var/lib/d', 0o755);
      expect(v.readdir('/var/lib/d')).toEqual([]);
      expect(v.lstat('/var/lib/d/e')).toBeNull();
      // Real Docker (overlay2) after `rm -r /var/lib/d; mkdir /var/lib/d`:
      expect(lines(driver.changes('ctr'))).toEqual(['C /var', 'C /var/lib', 'C /var/lib/d', 'D /var/lib/d/e']);
      if (driver.name === 'overlay2') {
        expect(rec.of('opaque').map((e) => e.path)).toEqual(['/var/lib/d']);
        expect(rec.of('whiteout').map((e) => e.path)).toEqual(['/var/lib/d/e/f', '/var/lib/d/e', '/var/lib/d']);
      }
    });

    it('rmdir of a non-empty merged directory is ENOTEMPTY', async () => {
      const v = await child();
      expect(code(() => v.rmdir('/var/lib/d'))).toBe('ENOTEMPTY');
      expect(code(() => v.unlink('/var/lib'))).toBe('EISDIR');
      expect(code(() => v.rmdir('/etc/passwd'))).toBe('ENOTDIR');
    });

    it('rename of a lower file', async () => {
      const v = await child();
      v.rename('/etc/passwd', '/etc/pw2');
      expect(readFile(v, '/etc/pw2')).toContain('root:x');
      expect(v.lstat('/etc/passwd')).toBeNull();
      expect(lines(driver.changes('ctr'))).toEqual(['C /etc', 'D /etc/passwd', 'A /etc/pw2']);
    });

    it('rename of a lower directory', async () => {
      const v = await child();
      if (driver.name === 'overlay2') {
        expect(code(() => v.rename('/var/lib', '/var/lib2'))).toBe('EXDEV');
        expect(v.lstat('/var/lib/d/e/f')).not.toBeNull();
      } else {
        v.rename('/var/lib', '/var/lib2');
        expect(lines(driver.changes('ctr'))).toEqual(['C /var', 'D /var/lib', 'A /var/lib2', 'A /var/lib2/d', 'A /var/lib2/d/e', 'A /var/lib2/d/e/f']);
      }
    });

    it('rename of a directory made in the layer', async () => {
      const v = await child();
      v.mkdir('/tmp/new', 0o755);
      writeFile(v, '/tmp/new/f', 'f');
      v.rename('/tmp/new', '/tmp/moved');
      expect(readFile(v, '/tmp/moved/f')).toBe('f');
      expect(lines(driver.changes('ctr'))).toEqual(['C /tmp', 'A /tmp/moved', 'A /tmp/moved/f']);
    });

    it('rename over an existing lower file replaces it', async () => {
      const v = await child();
      writeFile(v, '/etc/new', 'N');
      v.rename('/etc/new', '/etc/passwd');
      expect(readFile(v, '/etc/passwd')).toBe('N');
      expect(lines(driver.changes('ctr'))).toEqual(['C /etc', 'C /etc/passwd']);
      expect(code(() => v.rename('/etc/passwd', '/var'))).toBe('EISDIR');
    });

    it('hard link to a lower file', async () => {
      const v = await child();
      v.link('/bin/busybox', '/tmp/bb');
      expect(readFile(v, '/tmp/bb')).toBe('BUSYBOX-BINARY');
      expect(v.lstat('/tmp/bb')!.nlink).toBe(2);
      expect(v.lstat('/tmp/bb')!.ino).toBe(v.lstat('/bin/busybox')!.ino);
      writeFile(v, '/tmp/bb', '!', { append: true });
      expect(readFile(v, '/bin/busybox')).toBe('BUSYBOX-BINARY!');
      expect(readFile(driver.view('base'), '/bin/busybox')).toBe('BUSYBOX-BINARY');
    });

    it('hard link without content change: only the new name is listed', async () => {
      const v = await child();
      v.link('/bin/sh', '/tmp/shlink');
      // Real Docker after `ln /bin/id /tmp/idlink`: C /tmp, A /tmp/idlink (the copied-up /bin/id is not listed).
      expect(lines(driver.changes('ctr'))).toEqual(['C /tmp', 'A /tmp/shlink']);
    });

    it('symlinks are stored, never followed', async () => {
      const canary = path.join(root, 'canary');
      fs.mkdirSync(canary);
      const v = await child();
      v.symlink(canary, '/tmp/out');
      v.symlink('../../../../../..', '/tmp/up');
      expect(v.readlink('/tmp/out')).toBe(canary);
      expect(v.lstat('/tmp/out')!.type).toBe('symlink');
      expect(code(() => writeFile(v, '/tmp/out/x', 'x'))).toBe('ENOTDIR');
      expect(code(() => v.mkdir('/tmp/up/x', 0o755))).toBe('ENOTDIR');
      expect(code(() => v.open('/tmp/out', { write: true }))).toBe('ELOOP');
      expect(v.readdir('/tmp')).toEqual(['out', 'up']);
      expect(fs.readdirSync(canary)).toEqual([]);
      expect(lines(driver.changes('ctr'))).toEqual(['C /tmp', 'A /tmp/out', 'A /tmp/up']);
    });

    it('changes lists parents as C and children of added dirs as A', async () => {
      const v = await child();
      v.mkdir('/var/lib/a', 0o755);
      v.mkdir('/var/lib/a/b', 0o755);
      writeFile(v, '/var/lib/a/b/f', 'hi\n');
      v.chmod('/usr/share', 0o700);
      expect(lines(driver.changes('ctr'))).toEqual(['C /usr', 'C /usr/share', 'C /var', 'C /var/lib', 'A /var/lib/a', 'A /var/lib/a/b', 'A /var/lib/a/b/f']);
    });

    it('diff size counts only the changeset', async () => {
      const v = await child();
      writeFile(v, '/tmp/five', '12345');
      v.link('/tmp/five', '/tmp/five-again');
      v.symlink('five', '/tmp/sl');
      v.unlink('/usr/share/doc');
      expect(driver.diffSize('ctr')).toBe(5 + 4);
      expect(driver.diskUsage('ctr')).toBeGreaterThan(0);
    });

    it('export is deterministic and matches a re-export', async () => {
      const v = await child();
      writeFile(v, '/etc/passwd', 'more\n', { append: true });
      v.unlink('/bin/sh');
      v.mkdir('/opt', 0o755);
      writeFile(v, '/opt/' + 'n'.repeat(120), 'long name');
      const a = await collect(driver.exportDiff('ctr'));
      const b = await collect(driver.exportDiff('ctr'));
      expect(sha256(a)).toBe(sha256(b));
      expect(a.length % 512).toBe(0);
      expect(a.subarray(a.length - 1024).every((c) => c === 0)).toBe(true);
    });

    it('apply of an exported diff reproduces the tree', async () => {
      const v = await child();
      writeFile(v, '/etc/passwd', 'more\n', { append: true });
      v.unlink('/bin/sh');
      v.chown('/tmp', 5, 6);
      v.mkdir('/opt', 0o700);
      writeFile(v, '/opt/f', 'f', { mode: 0o640 });
      v.link('/opt/f', '/opt/g');
      v.symlink('/etc/passwd', '/opt/pw');
      v.utimes('/opt/f', 1_000_000_000_000, 1_000_000_000_000);
      const tar = await collect(driver.exportDiff('ctr'));
      driver.create('copy', 'base');
      await driver.applyDiff('copy', tarStream(tar));
      expect(snapshot(driver.view('copy'))).toEqual(snapshot(v));
      expect(driver.changes('copy')).toEqual(driver.changes('ctr'));
      expect(driver.view('copy').lstat('/opt/g')!.nlink).toBe(2);
      expect(sha256(await collect(driver.exportDiff('copy')))).toBe(sha256(tar));
    });

    it('apply refuses ../ and absolute escapes and symlink-parent escapes (a canary dir outside stays untouched)', async () => {
      const canary = path.join(root, 'canary');
      fs.mkdirSync(canary);
      await base();
      const tries: TarSpec[][] = [
        [{ name: '../canary/x', body: 'x' }],
        [{ name: 'a/../../canary/x', body: 'x' }],
        [{ name: 'lnk', type: 'symlink', linkname: canary }, { name: 'lnk/x', body: 'x' }],
        [{ name: 'tmp/lnk', type: 'symlink', linkname: '../../canary' }],
        [{ name: 'hl', type: 'hardlink', linkname: '../canary/y' }],
        [{ name: 'sl', type: 'symlink', linkname: '/' }, { name: 'sl/etc/x', body: 'x' }],
      ];
      let i = 0;
      for (const t of tries) {
        const id = `bad${i++}`;
        driver.create(id, 'base');
        await expect(driver.applyDiff(id, tarStream(t))).rejects.toMatchObject({ code: 'BREAKOUT' });
      }
      expect(fs.readdirSync(canary)).toEqual([]);
      // Absolute names are relative to the layer root.
      driver.create('abs', 'base');
      await driver.applyDiff('abs', tarStream([{ name: '/abs/x', body: 'inside' }, { name: './etc/../etc/y', body: 'y' }]));
      expect(readFile(driver.view('abs'), '/abs/x')).toBe('inside');
      expect(readFile(driver.view('abs'), '/etc/y')).toBe('y');
      expect(fs.existsSync('/abs/x')).toBe(false);
    });

    it('whiteout in tar deletes a lower file', async () => {
      await base();
      driver.create('l2', 'base');
      await driver.applyDiff('l2', tarStream([{ name: 'etc/', type: 'dir' }, { name: 'etc/.wh.passwd', mode: 0o600 }]));
      const v = driver.view('l2');
      expect(v.lstat('/etc/passwd')).toBeNull();
      expect(v.readdir('/etc')).toEqual(['shadow']);
      expect(lines(driver.changes('l2'))).toEqual(['C /etc', 'D /etc/passwd']);
    });

    it('opaque marker in tar hides the lower directory contents', async () => {
      await base();
      driver.create('l2', 'base');
      await driver.applyDiff('l2', tarStream([{ name: 'var/', type: 'dir' }, { name: 'var/lib/', type: 'dir' }, { name: 'var/lib/.wh..wh..opq', mode: 0o755 }, { name: 'var/lib/new', body: 'n' }]));
      const v = driver.view('l2');
      expect(v.readdir('/var/lib')).toEqual(['new']);
      expect(v.lstat('/var/lib/d')).toBeNull();
      expect(lines(driver.changes('l2'))).toEqual(['C /var', 'C /var/lib', 'D /var/lib/d', 'A /var/lib/new']);
    });

    it('frozen layers are read-only and cannot take active children', async () => {
      await base();
      const v = driver.view('base');
      expect(v.readOnly).toBe(true);
      expect(code(() => writeFile(v, '/etc/x', 'x'))).toBe('EROFS');
      expect(code(() => v.unlink('/etc/passwd'))).toBe('EROFS');
      driver.create('act', 'base');
      expect(code(() => driver.create('grandchild', 'act'))).toBe('LAYER_ACTIVE');
      expect(code(() => driver.create('act', 'base'))).toBe('LAYER_EXISTS');
      await expect(driver.applyDiff('base', tarStream([]))).rejects.toMatchObject({ code: 'LAYER_FROZEN' });
      expect(driver.view('act', { readOnly: true }).readOnly).toBe(true);
    });

    it('remove deletes the layer directory', async () => {
      await child();
      expect(driver.exists('ctr')).toBe(true);
      expect(driver.parent('ctr')).toBe('base');
      driver.remove('ctr');
      expect(driver.exists('ctr')).toBe(false);
      const left = fs.readdirSync(driver.home, { recursive: true }).map(String);
      expect(left.some((p) => p.includes('ctr'))).toBe(false);
      expect(driver.exists('base')).toBe(true);
    });

    it('three layers: lookups go down the chain and whiteouts hide only what is below', async () => {
      await base();
      driver.create('mid', 'base');
      await driver.applyDiff('mid', tarStream([{ name: 'etc/', type: 'dir' }, { name: 'etc/.wh.shadow' }, { name: 'etc/mid', body: 'm' }]));
      driver.freeze('mid');
      driver.create('top', 'mid');
      const v = driver.view('top');
      expect(v.readdir('/etc')).toEqual(['mid', 'passwd']);
      writeFile(v, '/etc/shadow', 'again');
      expect(v.readdir('/etc')).toEqual(['mid', 'passwd', 'shadow']);
      expect(lines(driver.changes('top'))).toEqual(['C /etc', 'A /etc/shadow']);
      if (driver.name === 'overlay2') {
        expect(v.lstat('/etc/passwd')!.layer).toEqual({ id: 'base', depth: 2 });
        expect(v.lstat('/etc/mid')!.layer).toEqual({ id: 'mid', depth: 1 });
      }
    });
  });
}
