/**
 * Builds the container service from the engine's other parts. Each part is
 * taken lazily, so `ps` loads no runtime and `inspect` starts no shim.
 */
import type { RootLayout } from '../../state/root.js';
import type { LayerStore } from '../../storage/layer-store.js';
import type { ImageStore } from '../images/index.js';
import type { VolumeService } from '../volumes/service.js';
import type { Launcher } from './launcher.js';
import { imagePortFor } from './image-adapter.js';
import { NO_VOLUMES, type VolumePort } from './ports.js';
import { containerSource, inspectAny, type InspectAnyResult, type ObjectType } from './inspect-any.js';
import type { ContainerService, DetachedExec } from './service.js';

/** What the engine offers the container service; each getter is called only when needed. */
export interface ContainerEngineParts {
  readonly root: RootLayout;
  layerStore(): LayerStore | Promise<LayerStore>;
  imageStore(): ImageStore | Promise<ImageStore>;
  volumePort?(): VolumePort | Promise<VolumePort>;
  launcher(): Launcher | Promise<Launcher>;
}

/** Loads the service's module on demand: commands that only read images never load the runtime. */
export async function createContainerService(parts: ContainerEngineParts): Promise<ContainerService> {
  const { ContainerService } = await import('./service.js');
  return new ContainerService({
    root: parts.root,
    layers: () => parts.layerStore(),
    images: async () => imagePortFor(await parts.imageStore()),
    volumes: () => (parts.volumePort ? parts.volumePort() : NO_VOLUMES),
    launcher: () => parts.launcher(),
    shim: async () => {
      const { spawnShim, ShimFailed } = await import('../../runtime/shim.js');
      const { DaemonError, ClientError } = await import('../errors.js');
      const run = async (root: string, id: string, exec?: string): Promise<void> => {
          try {
            await spawnShim(root, id, exec);
          } catch (err) {
            if (!(err instanceof ShimFailed)) throw err;
            const d = err.detail;
            throw d.daemon
              ? new DaemonError(d.message, d.code, {}, { status: d.status, runStatus: d.runStatus })
              : new ClientError(d.message, d.code, {}, { status: d.status });
          }
      };
      return {
        spawn: (root: string, id: string) => run(root, id),
        spawnExec: (root: string, id: string, request: DetachedExec) => run(root, id, JSON.stringify(request)),
      };
    },
  });
}

/**
 * The engine's parts: one layer store and one image store over the root,
 * opened on first use. The engine keeps one set (`engine.parts`) and every
 * service shares it.
 */
export function engineParts(engine: { readonly root: RootLayout }): ContainerEngineParts {
  let layers: Promise<LayerStore> | undefined;
  let images: Promise<ImageStore> | undefined;
  const layerStore = (): Promise<LayerStore> =>
    (layers ??= (async () => {
      const { createDriver } = await import('../../storage/index.js');
      const { openLayerStore } = await import('../../storage/layer-db.js');
      return openLayerStore(engine.root.path, createDriver(engine.root.driver, engine.root.path));
    })());
  const imageStore = (): Promise<ImageStore> =>
    (images ??= (async () => {
      const { openImageStore } = await import('../images/index.js');
      const { ContainerStore } = await import('./store.js');
      const { containerImageUsage } = await import('./image-adapter.js');
      const ls = await layerStore();
      const containers = new ContainerStore(engine.root);
      return openImageStore({
        root: engine.root.path,
        driver: engine.root.driver,
        layers: ls,
        usage: containerImageUsage(containers, (id) => ls.getRwLayer(id)?.parent ?? null),
      });
    })());
  let volumePort: Promise<VolumePort> | undefined;
  const withVolumes = engine as { readonly root: RootLayout; volumes?: () => Promise<VolumeService> };
  return {
    root: engine.root,
    layerStore,
    imageStore,
    volumePort: () =>
      (volumePort ??= (async () => {
        if (!withVolumes.volumes) return NO_VOLUMES;
        const { volumePortFor } = await import('./volume-adapter.js');
        const { ContainerStore } = await import('./store.js');
        return volumePortFor(await withVolumes.volumes(), new ContainerStore(engine.root));
      })()),
    launcher: async () => (await import('./runtime-launcher.js')).runtimeLauncher,
  };
}

/** What the top-level `inspect` needs of the engine. */
export interface InspectableEngine {
  readonly root: RootLayout;
  readonly containers: ContainerService;
  volumes(): Promise<{ tryGet(name: string): unknown | null; inspect(name: string): unknown }>;
}

/**
 * `docker inspect NAME...` (the top-level command): containers, then
 * images, then volumes. The CLI prints `records` with the inspect renderer,
 * then `errors` (one per line) and exits 1 when there are any.
 */
export async function inspectObjects(
  engine: InspectableEngine,
  names: readonly string[],
  options: { type?: ObjectType; size?: boolean } = {},
): Promise<InspectAnyResult> {
  const parts = (engine as { readonly parts?: ContainerEngineParts }).parts ?? engineParts(engine);
  return inspectAny(
    {
      container: containerSource((name, size) => engine.containers.inspect(name, size)),
      image: async (name) => {
        const { imageInspectOf } = await import('../images/index.js');
        const store = await parts.imageStore();
        try {
          return imageInspectOf(store, store.resolve(name));
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (code === 'NO_SUCH_IMAGE' || code === 'INVALID_REFERENCE') return null;
          throw err;
        }
      },
      volume: async (name) => {
        const volumes = await engine.volumes();
        return volumes.tryGet(name) ? volumes.inspect(name) : null;
      },
    },
    names,
    options,
  );
}
