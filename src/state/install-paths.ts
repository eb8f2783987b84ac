/**
 * Where mydock's own files are: the package directory, its fixtures, and the
 * compiled entry a detached container's shim runs.
 *
 * This is the only module that reads `import.meta.url`. The CLI may run from
 * a single bundled file (see bin/bundle.mjs), where every module shares one
 * location; the bundle then reports this module's own compiled path, so the
 * paths below are the same from src/, from dist/ and from the bundle.
 */
import { fileURLToPath } from 'node:url';

const HERE = import.meta.url;

/** The package's top directory (where package.json is). */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', HERE));

/** The compiled (or source) file of this module; its modification time is when this copy was built. */
export const THIS_MODULE = fileURLToPath(HERE);

/** `fixtures/<name>/` under the package directory. */
export function fixturesDir(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}/`, HERE));
}

/** A module of mydock's own, by its path under src/ (or dist/), e.g. `runtime/shim-main.js`. */
export function ownModule(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, HERE));
}
