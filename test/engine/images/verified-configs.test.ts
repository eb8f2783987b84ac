/**
 * Image configs are verified once and remembered between commands, as
 * dockerd verifies them once when it starts. What must never happen: a
 * config whose bytes changed after it was verified being trusted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImageStore, listImages, type Image } from '../../../src/engine/images/index.js';
import { VerifiedConfigs } from '../../../src/engine/images/verified-configs.js';
import { FakeLayerStore } from './fake-layer-store.js';

let root: string;
let cacheFile: string;
let layers: FakeLayerStore;

/** A store as one mydock command opens it, `later` ms after now. */
function command(later = 10_000): ImageStore {
  return new ImageStore({ imageDir: path.join(root, 'image', 'overlay2'), layers, verifiedConfigsFile: cacheFile, clock: () => new Date(Date.now() + later) });
}

/** A one-layer image, tagged `tag` (the day and layer size tell images apart). */
async function image(tag = 'kept:1', day = 1): Promise<Image> {
  const layer = layers.registerBytes(Buffer.alloc(1024 * day), null);
  const created = `2026-01-0${day}T00:00:00Z`;
  const img = await command(0).createFromConfig({
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created, created_by: 'test' }],
  });
  await command(0).tag(img.id, tag);
  return img;
}

function cacheDoc(): { configs: Record<string, { file: unknown; topLayer: string | null }> } {
  return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
}

function configFile(img: Image): string {
  return path.join(root, 'image', 'overlay2', 'imagedb', 'content', 'sha256', img.id.slice(7));
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-verified-'));
  cacheFile = path.join(root, 'mydock', 'verified-image-configs.json');
  layers = new FakeLayerStore();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('verified image configs', () => {
  it('are remembered with the top layer, and a later command finds the same image', async () => {
    const img = await image();
    expect(command().get(img.id)?.topLayer).toBe(img.topLayer);
    expect(new VerifiedConfigs(cacheFile).lookup(img.id, { ino: '0', size: 0, mtime: '0', ctime: '0' })).toBeNull();
    const again = command().get(img.id);
    expect(again?.topLayer).toBe(img.topLayer);
    expect(listImages(command(), {}).map((i) => i.id)).toEqual([img.id]);
  });

  it('are verified again once the file changed: changed bytes of the same length are refused, and the listing leaves the image out', async () => {
    const img = await image();
    command().get(img.id);
    const file = configFile(img);
    const bytes = fs.readFileSync(file);
    bytes[bytes.indexOf('amd64')] = 'A'.charCodeAt(0);
    fs.writeFileSync(file, bytes);
    expect(() => command().get(img.id)).toThrow(/failed to verify/);
    expect(listImages(command(), {})).toEqual([]);
  });

  it('trust nothing from a damaged or forged cache file', async () => {
    const img = await image();
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, '{not json');
    expect(command().get(img.id)?.topLayer).toBe(img.topLayer);
    expect(cacheDoc().configs[img.id]!.topLayer).toBe(img.topLayer);

    // An entry naming another file's identity, and a wrong top layer: the config is hashed and the entry replaced.
    const doc = cacheDoc();
    doc.configs[img.id] = { file: { ino: '1', size: 2, mtime: '3', ctime: '4' }, topLayer: 'sha256:forged' };
    fs.writeFileSync(cacheFile, JSON.stringify(doc));
    expect(command().get(img.id)?.topLayer).toBe(img.topLayer);
  });

  it('are not remembered for a file changed moments ago (file times advance in coarse ticks)', async () => {
    const img = await image();
    expect(command(0).get(img.id)?.topLayer).toBe(img.topLayer);
    expect(fs.existsSync(cacheFile)).toBe(false);
    command().get(img.id);
    expect(Object.keys(cacheDoc().configs)).toEqual([img.id]);
  });

  it('are forgotten with the image', async () => {
    const img = await image();
    command().get(img.id);
    command().db.delete(img.id);
    expect(cacheDoc().configs).toEqual({});
  });

  it('are what a later command uses, without hashing, while the config file is the one verified', async () => {
    const img = await image();
    command().get(img.id);
    // The entry still names the very file, with a top layer no hashing would give: it is believed.
    const doc = cacheDoc();
    doc.configs[img.id]!.topLayer = 'sha256:' + 'e'.repeat(64);
    fs.writeFileSync(cacheFile, JSON.stringify({ ...doc, format: 'mydock-verified-image-configs/2' }));
    expect(command().get(img.id)?.topLayer).toBe('sha256:' + 'e'.repeat(64));
  });

  it('are written once for a listing that verifies many images', async () => {
    const first = await image();
    const second = await image('other:1', 2);
    const writes: string[] = [];
    const store = command();
    const spy = vi.spyOn(fs, 'openSync');
    try {
      listImages(store, { all: true });
      for (const call of spy.mock.calls) if (String(call[0]).includes('verified-image-configs.json.tmp')) writes.push(String(call[0]));
    } finally {
      spy.mockRestore();
    }
    expect(writes).toHaveLength(1);
    expect(Object.keys(cacheDoc().configs).sort()).toEqual([first.id, second.id].sort());
  });
});
