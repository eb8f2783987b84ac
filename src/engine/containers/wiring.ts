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

/**
 * The engine's parts, as the container service takes them. The engine's
 * own layer and image stores are used when it has them (one instance per
 * engine); until then the service opens its own over the same root.
 */
export function engineParts(engine: { readonly root: RootLayout }): ContainerEngineParts {
  const shared = engine as { readonly root: RootLayout; readonly layers?: LayerStore; readonly imageStore?: ImageStore };
  let layers: Promise<LayerStore> | undefined;
  let images: Promise<ImageStore> | undefined;
  const layerStore = (): Promise<LayerStore> =>
    (layers ??= (async () => {
      if (shared.layers) return shared.layers;
      const { createDriver } = await import('../../storage/index.js');
      const { openLayerStore } = await import('../../storage/layer-db.js');
      return openLayerStore(engine.root.path, createDriver(engine.root.driver, engine.root.path));
    })());
  const imageStore = (): Promise<ImageStore> =>
    (images ??= (async () => {
      if (shared.imageStore) return shared.imageStore;
      const { ImageStore } = await import('../images/index.js');
      const { withRootLock } = await import('../../state/lock.js');
      const { ContainerStore } = await import('./store.js');
      const { containerImageUsage } = await import('./image-adapter.js');
      const ls = await layerStore();
      const containers = new ContainerStore(engine.root);
      return new ImageStore({
        imageDir: engine.root.imageDir,
        layers: ls,
        usage: containerImageUsage(containers, (id) => ls.getRwLayer(id)?.parent ?? null),
        lock: (fn) => withRootLock(engine.root.path, fn),
      });
    })());
  return {
    root: engine.root,
    layerStore,
    imageStore,
    launcher: async () => (await import('./runtime-launcher.js')).runtimeLauncher,
  };
}
