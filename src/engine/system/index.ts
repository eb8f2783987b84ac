/**
 * The `system` engine: disk usage, the top-level inspect lookup, info and
 * version data, the root check and repair, and system prune. Functions take
 * the Engine and return values; the CLI formats them.
 */
export * from './disk-usage.js';
export * from './inspect.js';
export * from './info.js';
export * from './version.js';
export { API_VERSION, MIN_API_VERSION, mydockVersion, mydockGitCommit, buildTime, runtimeVersion } from './build-info.js';
export { goArch, goOs } from './host.js';
export * from './prune.js';
