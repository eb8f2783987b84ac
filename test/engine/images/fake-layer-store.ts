/**
 * A small in-memory LayerStore for image-engine tests: layers are tar bytes
 * kept in a map; size is the sum of regular file sizes and symlink target
 * lengths read from the tar headers.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { chainIdOf, type Digest, type Layer, type LayerStore } from '../../../src/storage/layer-store.js';
import type { StorageDriver } from '../../../src/storage/driver.js';

export function tarContentSize(tar: Buffer): number {
  let size = 0;
  let off = 0;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const fileSize = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const name = h.subarray(0, 100).toString('latin1').replace(/\0.*$/, '');
    const base = name.replace(/\/$/, '').split('/').pop() ?? '';
    if (!base.startsWith('.wh.')) {
      if (type === '0' || type === '\0') size += fileSize;
      if (type === '2') size += h.subarray(157, 257).toString('latin1').replace(/\0.*$/, '').length;
    }
    off += 512 + Math.ceil(fileSize / 512) * 512;
  }
  return size;
}

export class FakeLayerStore implements LayerStore {
  readonly layers = new Map<Digest, Layer & { tar: Buffer }>();
  removed: Digest[] = [];
  readonly driver = {
    name: 'overlay2',
    home: '/nonexistent/overlay2',
    graphData: (id: string) => ({
      UpperDir: `/nonexistent/overlay2/${id}/diff`,
      MergedDir: `/nonexistent/overlay2/${id}/merged`,
      WorkDir: `/nonexistent/overlay2/${id}/work`,
    }),
  } as unknown as StorageDriver;

  async register(tar: Readable, parent: Digest | null): Promise<Layer> {
    const chunks: Buffer[] = [];
    for await (const c of tar) chunks.push(Buffer.from(c as Uint8Array));
    return this.registerBytes(Buffer.concat(chunks), parent);
  }

  registerBytes(bytes: Buffer, parent: Digest | null, sizeOverride?: number): Layer {
    const diffId = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const chainId = chainIdOf(parent, diffId);
    const existing = this.layers.get(chainId);
    if (existing) return existing;
    const layer = {
      chainId,
      diffId,
      parent,
      cacheId: createHash('sha256').update(`cache ${chainId}`).digest('hex'),
      size: sizeOverride ?? tarContentSize(bytes),
      tar: bytes,
    };
    this.layers.set(chainId, layer);
    return layer;
  }

  get(chainId: Digest): Layer | null {
    return this.layers.get(chainId) ?? null;
  }
  list(): Layer[] {
    return [...this.layers.values()];
  }
  remove(chainId: Digest): void {
    this.layers.delete(chainId);
    this.removed.push(chainId);
  }
  exportLayer(chainId: Digest): Readable {
    return Readable.from([this.layers.get(chainId)!.tar]);
  }
  chain(chainId: Digest): Layer[] {
    const out: Layer[] = [];
    let cur: Digest | null = chainId;
    while (cur !== null) {
      const l = this.layers.get(cur);
      if (!l) throw new Error(`layer not found: ${cur}`);
      out.unshift(l);
      cur = l.parent;
    }
    return out;
  }
  createRwLayer(): never {
    throw new Error('not in the fake');
  }
  getRwLayer(): null {
    return null;
  }
  removeRwLayer(): void {}
  rwView(): never {
    throw new Error('not in the fake');
  }
  rwChanges(): never {
    throw new Error('not in the fake');
  }
  rwSize(): number {
    return 0;
  }
  exportRwLayer(): never {
    throw new Error('not in the fake');
  }
}
