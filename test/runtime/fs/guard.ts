/** Wraps a backend so that every path it receives is checked to be a normalised backend path. */
import type { FsBackend } from '../../../src/storage/backend.js';
import { isBackendPath } from '../../../src/runtime/fs/path.js';

const PATH_ARGS: Record<string, number[]> = {
  lstat: [0],
  readdir: [0],
  readlink: [0],
  open: [0],
  mkdir: [0],
  rmdir: [0],
  unlink: [0],
  symlink: [1],
  link: [0, 1],
  rename: [0, 1],
  chmod: [0],
  chown: [0],
  utimes: [0],
  mknod: [0],
};

export function guard(backend: FsBackend, bad: string[]): FsBackend {
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function' || !(prop in PATH_ARGS)) return value;
      return (...args: unknown[]) => {
        for (const i of PATH_ARGS[prop]) {
          const p = args[i];
          if (typeof p !== 'string' || !isBackendPath(p)) bad.push(`${prop}(${JSON.stringify(p)})`);
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
