/**
 * The in-process "daemon": one object per root that the CLI (or any program)
 * calls. It never prints; it returns values and throws typed errors.
 * Services are created on first use so a command pays only for what it touches.
 */
import path from 'node:path';
import { openRoot, type RootLayout } from '../state/root.js';
import { ArchiveService } from './archive/service.js';
import { BuildService } from './build/service.js';
import type { ContainerService } from './containers/service.js';
import { createContainerService, engineParts, type ContainerEngineParts } from './containers/wiring.js';
import type { ImageStore } from './images/index.js';
import type { LayerStore } from '../storage/layer-store.js';
import { containerVolumeUsers } from './volumes/container-users.js';
import { VolumeService } from './volumes/service.js';

export interface EngineOptions {
  root: string;
  storageDriver?: string;
}

export class Engine {
  private volumeService?: VolumeService;

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

  get containers(): ContainerService {
    this.containerService ??= createContainerService(this.parts);
    return this.containerService;
  }

  private buildService?: BuildService;

  /** `docker build` (classic builder), on the same image and layer stores as the containers. */
  get builds(): BuildService {
    this.buildService ??= ((parts) => new BuildService({ images: async () => parts.imageStore(), containers: () => this.containers }))(this.parts);
    return this.buildService;
  }

  private archiveService?: ArchiveService;

  /** `save`, `load`, `import`, `export`: images and filesystems in and out as tar archives. */
  get archive(): ArchiveService {
    this.archiveService ??= new ArchiveService({
      images: () => this.imageStore(),
      containers: () => this.containers,
      tmpDir: path.join(this.root.path, 'tmp'),
    });
    return this.archiveService;
  }

  get volumes(): VolumeService {
    this.volumeService ??= new VolumeService(this.root, containerVolumeUsers(this.root));
    return this.volumeService;
  }
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const root = await openRoot(options.root, options.storageDriver);
  return new Engine(root);
}
