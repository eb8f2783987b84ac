/**
 * The in-process "daemon": one object per root that the CLI (or any program)
 * calls. It never prints; it returns values and throws typed errors.
 * Services are created on first use so a command pays only for what it touches.
 */
import { openRoot, type RootLayout } from '../state/root.js';
import { BuildService } from './build/service.js';
import type { ContainerService } from './containers/service.js';
import { createContainerService, engineParts } from './containers/wiring.js';
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

  get containers(): ContainerService {
    this.containerService ??= createContainerService(engineParts(this));
    return this.containerService;
  }

  private buildService?: BuildService;

  /** `docker build` (classic builder), on the same image and layer stores as the containers. */
  get builds(): BuildService {
    this.buildService ??= ((parts) => new BuildService({ images: async () => parts.imageStore() }))(engineParts(this));
    return this.buildService;
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
