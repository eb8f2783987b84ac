/** `docker build` (the classic builder): the service, its request and events, and the context readers. */
export { BuildService, type BuildOptions, type BuildResult, type BuildServiceDeps } from './service.js';
export type { BuildRequest } from './builder.js';
export type { BuildEvent, BuildListener } from './events.js';
export { BuildContext, contextFromDirectory, contextFromDockerfile, type ContextEntry } from './context/context.js';
export { contextFromTar, isGzip, looksLikeTar } from './context/from-tar.js';
export { IgnoreMatcher, IgnorePatternError, readIgnoreFile } from './context/ignore.js';
export { BuildStepError } from './errors.js';
