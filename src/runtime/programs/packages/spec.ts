/**
 * The package indexes behind the emulated package managers
 * (`fixtures/packages/<distro>.json`): a dozen real packages per distro with
 * their real versions, dependencies, installed sizes and file lists. File
 * contents are not stored: they are generated deterministically (contents.ts),
 * so that a layer made by `apk add` or `apt-get install` has the sizes the
 * real one has and the same bytes on every machine.
 *
 * The indexes are mydock's own data (like the image catalog), read from the
 * package directory, never from a container.
 */
import { readFileSync } from 'node:fs';
import { fixturesDir } from '../../../state/install-paths.js';

/** One file a package installs; paths are relative to "/". */
export type PackageFile =
  /** An emulated binary of the real program's size (binary-marker.ts). */
  | { path: string; program: string; size: number; mode?: string }
  /** A text file with real contents (configs, scripts). */
  | { path: string; text: string; mode?: string }
  /** Deterministic bytes of that many (compiled data, libraries nobody runs). */
  | { path: string; data: number; mode?: string }
  | { path: string; symlink: string };

export interface PackageSpec {
  name: string;
  version: string;
  description: string;
  url?: string;
  license?: string;
  /** Alpine: the repository (main, community); Debian: the archive section (main, universe). */
  repo?: string;
  section?: string;
  priority?: string;
  /** Bytes of the package archive (apk S:, apt "Need to get"). */
  size: number;
  /** Installed size in bytes (apk I:; dpkg's Installed-Size is this in KiB). */
  installedSize: number;
  depends: string[];
  provides?: string[];
  files: PackageFile[];
  /** Maintainer scripts by name ("post-install", "postinst"), stored in the package db. */
  scripts?: Record<string, string>;
  /** Shells the post-install script registers in /etc/shells (add-shell). */
  shells?: string[];
  /** apt: packages recommended (installed too unless --no-install-recommends). */
  recommends?: string[];
  /** Already part of the distro's base image: satisfies dependencies, never installed again. */
  base?: boolean;
  /** For base packages: the bytes their files take (apk's "OK: n MiB" counts them). */
  bytes?: number;
}

export interface RepositorySpec {
  /** "main", "community" (Alpine); "bionic main" style suites (Debian). */
  name: string;
  url: string;
  /** The index file as the real mirror serves it: size in bytes and a description line. */
  indexSize: number;
  /** Alpine: the "v3.17.2-110-g…" line `apk update` prints; apt: the suite's InRelease size. */
  description?: string;
  /** How many packages the real repository holds (apk update's "distinct packages"). */
  packages?: number;
  /** apt: the files `apt-get update` leaves under /var/lib/apt/lists, by name, with their real sizes. */
  lists?: Record<string, number>;
}

export interface PackageIndex {
  distro: string;
  release: string;
  arch: string;
  repositories: RepositorySpec[];
  packages: PackageSpec[];
}

/** `fixtures/packages` at the package root, from src/ or from dist/ alike. */
const FIXTURE_DIR = fixturesDir('packages');

const cache = new Map<string, PackageIndex>();

/** The index named `name` ("alpine-v3.17", "ubuntu-bionic"), read once. */
export function loadIndex(name: string): PackageIndex {
  let index = cache.get(name);
  if (!index) {
    index = JSON.parse(readFileSync(`${FIXTURE_DIR}${name}.json`, 'utf8')) as PackageIndex;
    cache.set(name, index);
  }
  return index;
}

export function findPackage(index: PackageIndex, name: string): PackageSpec | undefined {
  return index.packages.find((p) => p.name === name);
}

/** The package that is or provides `dep` ("so:libreadline.so.8", "cmd:bash", "readline>=8"). */
export function providerOf(index: PackageIndex, dep: string): PackageSpec | undefined {
  const name = depName(dep);
  return findPackage(index, name) ?? index.packages.find((p) => (p.provides ?? []).some((v) => depName(v) === name));
}

/** A dependency without its version constraint: "libc6 (>= 2.27)" -> "libc6", "so:libz.so.1=1.2" -> "so:libz.so.1". */
export function depName(dep: string): string {
  return dep.replace(/\s*\(.*\)$/, '').replace(/[<>=~].*$/, '').trim();
}
