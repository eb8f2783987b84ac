import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { Overlay2Driver, MAX_LOWER_DEPTH } from '../../src/storage/drivers/overlay2.js';
import { MAX_LAYER_DEPTH, openLayerStore } from '../../src/storage/layer-db.js';
import { tempDir, tarStream } from './helpers.js';

describe('layer depth limits (Docker: max depth exceeded)', () => {
  it('overlay2 refuses a layer with more than 128 lower layers', () => {
    const root = tempDir();
    try {
      const d = new Overlay2Driver(root);
      let parent: string | null = null;
      for (let i = 0; i <= MAX_LOWER_DEPTH; i++) {
        const id = `l${i}`;
        d.create(id, parent);
        d.freeze(id);
        parent = id;
      }
      expect(() => d.create('over', parent)).toThrow(/^max depth exceeded$/);
      expect(d.exists('over')).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the layer store refuses a layer on a parent 125 layers deep, before reading the tar', async () => {
    const root = tempDir();
    try {
      const store = openLayerStore(root, new Overlay2Driver(root));
      let parent: string | null = null;
      for (let i = 0; i < MAX_LAYER_DEPTH; i++) {
        parent = (await store.register(tarStream([{ name: `f${i}`, body: String(i) }]), parent)).chainId;
      }
      expect(store.chain(parent!)).toHaveLength(125);
      const before = fs.readdirSync(`${root}/overlay2`).length;
      await expect(store.register(tarStream([{ name: 'x', body: 'x' }]), parent)).rejects.toThrow(/^max depth exceeded$/);
      expect(fs.readdirSync(`${root}/overlay2`)).toHaveLength(before);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
