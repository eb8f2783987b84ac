/**
 * The in-process "daemon": one object per root that the CLI (or any program)
 * calls. It never prints; it returns values and throws typed errors.
 * Services are created on first use so a command pays only for what it touches.
 */
import path from 'node:path';
import { openRoot, type RootLayout } from '../state/root.js';
import type { ArchiveService } from './archive/service.js';
import type { BuildService } from './build/service.js';
import { lazyService } from './lazy-service.js';
import type { ContainerService } from './containers/service.js';
import { createContainerService, engineParts, type ContainerEngineParts } from './containers/wiring.js';
import type { ImageStore } from './images/index.js';
import type { LayerStore } from '../storage/layer-store.js';
import type { VolumeService } from './volumes/service.js';

export interface EngineOptions {
  root: string;
  storageDriver?: string;
}

export class Engine {
  private volumeService?: Promise<VolumeService>;

  constructor(readonly root: RootLayout) {}

  private containerService?: ContainerService;

  private partsCache?: ContainerEngineParts;

  /** One layer store and one image store per engine, shared by every service. */
  get parts(): ContainerEngineParts {
    this.partsCache ??= engineParts(this);
    return this.partsCache;
  }

  layerStore(): Promise<LayerStore> {
    return Promise.resolve(this.parts.layerStore());
  }

  imageStore(): Promise<ImageStore> {
    return Promise.resolve(this.parts.imageStore());
  }

  /**
   * Every public method of ContainerService is async, so the lazy facade
   * stands for the whole service; its module loads on the first call.
   */
  get containers(): ContainerService {
    this.containerService ??= lazyService(() => createContainerService(this.parts)) as unknown as ContainerService;
    return this.containerService;
  }

  private buildService?: ReturnType<typeof lazyService<BuildService>>;

  /** `docker build` (classic builder), on the same image and layer stores as the containers; loaded on first use. */
  get builds(): ReturnType<typeof lazyService<BuildService>> {
    this.buildService ??= lazyService(async () => {
      const { BuildService } = await import('./build/service.js');
      return new BuildService({ images: async () => this.parts.imageStore(), containers: () => this.containers });
    });
    return this.buildService;
  }

  private archiveService?: ReturnType<typeof lazyService<ArchiveService>>;

  /** `save`, `load`, `import`, `export`: images and filesystems in and out as tar archives; loaded on first use. */
  get archive(): ReturnType<typeof lazyService<ArchiveService>> {
    this.archiveService ??= lazyService(async () => {
      const { ArchiveService } = await import('./archive/service.js');
      return new ArchiveService({
        images: () => this.imageStore(),
        containers: () => this.containers,
        tmpDir: path.join(this.root.path, 'tmp'),
      });
    });
    return this.archiveService;
  }

  /** Named and anonymous volumes; loaded on first use (listing images or containers never needs them). */
  volumes(): Promise<VolumeService> {
    this.volumeService ??= (async () => {
      const [{ VolumeService }, { containerVolumeUsers }] = await Promise.all([import('./volumes/service.js'), import('./volumes/container-users.js')]);
      return new VolumeService(this.root, containerVolumeUsers(this.root));
    })();
    return this.volumeService;
  }
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const root = await openRoot(options.root, options.storageDriver);
  return new Engine(root);
}
