/**
 * `engine.builds`: `docker build` with the classic builder. Runs the build,
 * tags the result, and frames failures as the daemon does: an error before
 * the first step is a daemon error ("Error response from daemon: …"), one
 * after is a build-stream error (the bare message).
 */
import { DaemonError } from '../errors.js';
import type { Image, ImageStore } from '../images/index.js';
import { familiarString, parseDaemonNamed, tagNameOnly } from '../reference/index.js';
import type { ContainerService } from '../containers/service.js';
import type { BuildRequest } from './builder.js';
import { BuildStepError } from './errors.js';
import type { BuildEvent, BuildListener } from './events.js';

export interface BuildServiceDeps {
  images(): Promise<ImageStore>;
  /** The containers engine, which makes the intermediate containers. */
  containers(): ContainerService;
}

export interface BuildOptions extends BuildRequest {
  /** `-t` names, already checked by the CLI. */
  tags?: readonly string[];
}

export interface BuildResult {
  id: string;
  tags: string[];
}

export class BuildService {
  constructor(private readonly deps: BuildServiceDeps) {}

  async build(options: BuildOptions, listener: BuildListener = () => {}): Promise<BuildResult> {
    const images = await this.deps.images();
    let streaming = false;
    const emit = (e: BuildEvent): void => {
      if (e.type === 'step') streaming = true;
      listener(e);
    };
    let image: Image;
    // Loaded on first build, so opening the engine for other commands stays cheap.
    const { ClassicBuilder } = await import('./builder.js');
    const { containerSteps } = await import('./step-containers.js');
    const containers = containerSteps(this.deps.containers(), images.layers);
    try {
      const builder = new ClassicBuilder({ images, containers, pull: (ref, onLine) => pullBase(images, ref, onLine) }, options, emit);
      image = await builder.build();
    } catch (err) {
      if (streaming && err instanceof DaemonError) throw new BuildStepError(err.message, err.code);
      throw err;
    }
    const tags: string[] = [];
    for (const t of options.tags ?? []) {
      const ref = tagNameOnly(parseDaemonNamed(t));
      await images.locked(() => images.addReference(ref, image.id, { touch: true }));
      const name = familiarString(ref);
      tags.push(name);
      emit({ type: 'tagged', name });
    }
    return { id: image.id, tags };
  }
}

/** The classic builder's pull: the daemon's progress lines, without the CLI's own first and last lines. */
async function pullBase(images: ImageStore, ref: string, onLine: (line: string) => void): Promise<Image> {
  const { pull, pullEventLine } = await import('../catalog/index.js');
  const result = await pull(images, ref, {
    onProgress: (e) => {
      const line = pullEventLine(e);
      if (e.id === null && (line.startsWith('Using default tag') || !line.includes(': '))) return;
      onLine(line);
    },
  });
  return result.image;
}
