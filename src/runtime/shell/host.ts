/**
 * What the shell needs from the runtime to start programs, and the command
 * search both the shell and the runtime's exec use. Kept apart from
 * `exec.ts` so the shell can be tested with a small stub host.
 */
import type { ProcessFs } from '../fs/process-fs.js';
import type { InputStream, OutputStream, SignalName, User } from '../process.js';
import type { ProcessSignals } from '../signals.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ExecRequest {
  /** The file to run (already found on PATH). */
  path: string;
  /** argv[0] as the program will see it. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Use this pid and these signals (a background job or pipeline element the shell already numbered). */
  pid?: number;
  signals?: ProcessSignals;
  /** The user to run as (the caller's by default). */
  user?: User;
  /**
   * Called once the file has been resolved into a program and just before it
   * starts (the point of no return of execve): the shell's `exec` drops its
   * traps here, since the program replaces it in the same process.
   */
  beforeStart?: () => void;
}

export type ExecFailure =
  /** No execute permission, or a directory. */
  | 'EACCES'
  /** The file vanished, or a `#!` interpreter is missing. */
  | 'ENOENT'
  /** Not a format the kernel runs (a text file without `#!`): the shell runs it as a script. */
  | 'ENOEXEC'
  /** A native binary mydock cannot run. */
  | 'NATIVE';

export type ExecOutcome = { kind: 'exited'; status: number } | { kind: 'failed'; error: ExecFailure; message?: string };

export interface ShellHost {
  exec(request: ExecRequest): Promise<ExecOutcome>;
  /** A fresh pid for a subshell (background job, pipeline element). */
  newPid(): number;
  /** Delivers a signal to another process of the container; false if there is none with that pid. */
  kill(pid: number, signal: SignalName): boolean;
  /** Whether a name is a busybox applet (a standalone busybox shell runs those without a file on PATH). */
  isApplet?(name: string): boolean;
}

export type CommandSearch =
  | { kind: 'found'; path: string }
  /** Found only files without execute permission (the shell reports "Permission denied"). */
  | { kind: 'denied'; path: string }
  | { kind: 'notfound' };

/**
 * Finds a command as execvp does: a name with "/" is taken as a path; else
 * each PATH entry in turn (an empty entry is the working directory). A
 * non-executable match is remembered and reported only if nothing better is
 * found.
 */
export function searchCommand(fs: ProcessFs, name: string, pathVar: string | undefined): CommandSearch {
  if (name.includes('/')) {
    const st = fs.tryStat(name);
    if (!st) return { kind: 'notfound' };
    if (st.type === 'dir' || !fs.access(name, 'x')) return { kind: 'denied', path: name };
    return { kind: 'found', path: name };
  }
  if (name === '') return { kind: 'notfound' };
  let denied: string | null = null;
  for (const dir of (pathVar ?? DEFAULT_PATH).split(':')) {
    const candidate = dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`;
    let st;
    try {
      st = fs.tryStat(candidate);
    } catch {
      continue;
    }
    if (!st || st.type === 'dir') continue;
    if (fs.access(candidate, 'x')) return { kind: 'found', path: candidate };
    denied ??= candidate;
  }
  return denied ? { kind: 'denied', path: denied } : { kind: 'notfound' };
}
