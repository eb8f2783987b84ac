/**
 * Starting programs in a container: command search, permission checks,
 * recognising what an executable file is (binary-marker.ts), and building
 * the ProcessContext each program runs with.
 *
 * Two entry points:
 * - `ProcessRunner.startMainProcess(argv, options)`: a container's main
 *   process or a `docker exec`; fails with Docker's texts when the program
 *   cannot start, else runs it and resolves its exit.
 * - `ProcessRunner.exec(request)` (the shell's host) and `ctx.spawn` (every
 *   program's fork+exec+wait). Given the caller's own pid and signals (the
 *   shell's `exec`), the program takes the caller's place in the process
 *   table: same pid, and the signals sent to that pid reach the program.
 */
import type { ForProcessOptions } from './fs/container-fs.js';
import type { ProcessFs } from './fs/process-fs.js';
import { outputStreamHandle } from './fs/stdio.js';
import { classifyBinary, MARKER_WINDOW, type BinaryKind } from './binary-marker.js';
import { RealClock } from './clock.js';
import { Killed, type Clock, type ContainerInfo, type InputStream, type OutputStream, type ProcessContext, type ProgramMain, type SignalName, type SpawnOptions, type User } from './process.js';
import { appletNames, lookupApplet } from './programs/index.js';

const APPLET_NAMES = new Set(appletNames());
import { BUILTINS } from './shell/builtins/index.js';
import { DEFAULT_PATH, searchCommand, type ExecOutcome, type ExecRequest, type ShellHost } from './shell/host.js';
import { shellMain, type ShellProgramOptions } from './shell/main.js';
import { ProcessSignals } from './signals.js';
import { EmptyInput, NullOutput } from './streams.js';

export { DEFAULT_PATH, searchCommand } from './shell/host.js';
export type { ExecOutcome, ExecRequest, ShellHost } from './shell/host.js';

/** Makes the filesystem view of one process (ContainerFs.forProcess, or a test double). */
export type ForProcess = (cwd: string, options: ForProcessOptions) => ProcessFs;

/** Names the shell itself answers to when a binary stands for it. */
const SHELL_NAMES = new Set(['sh', 'ash', 'bash', 'dash']);

/** Every program name mydock can run: the busybox applets plus the shell. */
export function runnablePrograms(): string[] {
  return [...new Set([...appletNames(), 'sh', 'ash'])].sort();
}

const NATIVE_MESSAGE =
  'cannot execute native code: mydock emulates the programs of its images (the busybox applets and the shell; ' +
  'list them with `busybox --list`) and cannot run other binaries';

/** Why a container's main process (or `docker exec`) could not start, in Docker's words. */
export class CannotStart extends Error {
  constructor(
    message: string,
    /** "not-found" 127, "permission" 126, "format" (exec format error), "native" 126. */
    readonly reason: 'not-found' | 'permission' | 'format' | 'native',
    /** The status `docker run` / `docker exec` exits with. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'CannotStart';
  }
}

export interface ProcessIo {
  stdin?: InputStream;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

export interface StartOptions extends ProcessIo {
  env?: Record<string, string>;
  cwd?: string;
  user?: User;
  /** The container's PID 1 ignores signals it does not handle (except KILL). */
  pid1?: boolean;
}

export interface RunningProcess {
  pid: number;
  signals: ProcessSignals;
  /** Resolves with the exit status (128+n when killed by signal n) and the signal, if any. */
  exited: Promise<{ status: number; signal: SignalName | null }>;
}

export interface RunnerOptions {
  forProcess: ForProcess;
  container: ContainerInfo;
  /** The default user of processes (the image's USER); root by default. */
  user?: User;
  clock?: Clock;
  /** Programs by name; the busybox applets by default. */
  lookupProgram?: (name: string) => ProgramMain | undefined;
  shell?: ShellProgramOptions;
  /** The first pid handed out (1: the main process). */
  firstPid?: number;
}

interface ProcessEntry {
  pid: number;
  argv: string[];
  signals: ProcessSignals;
}

const ROOT: User = { uid: 0, gid: 0, name: 'root', home: '/root' };
const MAX_INTERPRETER_DEPTH = 4;

type Resolved =
  | { kind: 'program'; main: ProgramMain; argv: string[] }
  | { kind: 'failed'; error: 'EACCES' | 'ENOENT' | 'ENOEXEC' | 'NATIVE'; message?: string };

export class ProcessRunner implements ShellHost {
  private nextPid: number;
  private readonly processes = new Map<number, ProcessEntry>();
  private readonly elfCache = new Map<string, BinaryKind>();
  private readonly clock: Clock;
  private readonly defaultUser: User;

  constructor(private readonly options: RunnerOptions) {
    this.nextPid = options.firstPid ?? 1;
    this.clock = options.clock ?? new RealClock();
    this.defaultUser = options.user ?? ROOT;
  }

  isApplet(name: string): boolean {
    return APPLET_NAMES.has(name);
  }

  newPid(): number {
    return this.nextPid++;
  }

  /** The live processes, for `docker top`-like views and /proc. */
  list(): { pid: number; argv: string[] }[] {
    return [...this.processes.values()].map((p) => ({ pid: p.pid, argv: p.argv }));
  }

  kill(pid: number, signal: SignalName): boolean {
    const p = this.processes.get(pid);
    if (!p) return false;
    p.signals.send(signal);
    return true;
  }

  /** Delivers a signal to every process (the container stops: KILL). */
  killAll(signal: SignalName): void {
    for (const p of [...this.processes.values()]) p.signals.send(signal);
  }

  // ---- resolution ---------------------------------------------------------------

  /** What kind of executable a file is; the whole file is read only for ELF files without a marker, once per version. */
  classify(fs: ProcessFs, path: string): BinaryKind {
    const handle = fs.open(path, { read: true });
    try {
      const head = Buffer.alloc(MARKER_WINDOW);
      const n = handle.read(head, 0, head.length, 0);
      const kind = classifyBinary(head.subarray(0, n));
      if (kind.kind !== 'elf') return kind;
      const st = handle.stat();
      const key = `${fs.realpath(path)}\0${st.size}\0${st.mtimeMs}`;
      const cached = this.elfCache.get(key);
      if (cached) return cached;
      const full = fs.readFile(path);
      const result = classifyBinary(head.subarray(0, n), full);
      this.elfCache.set(key, result);
      return result;
    } finally {
      handle.close();
    }
  }

  /** The program for a binary standing for `program`, as invoked by `argv`. */
  private programFor(program: string, argv: string[], dialect?: 'dash', standalonePath?: string): Resolved {
    const lookup = this.options.lookupProgram ?? lookupApplet;
    let name = program;
    let args = argv;
    if (program === 'busybox') {
      // The multi-call binary: the applet is the name it was invoked by, or `busybox APPLET ARGS`.
      name = basename(argv[0] ?? 'busybox');
      if (name === 'busybox' && argv[1] !== undefined && (SHELL_NAMES.has(argv[1]) || !lookup(argv[1]))) {
        name = argv[1];
        args = argv.slice(1);
      }
    }
    if (SHELL_NAMES.has(name)) {
      const base = standalonePath !== undefined ? { ...this.options.shell, standalonePath } : this.options.shell;
      const shell = dialect === 'dash' || name === 'dash' ? { ...base, dialect: 'dash' as const } : base;
      return { kind: 'program', main: (ctx) => shellMain(ctx, this, shell), argv: args };
    }
    const main = lookup(name) ?? builtinAsProgram(name);
    if (main) return { kind: 'program', main, argv: args };
    return { kind: 'failed', error: 'ENOENT', message: `${name}: applet not found` };
  }

  /** Resolves an executable file into a program to run (follows `#!` interpreters). */
  resolveFile(fs: ProcessFs, path: string, argv: string[], depth = 0): Resolved {
    const st = fs.tryStat(path);
    if (!st) return { kind: 'failed', error: 'ENOENT' };
    if (st.type === 'dir' || !fs.access(path, 'x')) return { kind: 'failed', error: 'EACCES' };
    let kind: BinaryKind;
    try {
      kind = this.classify(fs, path);
    } catch {
      return { kind: 'failed', error: 'EACCES' };
    }
    switch (kind.kind) {
      case 'emulated':
        return this.programFor(kind.program, argv, kind.program === 'sh' && isDash(fs, path) ? 'dash' : undefined);
      case 'busybox':
        // A real busybox (Debian's) is a standalone shell: see ShellState.standalonePath.
        return this.programFor('busybox', argv, undefined, path);
      case 'elf':
        return { kind: 'failed', error: 'NATIVE', message: NATIVE_MESSAGE };
      case 'other':
        return { kind: 'failed', error: 'ENOEXEC' };
      case 'script': {
        if (depth >= MAX_INTERPRETER_DEPTH) return { kind: 'failed', error: 'ENOEXEC' };
        const interp = kind.interpreter;
        const ist = fs.tryStat(interp);
        if (!ist) return { kind: 'failed', error: 'ENOENT' };
        const next = [interp, ...(kind.argument !== null ? [kind.argument] : []), path, ...argv.slice(1)];
        const r = this.resolveFile(fs, interp, next, depth + 1);
        return r;
      }
    }
  }

  // ---- running --------------------------------------------------------------------

  private register(argv: string[], pid?: number, signals?: ProcessSignals, pid1 = false): ProcessEntry {
    const entry: ProcessEntry = { pid: pid ?? this.newPid(), argv, signals: signals ?? new ProcessSignals({ pid1 }) };
    this.processes.set(entry.pid, entry);
    return entry;
  }

  /** Runs a resolved program to its end; a kill becomes 128+n. Never rejects. */
  private async run(main: ProgramMain, entry: ProcessEntry, req: { env: Record<string, string>; cwd: string; user?: User } & ProcessIo): Promise<number> {
    const stdout = req.stdout ?? new NullOutput();
    const stderr = req.stderr ?? new NullOutput();
    const outHandle = outputStreamHandle(stdout);
    const errHandle = outputStreamHandle(stderr);
    const user = req.user ?? this.defaultUser;
    let status: number;
    try {
      const fs = this.options.forProcess(req.cwd, { pid: entry.pid, argv: entry.argv, user: { uid: user.uid, gid: user.gid }, stdio: { stdout: outHandle, stderr: errHandle } });
      const ctx: ProcessContext = {
        argv: entry.argv,
        env: req.env,
        fs,
        stdin: req.stdin ?? new EmptyInput(),
        stdout,
        stderr,
        clock: this.clock,
        signals: entry.signals,
        container: this.options.container,
        user,
        pid: entry.pid,
        spawn: (argv, options) => this.spawnFrom(ctx, argv, options),
      };
      status = await main(ctx);
    } catch (err) {
      if (err instanceof Killed) status = err.status;
      else {
        const name = basename(entry.argv[0] ?? '');
        await stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`).catch(() => undefined);
        status = 1;
      }
    } finally {
      this.processes.delete(entry.pid);
    }
    await Promise.all([outHandle.settled(), errHandle.settled()]).catch(() => undefined);
    return status & 255;
  }

  /** The shell's host: runs an executable it found on PATH. */
  async exec(req: ExecRequest): Promise<ExecOutcome> {
    const fs = this.options.forProcess(req.cwd, { pid: 0, argv: req.argv });
    const r = this.resolveFile(fs, req.path, req.argv);
    if (r.kind === 'failed') return { kind: 'failed', error: r.error, ...(r.message ? { message: r.message } : {}) };
    const entry = this.register(r.argv, req.pid, req.signals);
    req.beforeStart?.();
    const status = await this.run(r.main, entry, req);
    return { kind: 'exited', status };
  }

  /** ctx.spawn: fork+exec+wait from any program, with busybox's exec failure messages. */
  private async spawnFrom(parent: ProcessContext, argv: string[], options: SpawnOptions = {}): Promise<number> {
    const env = options.env ?? parent.env;
    const cwd = options.cwd ?? parent.fs.cwd;
    const io = { stdin: options.stdin ?? parent.stdin, stdout: options.stdout ?? parent.stdout, stderr: options.stderr ?? parent.stderr };
    const fs = cwd === parent.fs.cwd ? parent.fs : parent.fs.withCwd(cwd);
    const name = argv[0] ?? '';
    const found = searchCommand(fs, name, env.PATH);
    const who = basename(parent.argv[0] ?? 'sh');
    if (found.kind !== 'found') {
      const text = found.kind === 'denied' ? 'Permission denied' : 'No such file or directory';
      await io.stderr.write(`${who}: can't execute '${name}': ${text}\n`);
      return found.kind === 'denied' ? 126 : 127;
    }
    const outcome = await this.exec({ path: found.path, argv, env, cwd, ...io, user: parent.user });
    if (outcome.kind === 'exited') return outcome.status;
    if (outcome.error === 'ENOEXEC') {
      // execvp() runs a file without "#!" with /bin/sh, as the C library does.
      const entry = this.register(['/bin/sh', found.path, ...argv.slice(1)]);
      return this.run((ctx) => shellMain(ctx, this, this.options.shell), entry, { env, cwd, ...io });
    }
    const text = outcome.error === 'EACCES' ? 'Permission denied' : outcome.error === 'NATIVE' ? NATIVE_MESSAGE : 'No such file or directory';
    await io.stderr.write(`${who}: can't execute '${name}': ${text}\n`);
    return outcome.error === 'ENOENT' ? 127 : 126;
  }

  /**
   * Starts a container's main process (or a `docker exec` process): PATH
   * lookup with the process's environment, then run. Rejects with
   * `CannotStart` (Docker's message and status) when it cannot start.
   */
  async startMainProcess(argv: string[], options: StartOptions = {}): Promise<RunningProcess> {
    const env = options.env ?? { PATH: DEFAULT_PATH };
    const cwd = options.cwd ?? '/';
    const user = options.user ?? this.defaultUser;
    let fs: ProcessFs;
    try {
      fs = this.options.forProcess(cwd, { pid: 0, argv, user: { uid: user.uid, gid: user.gid } });
    } catch {
      throw new CannotStart(`chdir to cwd ("${cwd}") set in config.json failed: no such file or directory`, 'not-found', 127);
    }
    const name = argv[0] ?? '';
    const found = searchCommand(fs, name, env.PATH ?? DEFAULT_PATH);
    if (found.kind === 'notfound') {
      if (name.includes('/')) throw new CannotStart(`exec: "${name}": stat ${name}: no such file or directory`, 'not-found', 127);
      throw new CannotStart(`exec: "${name}": executable file not found in $PATH`, 'not-found', 127);
    }
    if (found.kind === 'denied') throw new CannotStart(`exec: "${name}": permission denied`, 'permission', 126);
    const r = this.resolveFile(fs, found.path, argv);
    if (r.kind === 'failed') {
      switch (r.error) {
        case 'EACCES':
          throw new CannotStart(`exec: "${name}": permission denied`, 'permission', 126);
        case 'ENOENT':
          throw new CannotStart(`exec: "${name}": no such file or directory`, 'not-found', 127);
        case 'ENOEXEC':
          throw new CannotStart(`exec ${found.path}: exec format error`, 'format', 126);
        case 'NATIVE':
          throw new CannotStart(`exec ${found.path}: ${NATIVE_MESSAGE}`, 'native', 126);
      }
    }
    const entry = this.register(r.argv, undefined, undefined, options.pid1 ?? false);
    const exited = this.run(r.main, entry, { env, cwd, user, ...pickIo(options) }).then((status) => ({
      status,
      signal: entry.signals.terminatedBy,
    }));
    return { pid: entry.pid, signals: entry.signals, exited };
  }
}

function pickIo(o: ProcessIo): ProcessIo {
  const io: ProcessIo = {};
  if (o.stdin) io.stdin = o.stdin;
  if (o.stdout) io.stdout = o.stdout;
  if (o.stderr) io.stderr = o.stderr;
  return io;
}

/** The shell binary is dash (Debian's and Ubuntu's /bin/sh -> dash). */
function isDash(fs: ProcessFs, path: string): boolean {
  try {
    return basename(fs.realpath(path)) === 'dash';
  } catch {
    return false;
  }
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? p : p.slice(i + 1);
}

/** echo, printf, test, [, true, false, pwd as programs when no applet provides them (ash has them as builtins). */
function builtinAsProgram(name: string): ProgramMain | undefined {
  if (!['echo', 'printf', 'test', '[', 'true', 'false'].includes(name)) return undefined;
  const builtin = BUILTINS.get(name);
  if (!builtin) return undefined;
  return async (ctx) => {
    const { Interpreter } = await import('./shell/interpreter.js');
    const { ShellState } = await import('./shell/state.js');
    const state = new ShellState(ctx.fs, ctx.pid);
    const sh = new Interpreter(state, { host: { exec: async () => ({ kind: 'exited', status: 127 }), newPid: () => 0, kill: () => false }, signals: ctx.signals, clock: ctx.clock, container: ctx.container, user: ctx.user });
    return builtin.run(sh, ctx.argv, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
  };
}
