/**
 * Lexical helpers for container paths and backend paths.
 *
 * Two kinds of path meet in this directory and must never be confused:
 * - a *program path* is whatever a program passed ("../x", "a//b/", "/etc/"):
 *   it is only ever split into components, never handed on;
 * - a *backend path* is built here from components that were each checked
 *   (no "", ".", "..", "/" or NUL), so it is always absolute and normalised,
 *   which is the only form `FsBackend` accepts.
 */
import { FsError } from '../../storage/backend.js';

/** Linux's PATH_MAX and NAME_MAX. */
export const PATH_MAX = 4096;
export const NAME_MAX = 255;

/** Splits a program path into its components, dropping empty ones (so "a//b/" is ["a", "b"]). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/** Checks a program path before any lookup: the kernel refuses these up front. */
export function checkProgramPath(path: string, syscall: string): void {
  if (path === '') throw new FsError('ENOENT', path, syscall);
  if (path.includes('\0')) throw new FsError('EINVAL', path, syscall);
  if (path.length >= PATH_MAX) throw new FsError('ENAMETOOLONG', path, syscall);
}

/** True for a component that names an entry (not "." or ".."). */
export function isName(component: string): boolean {
  return component !== '.' && component !== '..';
}

/** The absolute path of canonical components: [] is "/". */
export function joinComponents(components: readonly string[]): string {
  return '/' + components.join('/');
}

/**
 * True for a path a backend may receive. Every backend path built in this
 * directory satisfies it; the property tests assert it on every call.
 */
export function isBackendPath(path: string): boolean {
  if (path === '/') return true;
  if (!path.startsWith('/') || path.endsWith('/')) return false;
  return path
    .slice(1)
    .split('/')
    .every((c) => c !== '' && c !== '.' && c !== '..' && !c.includes('\0'));
}

/** The last component of a canonical path, or "" for "/". */
export function baseName(components: readonly string[]): string {
  return components.length === 0 ? '' : components[components.length - 1];
}
