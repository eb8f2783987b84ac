/**
 * The process model of the emulated runtime.
 *
 * A program is an async function of its context that resolves to an exit
 * status (0-255). It sees only what a real process would: argv, environment,
 * a filesystem view bound to its working directory, three streams, a clock,
 * the signals sent to it, and a way to start other programs in the same
 * container. It never touches the host filesystem or `process.*` directly.
 *
 * Blocking: a program that waits (sleep, a service's main loop, a shell
 * reading a terminal) awaits `ctx.clock.sleep()` or `ctx.signals.wait()`; both
 * reject with `Killed` when a signal whose disposition is "terminate" arrives,
 * and the runtime turns that into status 128+signal (137 for KILL, 143 for TERM).
 * As in Docker, PID 1 ignores signals it has no handler for (except KILL).
 */
import type { ProcessFs } from './fs/process-fs.js';

export type SignalName = 'HUP' | 'INT' | 'QUIT' | 'KILL' | 'USR1' | 'USR2' | 'PIPE' | 'ALRM' | 'TERM' | 'CHLD' | 'CONT' | 'STOP' | 'TSTP' | 'WINCH';

export const SIGNAL_NUMBERS: Record<SignalName, number> = {
  HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, WINCH: 28,
};

/** Thrown (rejected) out of a blocking call when a terminating signal arrives. */
export class Killed extends Error {
  constructor(readonly signal: SignalName) {
    super(`killed by SIG${signal}`);
    this.name = 'Killed';
  }
  get status(): number {
    return 128 + SIGNAL_NUMBERS[this.signal];
  }
}

/** Raised by `exit` inside a program (the shell's `exit`, `set -e`): unwinds to the program's top. */
export class ExitRequest extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
    this.name = 'ExitRequest';
  }
}

export interface InputStream {
  /** Next chunk, or null at end of input. */
  read(): Promise<Uint8Array | null>;
  /** Everything until end of input. */
  readAll(): Promise<Buffer>;
  /** One line without its "\n", or null at end of input. */
  readLine(): Promise<string | null>;
  readonly isTTY: boolean;
}

export interface OutputStream {
  /** Resolves when the reader has taken the data; rejects with `Killed('PIPE')` when the reader is gone. */
  write(data: string | Uint8Array): Promise<void>;
  readonly isTTY: boolean;
}

export interface Clock {
  now(): number;
  /** Waits `ms`; rejects with `Killed` if a terminating signal arrives meanwhile. */
  sleep(ms: number, signals?: Signals): Promise<void>;
}

export interface Signals {
  /** Installs (or with null removes) a handler; a handled signal no longer terminates. */
  trap(signal: SignalName, handler: ((signal: SignalName) => void) | null | 'ignore'): void;
  /** Delivers a signal (what `kill`, `docker stop` do). */
  send(signal: SignalName): void;
  /** Resolves never, rejects with `Killed` when a terminating signal arrives (a service's main loop). */
  wait(): Promise<never>;
  /** Rejects pending waits of a terminating signal already delivered; for polling loops. */
  check(): void;
}

export interface ContainerInfo {
  id: string;
  name: string;
  hostname: string;
  /** The image reference as given, for `/etc/os-release`-style programs that need it. */
  image: string;
}

export interface User {
  uid: number;
  gid: number;
  name: string;
  home: string;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: InputStream;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

export interface ProcessContext {
  /** argv[0] is the name as invoked (a busybox applet reads it). */
  argv: string[];
  env: Record<string, string>;
  fs: ProcessFs;
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  clock: Clock;
  signals: Signals;
  container: ContainerInfo;
  user: User;
  pid: number;
  /** Runs another program in the same container (PATH lookup, #! scripts), like fork+exec+wait. */
  spawn(argv: string[], options?: SpawnOptions): Promise<number>;
}

export type ProgramMain = (ctx: ProcessContext) => Promise<number>;

export interface ProgramInfo {
  /** The name it is invoked by: "ls", "apk", "nginx". */
  name: string;
  main: ProgramMain;
}
