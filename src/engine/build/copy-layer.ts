/**
 * The bare writable layer a COPY/ADD step writes into (Docker's
 * imageMount.NewRWLayer in performCopy: no container, so no "Running in"
 * line and no container ID in the image), and the read-only view of an
 * image that `COPY --from` reads. It is committed as a layer and released.
 */
import { randomBytes } from 'node:crypto';
import { ContainerFs } from '../../runtime/fs/container-fs.js';
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { FsBackend } from '../../storage/backend.js';
import type { Digest, Layer, LayerStore } from '../../storage/layer-store.js';
import type { HostDirBackend } from '../../storage/host-dir.js';
import { writableSubtree } from '../../storage/subtree.js';

export class CopyLayer {
  readonly id: string;
  private cfs: ContainerFs | null = null;
  /** The writable layer's view (the namespace's root mount). */
  private rootBackend: FsBackend | null = null;
  private created = false;

  /**
   * The writable layer is made on first use (the first `rootFs`).
   */
  constructor(
    private readonly layers: LayerStore,
    private readonly parentLayer: Digest | null,
  ) {
    this.id = randomBytes(32).toString('hex');
  }

  /** Whether anything could have been written (a layer exists to commit). */
  get hasLayer(): boolean {
    return this.created;
  }

  private ensureLayer(): void {
    if (this.created) return;
    this.layers.createRwLayer(this.id, this.parentLayer, { hostname: this.shortId });
    this.created = true;
  }

  get shortId(): string {
    return this.id.slice(0, 12);
  }

  private async namespace(): Promise<ContainerFs> {
    if (this.cfs) return this.cfs;
    this.ensureLayer();
    const { standardMounts } = await import('../../runtime/fs/standard-mounts.js');
    this.rootBackend = this.layers.rwView(this.id);
    const cfs = new ContainerFs({ backend: this.rootBackend, readOnly: false }, standardMounts());
    cfs.prepareMountpoints();
    this.cfs = cfs;
    return cfs;
  }

  /** The layer's root filesystem as root sees it. */
  async rootFs(): Promise<ProcessFs> {
    return (await this.namespace()).forProcess('/');
  }

  /**
   * A backend straight onto the writable layer's directory at `dir`, for
   * writing a whole new tree into it (COPY of a directory): only when the
   * directory's canonical path lies on the root filesystem with no mount at
   * or below it, and the storage driver says nothing below the writable
   * layer shows through there. Null otherwise (then write through `rootFs`).
   */
  directTree(dir: string): HostDirBackend | null {
    const cfs = this.cfs;
    if (!cfs || !this.rootBackend) return null;
    let real: string;
    try {
      real = cfs.forProcess('/').realpath(dir);
    } catch {
      return null;
    }
    const inside = (target: string): boolean => target === real || target.startsWith(real === '/' ? '/' : `${real}/`) || real.startsWith(`${target}/`);
    if (cfs.mountTable.mountsOnly().some((m) => inside(m.target))) return null;
    return writableSubtree(this.rootBackend, real);
  }

  /**
   * The writable layer's changes registered as a layer on `parent`. The
   * container is removed right after, so the layer store may move the files
   * into the new layer rather than write them a second time.
   */
  async commitLayer(parent: Digest | null): Promise<Layer> {
    if (this.layers.commitRwLayer) return this.layers.commitRwLayer(this.id, parent);
    return this.layers.register(this.layers.exportRwLayer(this.id), parent);
  }

  remove(): void {
    if (this.created && this.layers.getRwLayer(this.id)) this.layers.removeRwLayer(this.id);
  }
}
