/**
 * The build's intermediate containers, as the classic builder's
 * containerManager makes them: real containers of the containers engine.
 * Every step but COPY/ADD creates one from the step's run config (so it
 * gets the image's VOLUMEs as anonymous volumes, a name, a record that
 * `ps -a` lists), RUN starts it, and the step commits its writable layer.
 * After the step the builder removes it (`--rm`, after a successful step;
 * `--force-rm`, after any step) with its volumes, or leaves it, as Docker
 * does: a failed RUN's container stays `Exited (N)`.
 */
import { ContainerFs } from '../../runtime/fs/container-fs.js';
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { OutputStream } from '../../runtime/process.js';
import type { Digest, Layer, LayerStore } from '../../storage/layer-store.js';
import type { ContainerService } from '../containers/service.js';
import type { ContainerConfig } from '../images/index.js';

export type OutputSink = (stream: 'stdout' | 'stderr', data: string) => void;

export interface StepContainers {
  /** Creates the step's container on `imageId` ('' for FROM scratch) from the step's run config; resolves to its ID. */
  create(imageId: string, config: ContainerConfig): Promise<string>;
  /** Starts it and waits for its end; resolves to the exit status. A start failure (runc's) is thrown. */
  run(id: string, onOutput: OutputSink): Promise<number>;
  /** Its root filesystem without mounts, as ContainerCreateWorkdir sees it. */
  rootFs(id: string): ProcessFs;
  /**
   * Its writable layer registered as a layer on `parent`. `move` when the
   * container is removed right after: the files move into the new layer
   * instead of being written a second time.
   */
  commitLayer(id: string, parent: Digest | null, move: boolean): Promise<Layer>;
  /** Removed with its anonymous volumes, as the builder's RemoveAll does. */
  remove(id: string): Promise<void>;
}

/** The run config as ContainerCreate options: the step's config is complete, so nothing of the image's is merged in that it lacks. */
function createOptions(imageId: string, c: ContainerConfig) {
  return {
    image: imageId,
    cmd: [...(c.Cmd ?? [])],
    env: [...(c.Env ?? [])],
    workdir: c.WorkingDir ?? '',
    user: c.User ?? '',
    labels: { ...(c.Labels ?? {}) },
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    anonymousVolumes: Object.keys(c.Volumes ?? {}),
    detach: true,
    ...(c.StopSignal ? { stopSignal: c.StopSignal } : {}),
    buildStep: { entrypoint: c.Entrypoint ?? null },
  };
}

function sink(onOutput: OutputSink, stream: 'stdout' | 'stderr'): OutputStream {
  return {
    isTTY: false,
    async write(data) {
      onOutput(stream, typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    },
  };
}

export function containerSteps(containers: ContainerService, layers: LayerStore): StepContainers {
  return {
    create: (imageId, config) => containers.create(createOptions(imageId, config)),

    async run(id, onOutput) {
      const { ProcessSignals } = await import('../../runtime/signals.js');
      const { EmptyInput } = await import('../../runtime/streams.js');
      const stdio = { stdin: new EmptyInput(), stdout: sink(onOutput, 'stdout'), stderr: sink(onOutput, 'stderr') };
      return containers.runMain(id, stdio, new ProcessSignals());
    },

    rootFs(id) {
      const cfs = new ContainerFs({ backend: layers.rwView(id), readOnly: false }, []);
      cfs.prepareMountpoints();
      return cfs.forProcess('/');
    },

    async commitLayer(id, parent, move) {
      if (move && layers.commitRwLayer) return layers.commitRwLayer(id, parent);
      return layers.register(layers.exportRwLayer(id), parent);
    },

    remove: (id) => containers.remove(id, { force: true, volumes: true }),
  };
}
