/**
 * Everything a shell remembers between commands: variables, functions,
 * options, positional parameters, working directory, open file descriptors,
 * traps and jobs. A subshell is a copy (`clone`), as after fork().
 */
import type { InputStream, OutputStream, SignalName } from '../process.js';
import type { ProcessFs } from '../fs/process-fs.js';
import type { Command } from './ast.js';

export interface Variable {
  value: string | undefined;
  exported: boolean;
  readonly: boolean;
}

/** One open file descriptor: what reads and writes on it reach. */
export interface Fd {
  input?: InputStream;
  output?: OutputStream;
}

export interface Job {
  pid: number;
  done: Promise<number>;
  status: number | null;
}

export interface ShellOptions {
  errexit: boolean;
  nounset: boolean;
  xtrace: boolean;
  pipefail: boolean;
  noglob: boolean;
  noclobber: boolean;
  allexport: boolean;
  verbose: boolean;
  noexec: boolean;
  interactive: boolean;
  /** -c was given (shows in $-). */
  command: boolean;
  /** -s / reading commands from stdin (shows in $-). */
  stdin: boolean;
}

export const defaultOptions = (): ShellOptions => ({
  errexit: false, nounset: false, xtrace: false, pipefail: false, noglob: false, noclobber: false,
  allexport: false, verbose: false, noexec: false, interactive: false, command: false, stdin: false,
});

/** Saved variables of one function call, restored when it returns (`local`). */
export type LocalFrame = Map<string, Variable | null>;

export class ShellState {
  vars = new Map<string, Variable>();
  functions = new Map<string, Command>();
  aliases = new Map<string, string>();
  options: ShellOptions = defaultOptions();
  /** $0 — also the name ash prefixes its messages with. */
  arg0 = 'sh';
  /**
   * Which shell this is standing in for: busybox ash, or dash (an image whose
   * /bin/sh is dash: Debian, Ubuntu). dash words its errors "$0: LINE: msg".
   */
  dialect: 'ash' | 'dash' = 'ash';
  /**
   * The busybox binary this shell runs from, when it is a real busybox built
   * as a standalone shell (Debian's is): applets then run even where the
   * image has no link for them on PATH, as `sh -c 'readlink x'` does there.
   */
  standalonePath: string | null = null;
  positional: string[] = [];
  /** Logical working directory ($PWD semantics); the fs view is bound to the physical one. */
  cwd = '/';
  fds = new Map<number, Fd>();
  /** Trap commands by condition ("EXIT" or a signal name); '' means ignore. */
  traps = new Map<string, string>();
  pendingSignals: SignalName[] = [];
  jobs: Job[] = [];
  lastStatus = 0;
  lastBackgroundPid: number | null = null;
  localFrames: LocalFrame[] = [];
  /** Nesting of loops (for break/continue) and of functions/sourced files (for return). */
  loopDepth = 0;
  functionDepth = 0;
  sourceDepth = 0;
  /** >0 while running a condition (if/while/&&/||/!): `set -e` does not apply there. */
  errexitSuppressed = 0;
  /** Line of the command being run, for messages and $LINENO. */
  line = 0;
  /** The builtin being run, for ash's "sh: cd: line 1: ..." messages. */
  commandName: string | null = null;
  /** A script file is being run (messages carry line numbers). */
  scriptMode = false;
  umask = 0o022;
  optind = { index: 1, offset: 0 };
  isSubshell = false;

  constructor(
    public fs: ProcessFs,
    readonly pid: number,
  ) {}

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  /** Sets a variable; returns false if it is read-only. */
  set(name: string, value: string, options: { export?: boolean } = {}): boolean {
    const v = this.vars.get(name);
    if (v) {
      if (v.readonly) return false;
      v.value = value;
      if (options.export || this.options.allexport) v.exported = true;
    } else {
      this.vars.set(name, { value, exported: options.export === true || this.options.allexport, readonly: false });
    }
    if (name === 'OPTIND') this.optind = { index: Math.max(1, Number(value) || 1), offset: 0 };
    return true;
  }

  unset(name: string): boolean {
    const v = this.vars.get(name);
    if (v?.readonly) return false;
    // Inside a function, a local stays declared (ash keeps the slot) but loses its value.
    this.vars.delete(name);
    return true;
  }

  /** The environment passed to programs: exported variables that have a value. */
  environment(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, v] of this.vars) if (v.exported && v.value !== undefined) env[name] = v.value;
    return Object.assign(env, extra);
  }

  clone(): ShellState {
    const s = new ShellState(this.fs, this.pid);
    for (const [k, v] of this.vars) s.vars.set(k, { ...v });
    s.functions = new Map(this.functions);
    s.aliases = new Map(this.aliases);
    s.options = { ...this.options };
    s.arg0 = this.arg0;
    s.dialect = this.dialect;
    s.standalonePath = this.standalonePath;
    s.positional = [...this.positional];
    s.cwd = this.cwd;
    s.fds = new Map(this.fds);
    // A subshell keeps ignored signals ignored and resets the other traps (POSIX).
    for (const [k, v] of this.traps) if (v === '') s.traps.set(k, v);
    s.lastStatus = this.lastStatus;
    s.lastBackgroundPid = this.lastBackgroundPid;
    s.loopDepth = this.loopDepth;
    s.functionDepth = this.functionDepth;
    s.sourceDepth = this.sourceDepth;
    s.line = this.line;
    s.scriptMode = this.scriptMode;
    s.umask = this.umask;
    s.optind = { ...this.optind };
    s.isSubshell = true;
    return s;
  }
}
