/**
 * Backend paths: absolute, normalised, relative to the backend's root
 * (backend.ts). These helpers split and join them; none touches the host.
 */
import { FsError } from './backend.js';

/** "/a/b" -> ["a", "b"]; "/" -> []. Refuses anything not normalised (a bug above us). */
export function splitPath(path: string): string[] {
  if (path === '/') return [];
  if (!path.startsWith('/') || path.endsWith('/')) throw new FsError('EINVAL', path, 'resolve');
  const parts = path.slice(1).split('/');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.includes('\0')) throw new FsError('EINVAL', path, 'resolve');
  }
  return parts;
}

/** Refuses a path that is not normalised (`splitPath`'s check), for a caller that walks it by itself. */
export function checkPath(path: string): void {
  splitPath(path);
}

export function joinPath(parts: readonly string[]): string {
  return '/' + parts.join('/');
}

export function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Bytewise comparison, as Go's sort.Strings and filepath.Walk order names. */
export function compareBytes(a: string, b: string): number {
  // UTF-16 order equals UTF-8 byte order except around surrogate pairs.
  if (!/[\ud800-\uffff]/.test(a + b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
