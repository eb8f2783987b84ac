import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pull } from '../../../src/engine/catalog/index.js';
import { openEngine, type Engine } from '../../../src/engine/engine.js';
import { checkRoot, type CheckReport } from '../../../src/engine/system/check/index.js';

let dir: string;
let engine: Engine;
let imageId: string;
let containerId: string;

async function setup(driver: 'overlay2' | 'vfs' = 'overlay2'): Promise<void> {
  engine = await openEngine({ root: path.join(dir, 'root'), storageDriver: driver });
  const store = await engine.imageStore();
  await pull(store, 'alpine');
  imageId = store.resolve('alpine').id;
  await (await engine.volumes()).create({ name: 'keep' });
  fs.writeFileSync(path.join((await engine.volumes()).mountpoint('keep'), 'data.txt'), 'precious');
  containerId = await engine.containers.create({ image: 'alpine', cmd: ['true'], name: 'c1' });
}

const root = () => engine.root;
const layerDir = (chainId: string) => path.join(root().layerDbDir, 'sha256', chainId.slice(7));
const messages = (r: CheckReport) => r.findings.map((f) => f.message);
/** Makes a path look older than the check's safety window for work in progress. */
const age = (p: string) => fs.utimesSync(p, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));

async function topLayer(): Promise<{ chainId: string; cacheId: string }> {
  const store = await engine.imageStore();
  const img = store.get(imageId)!;
  const l = store.layers.get(img.topLayer!)!;
  return { chainId: l.chainId, cacheId: l.cacheId };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-check-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('system check', () => {
  it('finds nothing wrong in a healthy root (overlay2 and vfs)', async () => {
    await setup();
    expect(await checkRoot(root().path)).toEqual({ findings: [], remaining: 0 });
    const vfsDir = dir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-check-'));
    await setup('vfs');
    expect(await checkRoot(root().path)).toEqual({ findings: [], remaining: 0 });
    fs.rmSync(vfsDir, { recursive: true, force: true });
  });

  it('reports stale temp files and removes them on repair; recent ones may belong to a running command', async () => {
    await setup();
    const stale = path.join(root().imageDir, '.repositories.json.tmp-123-abcdef12');
    const fresh = path.join(root().containersDir, containerId, '.config.v2.json.tmp-456-0123abcd');
    const setDir = path.join(root().layerDbDir, 'tmp', 'write-set-x');
    fs.writeFileSync(stale, '{}');
    fs.writeFileSync(fresh, '{}');
    fs.mkdirSync(setDir, { recursive: true });
    age(stale);
    age(setDir);
    const r = await checkRoot(root().path);
    expect(messages(r)).toEqual([
      'image/overlay2/.repositories.json.tmp-123-abcdef12: left over from an interrupted write',
      'image/overlay2/layerdb/tmp/write-set-x: left over from an interrupted write',
    ]);
    expect(r.remaining).toBe(2);
    const fixed = await checkRoot(root().path, { repair: true });
    expect(fixed.remaining).toBe(0);
    expect(fixed.findings[0]!.repaired).toBe('removed image/overlay2/.repositories.json.tmp-123-abcdef12');
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });

  it('rebuilds a wrong or missing layer size from a walk of its files', async () => {
    await setup();
    const { chainId } = await topLayer();
    const sizeFile = path.join(layerDir(chainId), 'size');
    const real = fs.readFileSync(sizeFile, 'utf8');
    fs.writeFileSync(sizeFile, '5');
    expect(messages(await checkRoot(root().path))).toEqual([`layer ${chainId}: recorded size 5 differs from its files (${real} bytes)`]);
    fs.rmSync(sizeFile);
    expect(messages(await checkRoot(root().path))).toEqual([`layer ${chainId}: its size file is missing`]);
    const r = await checkRoot(root().path, { repair: true });
    expect(r.remaining).toBe(0);
    expect(fs.readFileSync(sizeFile, 'utf8')).toBe(real);
  });

  it('re-hashes layers: a changed file no longer matches the DiffID', async () => {
    await setup();
    const { chainId, cacheId } = await topLayer();
    const file = path.join(root().driverHome, cacheId, 'diff', 'etc', 'hostname');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
    fs.writeFileSync(file, before ? Buffer.concat([before.subarray(0, Math.max(0, before.length - 1)), Buffer.from('#')]) : '');
    const r = await checkRoot(root().path);
    expect(messages(r).some((m) => m.startsWith(`layer ${chainId}: its files no longer match its DiffID`))).toBe(true);
  });

  it('reports an image whose config no longer hashes to its ID, and never deletes it', async () => {
    await setup();
    const file = path.join(root().imageContentDir, imageId.slice(7));
    fs.appendFileSync(file, ' ');
    const r = await checkRoot(root().path, { repair: true });
    expect(messages(r)[0]).toMatch(new RegExp(`^image ${imageId}: its config does not match its ID \\(it hashes to sha256:[0-9a-f]{64}\\)$`));
    expect(r.remaining).toBe(1);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('removes a layer record whose directory is gone; the image that needs it is reported, not deleted', async () => {
    await setup();
    await engine.containers.remove('c1');
    const { chainId, cacheId } = await topLayer();
    fs.rmSync(path.join(root().driverHome, cacheId), { recursive: true });
    const r = await checkRoot(root().path, { repair: true });
    expect(r.findings[0]).toEqual({
      message: `layer ${chainId}: its directory overlay2/${cacheId} (cache-id) is missing`,
      repaired: `removed the layer record image/overlay2/layerdb/sha256/${chainId.slice(7)} (its files are gone)`,
    });
    const diffId = (await engine.imageStore()).get(imageId!)!.config.rootfs?.diff_ids?.at(-1);
    expect(messages(r)).toContain(`image ${imageId}: its layer ${chainId} (DiffID ${diffId}) is missing from the layer store`);
    expect(r.remaining).toBeGreaterThan(0);
    expect(fs.existsSync(layerDir(chainId))).toBe(false);
    expect(fs.existsSync(path.join(root().imageContentDir, imageId.slice(7)))).toBe(true);
  });

  it('removes a container whose writable layer is gone, keeping its volumes', async () => {
    await setup();
    await engine.containers.remove('c1');
    containerId = await engine.containers.create({ image: 'alpine', cmd: ['true'], name: 'c2', binds: ['keep:/data'] });
    const rw = (await engine.layerStore()).getRwLayer(containerId)!;
    fs.rmSync(path.join(root().driverHome, rw.mountId), { recursive: true });
    const r = await checkRoot(root().path);
    expect(messages(r)[0]).toBe(`container ${containerId.slice(0, 12)} (c2): its writable layer ${rw.mountId} is missing from overlay2`);
    const fixed = await checkRoot(root().path, { repair: true });
    expect(fixed.findings[0]!.repaired).toMatch(/^removed container .* \(c2\): its records containers\/[0-9a-f]{64} and what was left of its layer \(its layers are gone\); its volumes were kept$/);
    expect(fs.existsSync(root().containerDir(containerId))).toBe(false);
    expect(fs.existsSync(path.join(root().driverHome, rw.initId))).toBe(false);
    expect(fs.readFileSync(path.join((await engine.volumes()).mountpoint('keep'), 'data.txt'), 'utf8')).toBe('precious');
    expect((await checkRoot(root().path)).remaining).toBe(0);
  });

  it('removes the layer of a container that does not exist, and orphaned driver directories', async () => {
    await setup();
    const rw = (await engine.layerStore()).getRwLayer(containerId)!;
    fs.rmSync(root().containerDir(containerId), { recursive: true });
    const orphan = path.join(root().driverHome, 'a'.repeat(64));
    fs.mkdirSync(path.join(orphan, 'diff'), { recursive: true });
    age(orphan);
    const young = path.join(root().driverHome, 'b'.repeat(64));
    fs.mkdirSync(path.join(young, 'diff'), { recursive: true });
    const r = await checkRoot(root().path, { repair: true });
    expect(messages(r)).toEqual([
      `image/overlay2/layerdb/mounts/${containerId}: the layer of a container that does not exist`,
      `overlay2/${'a'.repeat(64)}: a driver directory no layer or container refers to`,
    ]);
    expect(fs.existsSync(path.join(root().driverHome, rw.mountId))).toBe(false);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(young)).toBe(true);
  });

  it('reports damaged records and a volume without its data, deleting nothing', async () => {
    await setup();
    fs.writeFileSync(path.join(root().containerDir(containerId), 'config.v2.json'), '{"ID":');
    fs.rmSync(path.join(root().volumeDir('keep'), '_data'), { recursive: true });
    fs.mkdirSync(path.join(root().volumesDir, 'strays', '_data'), { recursive: true });
    const r = await checkRoot(root().path, { repair: true });
    expect(messages(r)).toEqual([
      expect.stringMatching(new RegExp(`^container ${containerId.slice(0, 12)}: config.v2.json is not valid JSON`)),
      'volume keep: its data directory volumes/keep/_data is missing',
      "volumes/strays: files without a volume record (kept: they may be someone's data)",
    ]);
    expect(r.remaining).toBe(3);
    expect(fs.existsSync(path.join(root().volumesDir, 'strays', '_data'))).toBe(true);
  });

  it('checks a root whose own file is damaged and rewrites it on repair', async () => {
    await setup();
    fs.writeFileSync(path.join(root().path, 'mydock-root.json'), 'garbage');
    const r = await checkRoot(root().path, { repair: true });
    expect(r.findings[0]).toEqual({
      message: "mydock-root.json is damaged (the overlay2 driver's directories are there)",
      repaired: 'rewrote mydock-root.json for the overlay2 driver',
    });
    expect(JSON.parse(fs.readFileSync(path.join(root().path, 'mydock-root.json'), 'utf8'))).toMatchObject({ storageDriver: 'overlay2', schemaVersion: 1 });
  });
});
