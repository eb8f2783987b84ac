/**
 * Runs parsed shell code. One `Interpreter` is one shell process; subshells
 * (pipeline elements, `( )`, background jobs, command substitutions) are new
 * interpreters over a cloned state, as after fork().
 */
import { FsError } from '../../storage/backend.js';
import { ExitRequest, Killed, SIGNAL_NUMBERS, type Clock, type ContainerInfo, type InputStream, type OutputStream, type SignalName, type Signals, type User } from '../process.js';
import { ProcessSignals } from '../signals.js';
import { CollectorOutput, EmptyInput, NullOutput, createPipe, type PipeReader, type PipeWriter } from '../streams.js';
import type { AndOr, Command, List, Pipeline, SimpleCommand } from './ast.js';
import { BUILTINS, type BuiltinIO } from './builtins/index.js';
import { LoopControl, ReturnSignal, ShellError, ShellSyntaxError } from './errors.js';
import { Expander } from './expand.js';
import { searchCommand, type ShellHost } from './host.js';
import { Lexer } from './lexer.js';
import { Parser } from './parser.js';
import { matchPattern } from './pattern.js';
import { shellQuote } from './quote.js';
import { applyRedirections } from './redirect.js';
import type { Fd, Job, ShellState } from './state.js';

export interface InterpreterEnv {
  host: ShellHost;
  signals: Signals;
  clock: Clock;
  container: ContainerInfo;
  user: User;
  /**
   * This shell's own slot in the process table (its pid and the signals sent
   * to it), when the runtime gave it one: the program the `exec` builtin
   * starts takes it over. Absent in subshells, which have their own.
   */
  self?: { pid: number; signals: ProcessSignals };
}

export const SPECIAL_BUILTINS = new Set([':', '.', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'trap', 'unset', 'source', 'local']);

export class Interpreter {
  readonly expander: Expander;

  constructor(
    readonly state: ShellState,
    readonly env: InterpreterEnv,
  ) {
    this.expander = new Expander({
      state,
      commandSubstitution: (body) => this.commandSubstitution(body),
      homeOf: (user) => this.homeOf(user),
    });
  }

  // ---- streams ---------------------------------------------------------------

  input(fd = 0): InputStream {
    return this.state.fds.get(fd)?.input ?? new EmptyInput();
  }
  output(fd: number): OutputStream {
    return this.state.fds.get(fd)?.output ?? new NullOutput();
  }

  /** Prints an error the way ash's ash_msg() does: "$0: [builtin: ][line N: ]message". */
  async printError(message: string, command: string | null = this.state.commandName): Promise<void> {
    const s = this.state;
    if (s.dialect === 'dash') {
      // dash's exvwarning2(): "$0: LINE: [builtin: ]message", interactive or not.
      await this.output(2).write(`${s.arg0}: ${s.line}: ${command !== null ? `${command}: ` : ''}${message}\n`);
      return;
    }
    let prefix = `${s.arg0}: `;
    const name = command ?? (s.scriptMode ? s.arg0 : null);
    if (name !== null) {
      if (name !== s.arg0) prefix += `${name}: `;
      if (!s.options.interactive) prefix += `line ${s.line}: `;
    }
    await this.output(2).write(`${prefix}${message}\n`);
  }

  // ---- programs --------------------------------------------------------------

  /**
   * Runs program text line by line (each line parsed, then run). Returns the
   * last status; a syntax error prints its message and ends with status 2.
   */
  async runText(text: string, firstLine = 1): Promise<number> {
    const parser = new Parser(new Lexer(text, firstLine));
    for (;;) {
      let list: List | null;
      try {
        list = parser.parseLine();
      } catch (err) {
        if (err instanceof ShellSyntaxError) {
          await this.syntaxError(err);
          throw new ExitRequest(2);
        }
        throw err;
      }
      if (list === null) return this.state.lastStatus;
      if (list.items.length === 0) continue;
      if (this.state.options.noexec) continue;
      await this.runList(list);
    }
  }

  async syntaxError(err: ShellSyntaxError): Promise<void> {
    const s = this.state;
    const where = s.dialect === 'dash' ? `${err.line}: ` : s.scriptMode ? `line ${err.line}: ` : '';
    await this.output(2).write(`${s.arg0}: ${where}${err.message}\n`);
  }

  // ---- lists -------------------------------------------------------------------

  async runList(list: List): Promise<number> {
    let status = this.state.lastStatus;
    for (const item of list.items) {
      if (this.state.pendingSignals.length > 0) await this.runPendingTraps();
      this.env.signals.check();
      if (item.background) {
        this.startBackground(item.andOr);
        status = 0;
        this.state.lastStatus = 0;
      } else {
        const { first, rest } = item.andOr;
        const cmd = first.commands[0];
        if (rest.length === 0 && !first.negate && first.commands.length === 1 && cmd) {
          // One command: what runPipeline(first, true) does, without its promise.
          status = this.settleStatus(await this.runCommand(cmd), true);
        } else {
          status = await this.runAndOr(item.andOr);
        }
      }
    }
    if (this.state.pendingSignals.length > 0) await this.runPendingTraps();
    return status;
  }

  // The calls from a list down to a simple command are made without an
  // async function of their own where one would only pass a promise on:
  // each costs a promise per command, and a loop runs many commands.

  private runAndOr(andOr: AndOr): Promise<number> {
    if (andOr.rest.length === 0) return this.runPipeline(andOr.first, true);
    return this.runAndOrChain(andOr);
  }

  private async runAndOrChain(andOr: AndOr): Promise<number> {
    const s = this.state;
    let status: number;
    s.errexitSuppressed++;
    try {
      status = await this.runPipeline(andOr.first);
    } finally {
      s.errexitSuppressed--;
    }
    for (let i = 0; i < andOr.rest.length; i++) {
      const step = andOr.rest[i];
      if (!step) break;
      if ((step.op === '&&') !== (status === 0)) continue;
      const last = i === andOr.rest.length - 1;
      if (last) status = await this.runPipeline(step.pipeline, true);
      else {
        s.errexitSuppressed++;
        try {
          status = await this.runPipeline(step.pipeline);
        } finally {
          s.errexitSuppressed--;
        }
      }
    }
    return status;
  }

  /** Runs a pipeline; with `checked`, a failure triggers `set -e`. */
  async runPipeline(p: Pipeline, checked = false): Promise<number> {
    const s = this.state;
    let status: number;
    if (p.negate) s.errexitSuppressed++;
    try {
      if (p.commands.length === 1) {
        const cmd = p.commands[0];
        status = cmd ? await this.runCommand(cmd) : 0;
      } else {
        status = await this.runMultiPipeline(p.commands);
      }
    } finally {
      if (p.negate) s.errexitSuppressed--;
    }
    if (p.negate) status = status === 0 ? 1 : 0;
    return this.settleStatus(status, checked && !p.negate);
  }

  /** A pipeline's status becomes `$?`; where `set -e` applies (`errexitApplies`, and not suppressed), a failure exits the shell. */
  private settleStatus(status: number, errexitApplies: boolean): number {
    const s = this.state;
    s.lastStatus = status;
    if (errexitApplies && status !== 0 && s.options.errexit && s.errexitSuppressed === 0) throw new ExitRequest(status);
    return status;
  }

  private async runMultiPipeline(commands: Command[]): Promise<number> {
    const n = commands.length;
    const pipes = Array.from({ length: n - 1 }, () => createPipe());
    const runs = commands.map((cmd, i) => {
      const reader: PipeReader | undefined = i > 0 ? pipes[i - 1]?.reader : undefined;
      const writer: PipeWriter | undefined = i < n - 1 ? pipes[i]?.writer : undefined;
      const fds = new Map(this.state.fds);
      if (reader) fds.set(0, { input: reader });
      if (writer) fds.set(1, { output: writer });
      return this.runSubshell((sub) => sub.runCommand(cmd), fds).finally(() => {
        writer?.close();
        reader?.close();
      });
    });
    const statuses = await Promise.all(runs);
    if (this.state.options.pipefail) {
      for (let i = statuses.length - 1; i >= 0; i--) if (statuses[i] !== 0) return statuses[i] ?? 0;
      return 0;
    }
    return statuses[n - 1] ?? 0;
  }

  /**
   * Runs `body` in a subshell (a copy of this shell) and resolves its exit
   * status; `exit`, fatal errors and signals end only the subshell.
   */
  async runSubshell(body: (sub: Interpreter) => Promise<number>, fds?: Map<number, Fd>, signals?: ProcessSignals): Promise<number> {
    const state = this.state.clone();
    if (fds) state.fds = fds;
    const { self: _parentSlot, ...env } = this.env;
    const sub = new Interpreter(state, { ...env, signals: signals ?? this.env.signals });
    sub.subshellSignals = signals ?? null;
    return sub.runToExit(() => body(sub));
  }

  /** Signals of a subshell that has its own pid (a job or pipeline element), passed to the program it runs last. */
  subshellSignals: ProcessSignals | null = null;
  subshellPid: number | null = null;

  /** The process slot a program started by `exec` replaces this shell in, if this shell has one. */
  processSlot(): { pid: number; signals: ProcessSignals } | null {
    if (this.subshellSignals && this.subshellPid !== null) return { pid: this.subshellPid, signals: this.subshellSignals };
    return this.env.self ?? null;
  }

  /** Runs `body`, turning exit, fatal errors and kills into a status; runs the EXIT trap. */
  async runToExit(body: () => Promise<number>): Promise<number> {
    let status: number;
    try {
      status = await body();
    } catch (err) {
      status = await this.statusOfError(err);
    }
    return this.runExitTrap(status);
  }

  async statusOfError(err: unknown): Promise<number> {
    if (err instanceof ExitRequest) return err.status & 255;
    if (err instanceof Killed) return err.status;
    if (err instanceof ShellError) {
      await this.printError(err.message, err.command).catch(() => undefined);
      return err.status;
    }
    if (err instanceof ShellSyntaxError) {
      await this.syntaxError(err).catch(() => undefined);
      return 2;
    }
    if (err instanceof LoopControl) return 0;
    if (err instanceof ReturnSignal) return err.status;
    throw err;
  }

  async runExitTrap(status: number): Promise<number> {
    const action = this.state.traps.get('EXIT');
    if (action === undefined || action === '') return status;
    this.state.traps.delete('EXIT');
    this.state.lastStatus = status;
    try {
      await this.runText(action);
    } catch (err) {
      if (err instanceof ExitRequest) return err.status & 255;
      return this.statusOfError(err);
    }
    return status;
  }

  private startBackground(andOr: AndOr): void {
    const pid = this.env.host.newPid();
    const signals = new ProcessSignals();
    const fds = new Map(this.state.fds);
    // Without job control, a background job's stdin is /dev/null.
    fds.set(0, { input: new EmptyInput() });
    const job: Job = { pid, status: null, done: Promise.resolve(0) };
    job.done = this.runSubshell(
      (sub) => {
        sub.subshellPid = pid;
        return sub.runAndOr(andOr);
      },
      fds,
      signals,
    ).then((status) => {
      job.status = status;
      return status;
    });
    this.jobSignals.set(pid, signals);
    this.state.jobs.push(job);
    this.state.lastBackgroundPid = pid;
  }

  /** Signals of this shell's background jobs, for `kill`. */
  readonly jobSignals = new Map<number, ProcessSignals>();

  // ---- traps -------------------------------------------------------------------

  /** Called by the signal handler `trap` installs: the trap runs between commands. */
  queueSignal(signal: SignalName): void {
    this.state.pendingSignals.push(signal);
    for (const wake of this.signalWaiters.splice(0)) wake(signal);
  }
  readonly signalWaiters: ((signal: SignalName) => void)[] = [];

  async runPendingTraps(): Promise<void> {
    const s = this.state;
    while (s.pendingSignals.length > 0) {
      const sig = s.pendingSignals.shift();
      if (!sig) break;
      const action = s.traps.get(sig);
      if (action === undefined || action === '') continue;
      const saved = s.lastStatus;
      await this.runText(action);
      s.lastStatus = saved;
    }
  }

  // ---- commands ----------------------------------------------------------------

  runCommand(cmd: Command): Promise<number> {
    const s = this.state;
    switch (cmd.type) {
      case 'simple':
        return this.runSimple(cmd);
      case 'function':
        s.functions.set(cmd.name, cmd.body);
        s.lastStatus = 0;
        return Promise.resolve(0);
    }
    return this.withRedirections(cmd.redirs, async () => {
      switch (cmd.type) {
        case 'group':
          return this.runList(cmd.body);
        case 'subshell':
          return this.runSubshell((sub) => sub.runList(cmd.body));
        case 'if':
          return this.runIf(cmd);
        case 'while':
        case 'until':
          return this.runLoop(cmd);
        case 'for':
          return this.runFor(cmd);
        case 'case':
          return this.runCase(cmd);
      }
    });
  }

  private withRedirections(redirs: SimpleCommand['redirs'], body: () => Promise<number>): Promise<number> {
    if (redirs.length === 0) return body();
    return this.withRedirectionsApplied(redirs, body);
  }

  private async withRedirectionsApplied(redirs: SimpleCommand['redirs'], body: () => Promise<number>): Promise<number> {
    const s = this.state;
    let r;
    try {
      r = await applyRedirections(redirs, s, this.expander, s.fds);
    } catch (err) {
      if (err instanceof ShellError) {
        await this.printError(err.message, null);
        s.lastStatus = err.status;
        return err.status;
      }
      throw err;
    }
    const saved = s.fds;
    s.fds = r.fds;
    try {
      return await body();
    } finally {
      if (s.fds === r.fds) s.fds = saved;
      r.close();
    }
  }

  private async condition(list: List): Promise<number> {
    this.state.errexitSuppressed++;
    try {
      return await this.runList(list);
    } finally {
      this.state.errexitSuppressed--;
    }
  }

  private async runIf(cmd: Extract<Command, { type: 'if' }>): Promise<number> {
    for (const clause of cmd.clauses) {
      if ((await this.condition(clause.cond)) === 0) return this.runList(clause.body);
    }
    if (cmd.elseBody) return this.runList(cmd.elseBody);
    this.state.lastStatus = 0;
    return 0;
  }

  /** Runs a loop body; returns 'break' or 'continue' when a break/continue targets this loop. */
  private async loopBody(body: List): Promise<{ status: number; control: 'break' | 'continue' | null }> {
    try {
      return { status: await this.runList(body), control: null };
    } catch (err) {
      if (err instanceof LoopControl) {
        if (err.levels > 1) {
          err.levels--;
          throw err;
        }
        return { status: 0, control: err.kind };
      }
      throw err;
    }
  }

  private async runLoop(cmd: Extract<Command, { type: 'while' | 'until' }>): Promise<number> {
    const s = this.state;
    let status = 0;
    s.loopDepth++;
    try {
      for (;;) {
        const c = await this.condition(cmd.cond);
        if ((c === 0) !== (cmd.type === 'while')) break;
        const r = await this.loopBody(cmd.body);
        status = r.status;
        if (r.control === 'break') break;
        // Let timers, pipes and signals make progress in a busy loop.
        if (++this.iterations % 256 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      s.loopDepth--;
    }
    s.lastStatus = status;
    return status;
  }
  private iterations = 0;

  private async runFor(cmd: Extract<Command, { type: 'for' }>): Promise<number> {
    const s = this.state;
    const items = cmd.items === null ? [...s.positional] : await this.expander.fields(cmd.items);
    let status = 0;
    s.loopDepth++;
    try {
      for (const item of items) {
        if (!s.set(cmd.variable, item)) throw new ShellError(`${cmd.variable}: is read only`);
        const r = await this.loopBody(cmd.body);
        status = r.status;
        if (r.control === 'break') break;
        if (++this.iterations % 256 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      s.loopDepth--;
    }
    s.lastStatus = status;
    return status;
  }

  private async runCase(cmd: Extract<Command, { type: 'case' }>): Promise<number> {
    const word = await this.expander.string(cmd.word);
    for (const item of cmd.items) {
      for (const p of item.patterns) {
        const pattern = await this.expander.pattern(p);
        if (matchPattern(pattern, word)) {
          if (!item.body) {
            this.state.lastStatus = 0;
            return 0;
          }
          return this.runList(item.body);
        }
      }
    }
    this.state.lastStatus = 0;
    return 0;
  }

  // ---- simple commands ---------------------------------------------------------

  private async runSimple(cmd: SimpleCommand): Promise<number> {
    const s = this.state;
    s.line = cmd.line;
    this.cmdsubStatus = null;
    const fields = this.expander.fields(cmd.words);
    const argv = fields instanceof Promise ? await fields : fields;

    // Aliases (basic): the first word replaced by the alias text, reparsed.
    if (argv.length > 0 && s.aliases.size > 0 && cmd.words[0]?.parts.length === 1 && cmd.words[0].parts[0]?.type === 'lit') {
      const alias = s.aliases.get(argv[0] ?? '');
      if (alias !== undefined && !this.expandingAliases.has(argv[0] ?? '')) {
        const rest = cmd.words.slice(1).map((w) => w.raw).join(' ');
        this.expandingAliases.add(argv[0] ?? '');
        try {
          return await this.runText(`${alias} ${rest}`, cmd.line);
        } finally {
          this.expandingAliases.delete(argv[0] ?? '');
        }
      }
    }

    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) {
      const value = this.expander.string(a.value);
      assigns.push([a.name, value instanceof Promise ? await value : value]);
    }

    if (s.options.xtrace) await this.trace(assigns, argv);

    if (argv.length === 0) {
      for (const [name, value] of assigns) if (!s.set(name, value)) throw new ShellError(`${name}: is read only`);
      const status = this.cmdsubStatus ?? 0;
      if (cmd.redirs.length > 0) {
        const r = await this.withRedirections(cmd.redirs, async () => status);
        s.lastStatus = r;
        return r;
      }
      s.lastStatus = status;
      return status;
    }

    const name = argv[0] ?? '';
    const special = SPECIAL_BUILTINS.has(name) && BUILTINS.has(name);
    const fn = special ? undefined : s.functions.get(name);
    const builtin = fn ? undefined : BUILTINS.get(name);

    let status: number;
    if (special) {
      // Assignments before special builtins persist (and `VAR=x exec prog` passes them on).
      for (const [n, v] of assigns) if (!s.set(n, v)) throw new ShellError(`${n}: is read only`);
      this.specialAssigns = Object.fromEntries(assigns);
      status = await this.runBuiltinRedirected(name, argv, cmd, true);
    } else if (fn || builtin) {
      status = await this.withTempVars(assigns, () => (fn ? this.withRedirections(cmd.redirs, () => this.callFunction(fn, argv)) : this.runBuiltinRedirected(name, argv, cmd, false)));
    } else {
      status = await this.withRedirections(cmd.redirs, () => this.runExternal(argv, Object.fromEntries(assigns)));
    }
    s.lastStatus = status;
    return status;
  }

  private readonly expandingAliases = new Set<string>();
  /** The assignments before the special builtin being run. */
  specialAssigns: Record<string, string> = {};
  /** Status of the last command substitution in the current command (`x=$(false)` gives 1). */
  cmdsubStatus: number | null = null;

  private async trace(assigns: [string, string][], argv: string[]): Promise<void> {
    const ps4 = this.state.get('PS4') ?? '+ ';
    const words = [...assigns.map(([n, v]) => `${n}=${shellQuote(v)}`), ...argv.map(shellQuote)];
    await this.output(2).write(`${ps4}${words.join(' ')}\n`);
  }

  private withTempVars(assigns: [string, string][], body: () => Promise<number>): Promise<number> {
    if (assigns.length === 0) return body();
    return this.withTempVarsSet(assigns, body);
  }

  private async withTempVarsSet(assigns: [string, string][], body: () => Promise<number>): Promise<number> {
    const s = this.state;
    const saved = assigns.map(([n]) => [n, s.vars.get(n)] as const);
    for (const [n, v] of assigns) {
      const old = s.vars.get(n);
      if (old?.readonly) throw new ShellError(`${n}: is read only`);
      s.vars.set(n, { value: v, exported: true, readonly: false });
    }
    try {
      return await body();
    } finally {
      for (const [n, old] of saved) {
        if (old) s.vars.set(n, old);
        else s.vars.delete(n);
      }
    }
  }

  private runBuiltinRedirected(name: string, argv: string[], cmd: SimpleCommand, special: boolean): Promise<number> {
    if (!BUILTINS.has(name)) return Promise.resolve(127);
    if ((name === 'exec' && argv.length === 1) || (special && cmd.redirs.length > 0)) return this.runBuiltinOwnRedirections(name, argv, cmd, special);
    return this.withRedirections(cmd.redirs, () => this.callBuiltin(name, argv));
  }

  /** `exec` with only redirections, and special builtins, whose redirection errors are fatal. */
  private async runBuiltinOwnRedirections(name: string, argv: string[], cmd: SimpleCommand, special: boolean): Promise<number> {
    const s = this.state;
    if (name === 'exec' && argv.length === 1) {
      // `exec` with only redirections changes this shell's own descriptors.
      const r = await applyRedirections(cmd.redirs, s, this.expander, s.fds).catch(async (err: unknown) => {
        if (err instanceof ShellError && !special) return null;
        throw err;
      });
      if (r) s.fds = r.fds;
      return 0;
    }
    if (special && cmd.redirs.length > 0) {
      // A redirection error on a special builtin is fatal in a non-interactive shell.
      const r = await applyRedirections(cmd.redirs, s, this.expander, s.fds);
      const saved = s.fds;
      s.fds = r.fds;
      try {
        return await this.callBuiltin(name, argv);
      } finally {
        if (s.fds === r.fds) s.fds = saved;
        r.close();
      }
    }
    return this.withRedirections(cmd.redirs, () => this.callBuiltin(name, argv));
  }

  async callBuiltin(name: string, argv: string[]): Promise<number> {
    const builtin = BUILTINS.get(name);
    if (!builtin) return 127;
    const s = this.state;
    const savedName = s.commandName;
    s.commandName = name;
    const io: BuiltinIO = { stdin: this.input(0), stdout: this.output(1), stderr: this.output(2) };
    try {
      return await builtin.run(this, argv, io);
    } catch (err) {
      if (err instanceof ShellError) {
        await this.printError(err.message, err.command ?? name);
        // Errors of special builtins end a non-interactive shell; those of regular builtins only fail the command.
        if ((SPECIAL_BUILTINS.has(name) || err.command === 'fatal') && !s.options.interactive) throw new ExitRequest(err.status);
        return err.status;
      }
      throw err;
    } finally {
      s.commandName = savedName;
    }
  }

  async callFunction(body: Command, argv: string[]): Promise<number> {
    const s = this.state;
    const savedPositional = s.positional;
    const savedLoop = s.loopDepth;
    s.positional = argv.slice(1);
    s.functionDepth++;
    s.loopDepth = 0;
    s.localFrames.push(new Map());
    try {
      return await this.runCommand(body);
    } catch (err) {
      if (err instanceof ReturnSignal) {
        s.lastStatus = err.status;
        return err.status;
      }
      throw err;
    } finally {
      const frame = s.localFrames.pop();
      if (frame) {
        for (const [name, old] of frame) {
          if (old) s.vars.set(name, old);
          else s.vars.delete(name);
        }
      }
      s.functionDepth--;
      s.loopDepth = savedLoop;
      s.positional = savedPositional;
    }
  }

  /**
   * Finds and runs a program; prints ash's messages when it cannot. With
   * `replace`, the program runs in that process slot (the `exec` builtin):
   * same pid, the slot's signals, and `beforeStart` once it is sure to start.
   */
  async runExternal(argv: string[], assigns: Record<string, string>, replace?: { pid: number; signals: ProcessSignals; beforeStart: () => void }): Promise<number> {
    const s = this.state;
    const name = argv[0] ?? '';
    const pathVar = assigns.PATH ?? s.get('PATH');
    let found = searchCommand(s.fs, name, pathVar);
    if (found.kind === 'notfound' && s.standalonePath !== null && !name.includes('/') && this.env.host.isApplet?.(name)) {
      found = { kind: 'found', path: s.standalonePath };
    }
    if (found.kind === 'notfound') {
      await this.printError(`${name}: not found`, null);
      return 127;
    }
    if (found.kind === 'denied') {
      await this.printError(`${name}: Permission denied`, null);
      return 126;
    }
    const outcome = await this.env.host.exec({
      path: found.path,
      argv,
      env: s.environment(assigns),
      cwd: s.cwd,
      stdin: this.input(0),
      stdout: this.output(1),
      stderr: this.output(2),
      user: this.env.user,
      ...(replace
        ? { pid: replace.pid, signals: replace.signals, beforeStart: replace.beforeStart }
        : this.subshellSignals && this.subshellPid !== null
          ? { pid: this.subshellPid, signals: this.subshellSignals }
          : {}),
    });
    if (outcome.kind === 'exited') return outcome.status;
    switch (outcome.error) {
      case 'ENOEXEC':
        return this.runScriptFile(found.path, argv);
      case 'EACCES':
        await this.printError(`${name}: Permission denied`, null);
        return 126;
      case 'ENOENT':
        await this.printError(`${name}: not found`, null);
        return 127;
      case 'NATIVE':
        await this.printError(`${name}: ${outcome.message ?? 'cannot execute binary file'}`, null);
        return 126;
    }
  }

  /** A text file without "#!": the shell runs it in a subshell as a script (what ash does on ENOEXEC). */
  private async runScriptFile(path: string, argv: string[]): Promise<number> {
    let text: string;
    try {
      text = this.state.fs.readFile(path).toString('utf8');
    } catch (err) {
      await this.printError(`${argv[0] ?? path}: ${err instanceof FsError ? err.text : String(err)}`, null);
      return 126;
    }
    return this.runSubshell(async (sub) => {
      const st = sub.state;
      st.functions.clear();
      st.arg0 = path;
      st.positional = argv.slice(1);
      st.scriptMode = true;
      st.loopDepth = 0;
      st.functionDepth = 0;
      return sub.runText(text);
    });
  }

  // ---- substitutions -------------------------------------------------------------

  private async commandSubstitution(body: List): Promise<string> {
    const out = new CollectorOutput();
    const fds = new Map(this.state.fds);
    fds.set(1, { output: out });
    const status = await this.runSubshell(async (sub) => {
      // ash clears -e in command substitutions.
      sub.state.options.errexit = false;
      return sub.runList(body);
    }, fds);
    this.cmdsubStatus = status;
    this.state.lastStatus = status;
    return out.text();
  }

  private homeOf(user: string): string | undefined {
    try {
      const passwd = this.state.fs.readFile('/etc/passwd').toString('utf8');
      for (const line of passwd.split('\n')) {
        const f = line.split(':');
        if (f[0] === user) return f[5];
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  // ---- used by builtins ----------------------------------------------------------

  /** Parses and runs text in this shell (eval, ., trap actions). */
  async evalText(text: string): Promise<number> {
    const parser = new Parser(new Lexer(text, this.state.line));
    let status = 0;
    let ran = false;
    for (;;) {
      const list = parser.parseLine();
      if (list === null) break;
      if (list.items.length === 0) continue;
      ran = true;
      status = await this.runList(list);
    }
    if (!ran) this.state.lastStatus = 0;
    return ran ? status : 0;
  }

  isBuiltin(name: string): boolean {
    return BUILTINS.has(name);
  }
  isSpecialBuiltin(name: string): boolean {
    return SPECIAL_BUILTINS.has(name) && BUILTINS.has(name);
  }

  signalNumber(name: SignalName): number {
    return SIGNAL_NUMBERS[name];
  }
}
