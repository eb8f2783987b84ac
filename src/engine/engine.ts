/**
 * The in-process "daemon": one object per root that the CLI (or any program)
 * calls. It never prints; it returns values and throws typed errors.
 * Services are created on first use so a command pays only for what it touches.
 */
import { openRoot, type RootLayout } from '../state/root.js';
import type { ContainerService } from './containers/service.js';
import { createContainerService, engineParts } from './containers/wiring.js';

export interface EngineOptions {
  root: string;
  storageDriver?: string;
}

export class Engine {
  constructor(readonly root: RootLayout) {}

  private containerService?: ContainerService;

  get containers(): ContainerService {
    this.containerService ??= createContainerService(engineParts(this));
    return this.containerService;
  }
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const root = await openRoot(options.root, options.storageDriver);
  return new Engine(root);
}
