/**
 * The build's intermediate containers. Like Docker, each step other than
 * FROM runs in a container: a writable layer (with its init layer) on the
 * current image's layers, the standard mounts, and, for RUN, a program run
 * by the runtime. The container is committed as a layer and removed; it
 * never becomes a container record (Docker removes it with `--rm`, and a
 * build is one process here, so nothing else could see it meanwhile).
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ContainerFs } from '../../runtime/fs/container-fs.js';
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { OutputStream } from '../../runtime/process.js';
import type { Digest, LayerStore } from '../../storage/layer-store.js';

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
    const cfs = new ContainerFs({ backend: this.layers.rwView(this.id), readOnly: false }, standardMounts());
    cfs.prepareMountpoints();
    this.cfs = cfs;
    return cfs;
  }

  /** The container's root filesystem as root sees it (COPY, WORKDIR). */
  async rootFs(): Promise<ProcessFs> {
    return (await this.namespace()).forProcess('/');
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

  /** The writable layer's changes as a layer tar. */
  exportLayer(): Readable {
    return this.layers.exportRwLayer(this.id);
  }

  remove(): void {
    if (this.created && this.layers.getRwLayer(this.id)) this.layers.removeRwLayer(this.id);
  }
}
