/**
 * What a build reports as it goes. The engine never prints: the CLI turns
 * these into the classic builder's lines ("Step 2/5 : RUN …", " ---> Running
 * in …", " ---> Using cache", …) or buffers them for `-q`.
 */
export type BuildEvent =
  /** The context was read; `size` is the tar size the CLI would send. */
  | { type: 'context'; size: number }
  | { type: 'step'; n: number; total: number; text: string }
  /** A line of a base image pull. */
  | { type: 'pull'; line: string }
  /** `# Executing N build triggers` (ONBUILD of the base image). */
  | { type: 'triggers'; count: number }
  | { type: 'cache' }
  | { type: 'running'; containerId: string }
  /** A piece of a RUN program's output, as written. */
  | { type: 'output'; stream: 'stdout' | 'stderr'; data: string }
  | { type: 'removing'; containerId: string }
  /** The image a step (or FROM) ends with. */
  | { type: 'image'; id: string }
  | { type: 'warning'; text: string }
  | { type: 'built'; id: string }
  | { type: 'tagged'; name: string };

export type BuildListener = (event: BuildEvent) => void;
