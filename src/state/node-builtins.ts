/**
 * Node.js built-in modules loaded on first use. Loading zlib, child_process or tty
 * costs milliseconds that a listing command (`images`, `ps`) should not pay
 * when only a rarer path (gzip, mknod) needs them; ES imports load eagerly,
 * so the modules that sit on common paths take these from here instead.
 */
import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';
import type * as Os from 'node:os';
import type * as Tty from 'node:tty';
import type * as Zlib from 'node:zlib';

// Built-ins resolve the same from anywhere; the path only satisfies createRequire.
const requireBuiltin = createRequire(process.execPath);

function lazily<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireBuiltin(name) as T);
}

export const zlib: () => typeof Zlib = lazily('node:zlib');
export const childProcess: () => typeof ChildProcess = lazily('node:child_process');
/** Only a root left to its default (`~/.mydock`) needs the home directory. */
export const os: () => typeof Os = lazily('node:os');
/** node:tty brings in Node's network modules: only asked for when a command must know whether it writes to a terminal. */
export const tty: () => typeof Tty = lazily('node:tty');
