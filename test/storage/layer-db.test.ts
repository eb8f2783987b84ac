import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createDriver } from '../../src/storage/index.js';
import { DRIVER_NAMES } from '../../src/storage/driver.js';
import { chainIdOf, type LayerStore } from '../../src/storage/layer-store.js';
import { openLayerStore } from '../../src/storage/layer-db.js';
import { BASE } from './driver-suite.js';
import { collect, readFile, sha256, tarBytes, tarStream, tempDir, writeFile } from './helpers.js';
import { Readable } from 'node:stream';

describe('chainIdOf (OCI image spec)', () => {
  it('is the DiffID for a base layer and sha256("<parent> <diff>") above it', () => {
    const a = 'sha256:' + 'a'.repeat(64);
    const b = 'sha256:' + 'b'.repeat(64);
    const c = 'sha256:' + 'c'.repeat(64);
    expect(chainIdOf(null, a)).toBe(a);
    const ab = 'sha256:' + createHash('sha256').update(`${a} ${b}`).digest('hex');
    expect(chainIdOf(a, b)).toBe(ab);
    expect(chainIdOf(ab, c)).toBe('sha256:' + createHash('sha256').update(`${ab} ${c}`).digest('hex'));
  });
});

for (const name of DRIVER_NAMES) {
  describe(`layer store on ${name}`, () => {
    let root: string;
    let store: LayerStore;
    beforeEach(() => {
      root = tempDir();
      store = openLayerStore(root, createDriver(name, root));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('registers a tar: DiffID is its sha256, records as Docker writes them', async () => {
      const tar = tarBytes(BASE);
      const layer = await store.register(tarStream(tar), null);
      expect(layer.diffId).toBe(sha256(tar));
      expect(layer.chainId).toBe(layer.diffId);
      expect(layer.size).toBe(76);
      const dir = path.join(root, 'image', name, 'layerdb', 'sha256', layer.chainId.slice(7));
      expect(fs.readdirSync(dir).sort()).toEqual(['cache-id', 'diff', 'size', 'tar-split.json.gz']);
      expect(fs.readFileSync(path.join(dir, 'diff'), 'utf8')).toBe(layer.diffId);
      expect(fs.readFileSync(path.join(dir, 'size'), 'utf8')).toBe('76');
      expect(fs.readFileSync(path.join(dir, 'cache-id'), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
      const lines = gunzipSync(fs.readFileSync(path.join(dir, 'tar-split.json.gz'))).toString().trim().split('\n').map((l) => JSON.parse(l) as { type: number; name?: string });
      expect(lines.filter((l) => l.type === 1).map((l) => l.name)).toEqual(BASE.map((e) => e.name));
      expect(store.driver.isFrozen(layer.cacheId)).toBe(true);
      expect(store.get(layer.chainId)).toEqual(layer);
      expect(store.list()).toEqual([layer]);
    });

    it('register twice returns the same layer', async () => {
      const a = await store.register(tarStream(BASE), null);
      const b = await store.register(tarStream(BASE), null);
      expect(b).toEqual(a);
      const layers = fs.readdirSync(store.driver.home).filter((n) => /^[0-9a-f]{64}$/.test(n) || n === 'dir');
      expect(store.list()).toHaveLength(1);
      expect(layers.length).toBeLessThanOrEqual(1);
    });

    it('stacks layers: ChainIDs, parents, chain()', async () => {
      const a = await store.register(tarStream(BASE), null);
      const t2 = tarBytes([{ name: 'etc/', type: 'dir' }, { name: 'etc/.wh.passwd' }, { name: 'new', body: 'n' }]);
      const b = await store.register(tarStream(t2), a.chainId);
      expect(b.parent).toBe(a.chainId);
      expect(b.chainId).toBe(chainIdOf(a.chainId, sha256(t2)));
      expect(store.chain(b.chainId).map((l) => l.chainId)).toEqual([a.chainId, b.chainId]);
      expect(fs.readFileSync(path.join(root, 'image', name, 'layerdb', 'sha256', b.chainId.slice(7), 'parent'), 'utf8')).toBe(a.chainId);
      await expect(store.register(tarStream(t2), 'sha256:' + '0'.repeat(64))).rejects.toMatchObject({ code: 'LAYER_NOT_FOUND' });
    });

    it('exportLayer gives back the registered bytes (tar-split round trip)', async () => {
      const tar = tarBytes(BASE);
      const layer = await store.register(tarStream(tar), null);
      const out = await collect(store.exportLayer(layer.chainId));
      expect(out.equals(tar)).toBe(true);
    });

    it('tar-split round trip is byte-exact with a tar made by GNU tar', async () => {
      const src = tempDir();
      try {
        fs.mkdirSync(path.join(src, 'etc'));
        fs.writeFileSync(path.join(src, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
        const deep = path.join(src, 'a'.repeat(60), 'b'.repeat(60));
        fs.mkdirSync(deep, { recursive: true });
        fs.writeFileSync(path.join(deep, 'c'.repeat(90)), Buffer.alloc(70_000, 7));
        fs.symlinkSync('/etc/passwd', path.join(src, 'link'));
        fs.writeFileSync(path.join(src, 'big'), 'x');
        fs.linkSync(path.join(src, 'big'), path.join(src, 'hard'));
        const tarFile = path.join(src, '..', path.basename(src) + '.tar');
        execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu', '-C', src, '-cf', tarFile, '.']);
        const tar = fs.readFileSync(tarFile);
        fs.rmSync(tarFile);
        const layer = await store.register(Readable.from([tar.subarray(0, 1000), tar.subarray(1000)]), null);
        expect(layer.diffId).toBe(sha256(tar));
        const out = await collect(store.exportLayer(layer.chainId));
        expect(out.length).toBe(tar.length);
        expect(out.equals(tar)).toBe(true);
        const v = store.driver.view(layer.cacheId);
        expect(v.readlink('/link')).toBe('/etc/passwd');
        expect(v.lstat('/hard')!.nlink).toBe(2);
      } finally {
        fs.rmSync(src, { recursive: true, force: true });
      }
    });

    it('exportLayer refuses a layer whose files changed on disk', async () => {
      const layer = await store.register(tarStream(BASE), null);
      const top = name === 'overlay2' ? path.join(store.driver.home, layer.cacheId, 'diff') : path.join(store.driver.home, 'dir', layer.cacheId);
      fs.writeFileSync(path.join(top, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/bash');
      await expect(collect(store.exportLayer(layer.chainId))).rejects.toMatchObject({ code: 'CORRUPT' });
    });

    it('a failed register leaves nothing behind', async () => {
      await expect(store.register(tarStream([{ name: '../x', body: 'x' }]), null)).rejects.toMatchObject({ code: 'BREAKOUT' });
      expect(store.list()).toEqual([]);
      const home = store.driver.home;
      const left = fs.readdirSync(name === 'overlay2' ? home : path.join(home, 'dir')).filter((n) => n !== 'l');
      expect(left).toEqual([]);
    });

    it('container layers: init layer as Docker makes it, diff, size, export, removal', async () => {
      const base = await store.register(tarStream(BASE), null);
      const rw = store.createRwLayer('c1', base.chainId, { hostname: 'c1' });
      expect(rw.initId).toBe(`${rw.mountId}-init`);
      expect(store.getRwLayer('c1')).toEqual(rw);
      const mounts = path.join(root, 'image', name, 'layerdb', 'mounts', 'c1');
      expect(fs.readdirSync(mounts).sort()).toEqual(['init-id', 'mount-id', 'parent']);
      // What a real Docker init layer holds (docker diff of it against the image):
      expect(store.driver.changes(rw.initId).map((c) => `${c.kind} ${c.path}`)).toEqual([
        'A /.dockerenv', 'A /dev', 'A /dev/console', 'A /dev/pts', 'A /dev/shm',
        'C /etc', 'A /etc/hostname', 'A /etc/hosts', 'A /etc/mtab', 'A /etc/resolv.conf',
        'A /proc', 'A /sys',
      ]);
      const v = store.rwView('c1');
      expect(v.readlink('/etc/mtab')).toBe('/proc/mounts');
      expect(v.lstat('/.dockerenv')).toMatchObject({ type: 'file', mode: 0o755, size: 0 });
      expect(store.rwChanges('c1')).toEqual([]);
      expect(store.rwSize('c1')).toBe(0);
      writeFile(v, '/etc/passwd', 'x\n', { append: true });
      writeFile(v, '/tmp/new', 'abc');
      expect(store.rwChanges('c1').map((c) => `${c.kind} ${c.path}`)).toEqual(['C /etc', 'C /etc/passwd', 'C /tmp', 'A /tmp/new']);
      expect(store.rwSize('c1')).toBe(32 + 3);
      const tar = await collect(store.exportRwLayer('c1'));
      const committed = await store.register(tarStream(tar), base.chainId);
      expect(committed.diffId).toBe(sha256(tar));
      expect(committed.size).toBe(35);
      expect(readFile(store.driver.view(committed.cacheId), '/tmp/new')).toBe('abc');
      store.removeRwLayer('c1');
      expect(store.getRwLayer('c1')).toBeNull();
      expect(store.driver.exists(rw.mountId)).toBe(false);
      expect(store.driver.exists(rw.initId)).toBe(false);
      store.remove(committed.chainId);
      expect(store.get(committed.chainId)).toBeNull();
      expect(store.driver.exists(committed.cacheId)).toBe(false);
    });

    it('init layer replaces image files in the way', async () => {
      const base = await store.register(tarStream([{ name: 'etc/', type: 'dir' }, { name: 'etc/hosts', body: 'image hosts' }, { name: 'etc/mtab', body: 'm' }]), null);
      const rw = store.createRwLayer('c2', base.chainId, { hostname: 'c2' });
      const v = store.rwView('c2');
      expect(v.lstat('/etc/hosts')!.size).toBe(0);
      expect(v.lstat('/etc/mtab')!.type).toBe('symlink');
      expect(store.driver.changes(rw.initId).map((c) => `${c.kind} ${c.path}`)).toContain('C /etc/hosts');
    });
  });
}
