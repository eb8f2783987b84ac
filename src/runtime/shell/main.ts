/**
 * The `sh` program: busybox ash's command line (`sh -c CMD [NAME [ARGS]]`,
 * `sh FILE [ARGS]`, `sh` reading stdin, interactively when stdin is a
 * terminal), on top of the interpreter.
 */
import { FsError } from '../../storage/backend.js';
import { ExitRequest, Killed, type ProcessContext, type ProgramMain } from '../process.js';
import { ShellError, ShellSyntaxError } from './errors.js';
import type { ShellHost } from './host.js';
import { Interpreter } from './interpreter.js';
import { Lexer } from './lexer.js';
import { Parser } from './parser.js';
import { ShellState } from './state.js';
import { ProcessSignals } from '../signals.js';

export interface ShellProgramOptions {
  /** The prompt when PS1 is not set in the environment (busybox images: "\w \$ ", shown as "/ # " for root). */
  defaultPrompt?: string;
  /** Stand in for dash rather than busybox ash (the image's /bin/sh is dash). */
  dialect?: 'ash' | 'dash';
  /** Set when the shell is a real, standalone busybox: the binary's path (see ShellState.standalonePath). */
  standalonePath?: string;
}

const LETTER_OPTIONS: Record<string, 'errexit' | 'nounset' | 'xtrace' | 'noglob' | 'noexec' | 'verbose' | 'noclobber' | 'allexport'> = {
  e: 'errexit', u: 'nounset', x: 'xtrace', f: 'noglob', n: 'noexec', v: 'verbose', C: 'noclobber', a: 'allexport',
};

/** Expands the prompt escapes busybox supports in PS1 (\w \W \$ \u \h \\). */
export function expandPrompt(ps1: string, state: ShellState, user: { uid: number; name: string }, hostname: string): string {
  return ps1.replace(/\\([wW$uhHn\\])/g, (_m, c: string) => {
    switch (c) {
      case 'w': {
        const home = state.get('HOME');
        return home && home !== '/' && (state.cwd === home || state.cwd.startsWith(home + '/')) ? '~' + state.cwd.slice(home.length) : state.cwd;
      }
      case 'W':
        return state.cwd === '/' ? '/' : (state.cwd.split('/').pop() ?? '/');
      case '$':
        return user.uid === 0 ? '#' : '$';
      case 'u':
        return user.name;
      case 'h':
        return hostname.split('.')[0] ?? hostname;
      case 'H':
        return hostname;
      case 'n':
        return '\n';
      default:
        return '\\';
    }
  });
}

/** Builds the `sh` program, bound to the host that starts other programs. */
export function createShellMain(host: ShellHost, options: ShellProgramOptions = {}): ProgramMain {
  return (ctx) => shellMain(ctx, host, options);
}

export async function shellMain(ctx: ProcessContext, host: ShellHost, options: ShellProgramOptions = {}): Promise<number> {
  const state = new ShellState(ctx.fs, ctx.pid);
  for (const [k, v] of Object.entries(ctx.env)) state.vars.set(k, { value: v, exported: true, readonly: false });
  state.cwd = ctx.env.PWD && samePlace(ctx, ctx.env.PWD) ? ctx.env.PWD : ctx.fs.cwd;
  // Both ash and dash export PWD; ash also counts nesting in SHLVL (`env` shows them).
  state.set('PWD', state.cwd, { export: true });
  if (!state.vars.has('PS4')) state.set('PS4', '+ ');
  if (!state.vars.has('OPTIND')) state.set('OPTIND', '1');
  state.fds.set(0, { input: ctx.stdin });
  state.fds.set(1, { output: ctx.stdout });
  state.fds.set(2, { output: ctx.stderr });
  state.arg0 = ctx.argv[0] ?? 'sh';
  state.dialect = options.dialect ?? 'ash';
  state.standalonePath = options.standalonePath ?? null;
  if (state.dialect === 'ash') {
    const level = Number.parseInt(ctx.env.SHLVL ?? '0', 10);
    state.set('SHLVL', String((Number.isFinite(level) ? level : 0) + 1), { export: true });
  }
  const sh = new Interpreter(state, {
    host,
    signals: ctx.signals,
    clock: ctx.clock,
    container: ctx.container,
    user: ctx.user,
    ...(ctx.signals instanceof ProcessSignals ? { self: { pid: ctx.pid, signals: ctx.signals } } : {}),
  });

  // Options before the operands.
  const args = ctx.argv.slice(1);
  let command: string | null = null;
  let forceInteractive = false;
  let readStdin = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if (!/^[-+]./.test(a)) break;
    const on = a[0] === '-';
    for (const ch of a.slice(1)) {
      if (ch === 'c') command = '';
      else if (ch === 'i') forceInteractive = on;
      else if (ch === 's') readStdin = true;
      else if (ch === 'l') continue;
      else if (ch === 'o') {
        const name = args[++i] ?? '';
        if (name === 'pipefail') state.options.pipefail = on;
        else if (name === 'errexit') state.options.errexit = on;
        else if (name === 'nounset') state.options.nounset = on;
        else if (name === 'xtrace') state.options.xtrace = on;
      } else if (LETTER_OPTIONS[ch]) state.options[LETTER_OPTIONS[ch]] = on;
      else {
        await ctx.stderr.write(`${state.arg0}: -${ch}: invalid option\n`);
        return 2;
      }
    }
  }
  const operands = args.slice(i);

  const run = async (): Promise<number> => {
    if (command !== null) {
      const text = operands[0];
      if (text === undefined) {
        await ctx.stderr.write(`${state.arg0}: -c requires an argument\n`);
        return 2;
      }
      state.options.command = true;
      if (operands.length > 1) state.arg0 = operands[1] ?? state.arg0;
      state.positional = operands.slice(2);
      // busybox 1.3x numbers the lines of a -c string from 0, dash from 1.
      return sh.runToExit(() => sh.runText(text, state.dialect === 'dash' ? 1 : 0));
    }
    if (operands.length > 0 && !readStdin) {
      const file = operands[0] ?? '';
      let text: string;
      try {
        text = ctx.fs.readFile(file).toString('utf8');
      } catch (err) {
        await ctx.stderr.write(`${state.arg0}: can't open '${file}': ${err instanceof FsError ? err.text : String(err)}\n`);
        return 2;
      }
      state.arg0 = file;
      state.positional = operands.slice(1);
      state.scriptMode = true;
      return sh.runToExit(() => sh.runText(text, 1));
    }
    state.positional = operands;
    state.options.stdin = true;
    const interactive = forceInteractive || ctx.stdin.isTTY;
    state.options.interactive = interactive;
    if (interactive && !state.vars.has('PS1')) state.set('PS1', options.defaultPrompt ?? '\\w \\$ ');
    if (interactive && !state.vars.has('PS2')) state.set('PS2', '> ');
    return sh.runToExit(() => readLoop(sh, ctx, interactive));
  };

  // An untrapped terminating signal ends the shell at once, even while it waits for a child.
  const terminated = ctx.signals.wait();
  terminated.catch(() => undefined);
  return Promise.race([run(), terminated]);
}

function samePlace(ctx: ProcessContext, path: string): boolean {
  try {
    return path.startsWith('/') && ctx.fs.realpath(path) === ctx.fs.cwd;
  } catch {
    return false;
  }
}

/** Reads commands from stdin a line at a time; runs each command as soon as it is complete. */
async function readLoop(sh: Interpreter, ctx: ProcessContext, interactive: boolean): Promise<number> {
  const state = sh.state;
  let pending = '';
  let firstLine = 1;
  let lineNo = 1;
  for (;;) {
    if (interactive) {
      const ps = pending === '' ? (state.get('PS1') ?? '') : (state.get('PS2') ?? '> ');
      await ctx.stderr.write(expandPrompt(ps, state, ctx.user, ctx.container.hostname));
    }
    const line = await state.fds.get(0)?.input?.readLine();
    const atEnd = line === null || line === undefined;
    if (!atEnd) {
      pending += line + '\n';
      lineNo++;
    }
    if (pending === '') {
      if (atEnd) break;
      continue;
    }
    // Parse as many complete commands as the text holds; keep an incomplete tail for the next line.
    const lexer = new Lexer(pending, firstLine);
    const parser = new Parser(lexer);
    let consumed = 0;
    let consumedLine = firstLine;
    let failed = false;
    for (;;) {
      let list;
      try {
        list = parser.parseLine();
        if (lexer.heredocHitEof && !atEnd) break;
      } catch (err) {
        if (err instanceof ShellSyntaxError) {
          if (err.atEof && !atEnd) break;
          await sh.syntaxError(err);
          state.lastStatus = 2;
          failed = true;
          consumed = pending.length;
          consumedLine = lineNo;
          if (!interactive) throw new ExitRequest(2);
          break;
        }
        throw err;
      }
      if (list === null) {
        consumed = pending.length;
        consumedLine = lineNo;
        break;
      }
      consumed = lexer.pos;
      consumedLine = lexer.line;
      if (list.items.length === 0) continue;
      try {
        await sh.runList(list);
      } catch (err) {
        if (interactive && err instanceof ShellError) {
          await sh.printError(err.message, err.command);
          state.lastStatus = err.status;
          continue;
        }
        if (err instanceof Killed || err instanceof ExitRequest) throw err;
        throw err;
      }
    }
    pending = pending.slice(consumed);
    firstLine = consumedLine;
    if (failed) pending = '';
    if (atEnd) break;
  }
  return state.lastStatus;
}
