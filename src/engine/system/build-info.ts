/**
 * mydock's own version facts, which `version` and `info` report where
 * Docker reports its daemon's: the package version (Server Version), the
 * Node.js version (where Docker says which Go built it) and when this copy
 * was built (the compiled module's modification time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR, THIS_MODULE } from '../../state/install-paths.js';

/** The Docker API version whose behaviour mydock reproduces, and the oldest Docker's 20.10 engine accepts. */
export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.12';

let cached: { version: string; gitCommit: string } | null = null;

function packageFacts(): { version: string; gitCommit: string } {
  if (cached) return cached;
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version?: unknown; gitHead?: unknown };
    if (typeof pkg.version === 'string') version = pkg.version;
    cached = { version, gitCommit: typeof pkg.gitHead === 'string' ? pkg.gitHead.slice(0, 7) : '' };
  } catch {
    cached = { version, gitCommit: '' };
  }
  return cached;
}

export function mydockVersion(): string {
  return packageFacts().version;
}

/** The commit mydock was packed from when the package records it (npm's gitHead), else empty. */
export function mydockGitCommit(): string {
  return packageFacts().gitCommit;
}

/** When this copy of mydock was built. */
export function buildTime(): Date {
  try {
    return fs.statSync(THIS_MODULE).mtime;
  } catch {
    return new Date(0);
  }
}

/** The runtime mydock runs on, in the place Docker names its Go version. */
export function runtimeVersion(): string {
  return `node${process.version.replace(/^v/, '')}`;
}
