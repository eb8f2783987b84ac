/**
 * The builtin registry. Builtins run inside the shell process: they change
 * its state (cd, export, set) or are fast paths busybox ash also builds in
 * (echo, printf, test).
 */
import type { InputStream, OutputStream } from '../../process.js';
import type { Interpreter } from '../interpreter.js';
import { CORE_BUILTINS } from './core.js';
import { ECHO_BUILTINS } from './echo.js';
import { JOB_BUILTINS } from './jobs.js';
import { TEST_BUILTINS } from './test.js';

export interface BuiltinIO {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

export interface Builtin {
  run(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number>;
}

export type BuiltinTable = Record<string, Builtin['run']>;

export const BUILTINS = new Map<string, Builtin>();
for (const table of [CORE_BUILTINS, ECHO_BUILTINS, TEST_BUILTINS, JOB_BUILTINS]) {
  for (const [name, run] of Object.entries(table)) BUILTINS.set(name, { run });
}
