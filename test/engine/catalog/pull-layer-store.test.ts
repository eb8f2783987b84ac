/**
 * Catalog pulls through the real layer store and storage drivers: the sizes
 * the drivers measure must be the sizes the fixtures promise, and rmi must
 * give the layers back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, pull } from '../../../src/engine/catalog/index.js';
import { ImageStore, deleteImage, imageHistory, inspectImage, listImages } from '../../../src/engine/images/index.js';
import { createDriver } from '../../../src/storage/index.js';
import { openLayerStore } from '../../../src/storage/layer-db.js';
import type { DriverName } from '../../../src/storage/driver.js';

const catalog = new Catalog();
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-pull-real-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function open(driverName: DriverName): ImageStore {
  const driver = createDriver(driverName, root);
  const layers = openLayerStore(root, driver);
  return new ImageStore({ imageDir: path.join(root, 'image', driverName), layers });
}

describe.each(['overlay2', 'vfs'] as const)('pull into %s', (driverName) => {
  it('alpine and busybox come out at their real sizes', async () => {
    const store = open(driverName);
    await pull(store, 'alpine', { catalog });
    await pull(store, 'busybox', { catalog });
    const rows = listImages(store).map((r) => [r.repoTags[0], r.size]);
    expect(rows).toContainEqual(['alpine:latest', 7049688]);
    expect(rows).toContainEqual(['busybox:latest', 4261550]);
    const alpine = inspectImage(store, 'alpine:latest');
    expect(alpine.GraphDriver.Name).toBe(driverName);
    expect(imageHistory(store, 'alpine').map((h) => h.size)).toEqual([0, 7049688]);

    // The same store opened again (another process) sees the same images.
    const again = open(driverName);
    expect(listImages(again).length).toBe(2);
    expect((await pull(again, 'alpine', { catalog })).upToDate).toBe(true);

    const out = await deleteImage(again, 'alpine');
    const spec = catalog.all().find((i) => i.spec.repository === 'alpine')!.spec;
    expect(out).toEqual([
      { untagged: 'alpine:latest' },
      { untagged: `alpine@${spec.pins!.digest}` },
      { deleted: spec.pins!.id },
      { deleted: spec.pins!.diffIds[0] },
    ]);
    expect(again.layers.get(spec.pins!.diffIds[0]!)).toBeNull();
  });
});

describe('a multi-layer image', () => {
  it('ubuntu:15.04 has the four layers of the storage-driver diagram', async () => {
    const store = open('overlay2');
    const res = await pull(store, 'ubuntu:15.04', { catalog });
    const sizes = imageHistory(store, 'ubuntu:15.04').map((h) => h.size);
    expect(sizes.length).toBe(4);
    expect(sizes[0]).toBe(0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(store.size(res.image));
    expect(store.size(res.image)).toBe(catalog.all().find((i) => i.spec.tags.includes('15.04'))!.spec.pins!.size);
  }, 120_000);
});

describe('two pulls at once', () => {
  it('serialise on the root lock: one downloads, the other finds it up to date', async () => {
    const { openImageStore } = await import('../../../src/engine/images/index.js');
    const mk = () => openImageStore({ root, driver: 'overlay2', layers: openLayerStore(root, createDriver('overlay2', root)) });
    const [a, b] = await Promise.all([pull(mk(), 'busybox', { catalog }), pull(mk(), 'busybox', { catalog })]);
    expect([a.upToDate, b.upToDate].sort()).toEqual([false, true]);
    expect(listImages(mk()).map((r) => r.repoTags)).toEqual([['busybox:latest']]);
  });
});
