/**
 * The archive service: the engine half of `save`, `load`, `import` and
 * `export`. It moves images and filesystems in and out of the root as tar
 * archives, through the image store (configs, references) and the layer
 * store (layers, byte-exact layer tars). It never prints: `load` reports
 * each line Docker would print through a callback, as it happens.
 */
import type { Readable } from 'node:stream';
import type { ImageStore } from '../images/index.js';
import type { ContainerService } from '../containers/service.js';
import { exportContainerFs } from './export.js';
import { importImage, type ImportRequest } from './import.js';
import { loadImages, type LoadOptions, type LoadResult } from './load.js';
import { saveImages, type SaveFormat } from './save.js';

export interface ArchiveServiceDeps {
  images(): Promise<ImageStore>;
  containers(): ContainerService;
  /** A directory for unpacking archives (inside the root, so renames stay on one filesystem). */
  tmpDir: string;
}

export class ArchiveService {
  constructor(private readonly deps: ArchiveServiceDeps) {}

  /** `docker import`: returns the new image ID. */
  async import(request: ImportRequest): Promise<string> {
    return importImage(await this.deps.images(), request);
  }

  /**
   * `docker load`: registers every image of the archive and tags it.
   * `onLine` gets "Loaded image: x:1" (and the other lines) as Docker
   * streams them; the result repeats what was loaded.
   */
  async load(source: AsyncIterable<Buffer | Uint8Array | string> | Readable, options: LoadOptions = {}): Promise<LoadResult> {
    return loadImages(await this.deps.images(), source, { tmpDir: this.deps.tmpDir, ...options });
  }

  /**
   * `docker save`: resolves every name first (an unknown one fails before
   * anything is written), then returns the archive as a lazy stream of chunks.
   */
  async save(names: readonly string[], options: { format?: SaveFormat } = {}): Promise<AsyncIterable<Buffer>> {
    return saveImages(await this.deps.images(), names, options.format ?? 'oci', this.deps.tmpDir);
  }

  /** `docker export`: the container's merged filesystem as a tar, generated lazily. */
  async export(nameOrId: string): Promise<Iterable<Buffer>> {
    const svc = this.deps.containers();
    const c = await svc.get(nameOrId);
    return exportContainerFs(await svc.layerStore(), c.record.ID);
  }
}
