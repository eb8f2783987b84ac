/**
 * The build's intermediate containers. Like Docker, each step other than
 * FROM runs in a container: a writable layer (with its init layer) on the
 * current image's layers, the standard mounts, and, for RUN, a program run
 * by the runtime. The container is committed as a layer and removed; it
 * never becomes a container record (Docker removes it with `--rm`, and a
 * build is one process here, so nothing else could see it meanwhile).
 */
import { randomBytes } from 'node:crypto';
import { ContainerFs } from '../../runtime/fs/container-fs.js';
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { OutputStream } from '../../runtime/process.js';
import type { FsBackend } from '../../storage/backend.js';
import type { Digest, Layer, LayerStore } from '../../storage/layer-store.js';
import type { HostDirBackend } from '../../storage/host-dir.js';
import { writableSubtree } from '../../storage/subtree.js';

export interface RunSpec {
  argv: string[];
  /** "NAME=value" entries. */
  env: string[];
  cwd: string;
  user: string;
  onOutput(stream: 'stdout' | 'stderr', data: string): void;
}

export class BuildContainer {
  readonly id: string;
  private cfs: ContainerFs | null = null;
  /** The writable layer's view (the namespace's root mount). */
  private rootBackend: FsBackend | null = null;
  private created = false;

  /**
   * The writable layer is made on first use: a metadata-only step (ENV,
   * LABEL, …) gets an ID and a commit but never touches the storage driver,
   * which is what its empty changeset amounts to.
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

  /** The container's root filesystem as root sees it (COPY, WORKDIR). */
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

  /** Runs a program to its end; resolves to its exit status. Start failures resolve to runc's statuses too. */
  async run(spec: RunSpec): Promise<number> {
    const cfs = await this.namespace();
    const { runtimeLauncher } = await import('../containers/runtime-launcher.js');
    const { ProcessSignals } = await import('../../runtime/signals.js');
    const { EmptyInput } = await import('../../runtime/streams.js');
    const { DaemonError } = await import('../errors.js');
    const sink = (stream: 'stdout' | 'stderr'): OutputStream => ({
      isTTY: false,
      async write(data) {
        spec.onOutput(stream, typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
      },
    });
    try {
      const prepared = await runtimeLauncher.prepare(
        {
          fs: cfs,
          argv: spec.argv,
          env: spec.env,
          cwd: spec.cwd || '/',
          user: spec.user,
          stdin: new EmptyInput(),
          stdout: sink('stdout'),
          stderr: sink('stderr'),
          tty: false,
          signals: new ProcessSignals(),
          container: { id: this.id, name: this.shortId, hostname: this.shortId, image: '' },
          pid: 1,
        },
        'main',
      );
      return await prepared.run();
    } catch (err) {
      // runc's start failures (not found, permission) end the step like a failed command.
      if (err instanceof DaemonError) {
        spec.onOutput('stderr', `${err.message}\n`);
        return err.runStatus === 125 ? 127 : err.runStatus;
      }
      throw err;
    }
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
