/**
 * Wiring for the engine: an ImageStore on a root, with the root's
 * inter-process lock, so every change to images or references made by one
 * mydock process is atomic with respect to the others.
 */
import path from 'node:path';
import { withRootLock } from '../../state/lock.js';
import type { LayerStore } from '../../storage/layer-store.js';
import { ImageStore } from './store.js';
import type { ImageUsage } from './types.js';

export interface OpenImageStoreOptions {
  /** The mydock root (`~/.mydock`, `--root`). */
  root: string;
  /** The storage driver's name: images live under `<root>/image/<driver>`. */
  driver: string;
  layers: LayerStore;
  usage?: ImageUsage;
  clock?: () => Date;
}

/** mydock's own files sit under `<root>/mydock/`, apart from Docker's layout. */
export function verifiedConfigsFile(root: string): string {
  return path.join(root, 'mydock', 'verified-image-configs.json');
}

export function openImageStore(options: OpenImageStoreOptions): ImageStore {
  return new ImageStore({
    imageDir: path.join(options.root, 'image', options.driver),
    verifiedConfigsFile: verifiedConfigsFile(options.root),
    layers: options.layers,
    usage: options.usage,
    clock: options.clock,
    lock: (fn) => withRootLock(options.root, fn),
  });
}
