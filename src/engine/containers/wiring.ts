/**
 * Builds the container service from the engine's other parts. Each part is
 * taken lazily, so `ps` loads no runtime and `inspect` starts no shim.
 */
import type { RootLayout } from '../../state/root.js';
import type { LayerStore } from '../../storage/layer-store.js';
import type { ImageStore } from '../images/index.js';
import type { Launcher } from './launcher.js';
import { imagePortFor } from './image-adapter.js';
import { NO_VOLUMES, type VolumePort } from './ports.js';
import { ContainerService } from './service.js';

/** What the engine offers the container service; each getter is called only when needed. */
export interface ContainerEngineParts {
  readonly root: RootLayout;
  layerStore(): LayerStore | Promise<LayerStore>;
  imageStore(): ImageStore | Promise<ImageStore>;
  volumePort?(): VolumePort | Promise<VolumePort>;
  launcher(): Launcher | Promise<Launcher>;
}

export function createContainerService(parts: ContainerEngineParts): ContainerService {
  return new ContainerService({
    root: parts.root,
    layers: () => parts.layerStore(),
    images: async () => imagePortFor(await parts.imageStore()),
    volumes: () => (parts.volumePort ? parts.volumePort() : NO_VOLUMES),
    launcher: () => parts.launcher(),
    shim: async () => {
      const { spawnShim, ShimFailed } = await import('../../runtime/shim.js');
      const { DaemonError, ClientError } = await import('../errors.js');
      return {
        async spawn(root: string, id: string) {
          try {
            await spawnShim(root, id);
          } catch (err) {
            if (!(err instanceof ShimFailed)) throw err;
            const d = err.detail;
            throw d.daemon
              ? new DaemonError(d.message, d.code, {}, { status: d.status, runStatus: d.runStatus })
              : new ClientError(d.message, d.code, {}, { status: d.status });
          }
        },
      };
    },
  });
}

/** Thrown while a part the container service needs is not part of this build yet. */
function missing(part: string): never {
  throw new Error(`${part} is not available in this build`);
}

/**
 * The engine's parts, as the container service takes them. The other
 * services are reached through this one function, so that wiring them in
 * never touches the container code.
 */
export function engineParts(engine: { readonly root: RootLayout }): ContainerEngineParts {
  return {
    root: engine.root,
    layerStore: () => missing('the layer store'),
    imageStore: () => missing('the image store'),
    launcher: async () => (await import('./runtime-launcher.js')).runtimeLauncher,
  };
}
