/**
 * Node.js built-in modules loaded on first use. Loading zlib or child_process
 * costs milliseconds that a listing command (`images`, `ps`) should not pay
 * when only a rarer path (gzip, mknod) needs them; ES imports load eagerly,
 * so the modules that sit on common paths take these from here instead.
 */
import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';
import type * as Zlib from 'node:zlib';

// Built-ins resolve the same from anywhere; the path only satisfies createRequire.
const requireBuiltin = createRequire(process.execPath);

function lazily<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}

export const zlib: () => typeof Zlib = lazily('node:zlib');
export const childProcess: () => typeof ChildProcess = lazily('node:child_process');
