/**
 * Builtins that change the shell itself: directories, variables, options,
 * control flow, evaluation, and command lookup.
 */
import { FsError } from '../../../storage/backend.js';
import { ExitRequest, type InputStream } from '../../process.js';
import { BufferedInput } from '../../streams.js';
import { LoopControl, ReturnSignal, ShellError } from '../errors.js';
import { searchCommand } from '../host.js';
import type { Interpreter } from '../interpreter.js';
import { singleQuote } from '../quote.js';
import type { ShellOptions } from '../state.js';
import type { BuiltinIO, BuiltinTable } from './index.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Lexical normalisation of an absolute path ("." and ".." removed), as ash's logical cd does. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

function parseStatus(arg: string | undefined, fallback: number, command: string): number {
  if (arg === undefined) return fallback;
  if (!/^[0-9]+$/.test(arg)) throw new ShellError(`Illegal number: ${arg}`, 2, command);
  return Number(arg) & 255;
}

async function cd(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  const s = sh.state;
  let args = argv.slice(1);
  while (args[0] === '-L' || args[0] === '-P') args = args.slice(1);
  if (args[0] === '--') args = args.slice(1);
  let dir: string | undefined = args[0];
  let print = false;
  if (dir === undefined) {
    const home = s.get('HOME');
    if (home === undefined || home === '') return 0;
    dir = home;
  } else if (dir === '-') {
    dir = s.get('OLDPWD') ?? s.cwd;
    print = true;
  }
  if (dir === '') return 0;
  const logical = dir.startsWith('/') ? normalizePath(dir) : normalizePath(`${s.cwd}/${dir}`);
  let fs;
  try {
    fs = s.fs.withCwd(logical);
  } catch (err) {
    // The logical path failed ("..", past a symlink): try the physical one, as chdir() would.
    try {
      fs = s.fs.withCwd(dir);
    } catch {
      // dash leaves out the reason.
      if (sh.state.dialect === 'dash') throw new ShellError(`can't cd to ${dir}`, 2);
      throw new ShellError(`can't cd to ${dir}: ${err instanceof FsError ? err.text : String(err)}`, 2);
    }
  }
  const old = s.cwd;
  s.fs = fs;
  s.cwd = logical === fs.cwd || isSameDir(sh, logical, fs.cwd) ? logical : fs.cwd;
  s.set('OLDPWD', old);
  s.set('PWD', s.cwd);
  if (print) await io.stdout.write(s.cwd + '\n');
  return 0;
}

function isSameDir(sh: Interpreter, a: string, b: string): boolean {
  try {
    return sh.state.fs.realpath(a) === b;
  } catch {
    return false;
  }
}

async function pwd(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  await io.stdout.write((argv.includes('-P') ? sh.state.fs.cwd : sh.state.cwd) + '\n');
  return 0;
}

async function exportOrReadonly(sh: Interpreter, argv: string[], io: BuiltinIO, kind: 'export' | 'readonly'): Promise<number> {
  const s = sh.state;
  const args = argv.slice(1).filter((a) => a !== '-p' && a !== '--');
  if (args.length === 0) {
    const names = [...s.vars.keys()].sort();
    let out = '';
    for (const n of names) {
      const v = s.vars.get(n);
      if (!v || !(kind === 'export' ? v.exported : v.readonly)) continue;
      out += v.value === undefined ? `${kind} ${n}\n` : `${kind} ${n}=${singleQuote(v.value)}\n`;
    }
    await io.stdout.write(out);
    return 0;
  }
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    if (!NAME.test(name)) throw new ShellError(`${name}: bad variable name`);
    const v = s.vars.get(name);
    if (eq !== -1) {
      if (v?.readonly) throw new ShellError(`${name}: is read only`);
      s.set(name, a.slice(eq + 1));
    } else if (!v) s.vars.set(name, { value: undefined, exported: false, readonly: false });
    const entry = s.vars.get(name);
    if (entry) {
      if (kind === 'export') entry.exported = true;
      else entry.readonly = true;
    }
  }
  return 0;
}

async function unset(sh: Interpreter, argv: string[]): Promise<number> {
  const s = sh.state;
  let functions = false;
  const names: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '-f') functions = true;
    else if (a === '-v') functions = false;
    else names.push(a);
  }
  for (const n of names) {
    if (functions) s.functions.delete(n);
    else if (!s.unset(n)) throw new ShellError(`${n}: is read only`);
  }
  return 0;
}

const LONG_OPTIONS: [string, keyof ShellOptions][] = [
  ['errexit', 'errexit'], ['noglob', 'noglob'], ['ignoreeof', 'interactive'], ['monitor', 'interactive'], ['noexec', 'noexec'],
  ['nounset', 'nounset'], ['xtrace', 'xtrace'], ['verbose', 'verbose'], ['noclobber', 'noclobber'], ['allexport', 'allexport'],
  ['pipefail', 'pipefail'],
];
/** What `set -o` lists, in ash's order (options mydock does not model show as off). */
const LISTED = ['errexit', 'noglob', 'ignoreeof', 'monitor', 'noexec', 'xtrace', 'verbose', 'noclobber', 'allexport', 'notify', 'nounset', 'vi', 'emacs', 'pipefail'];
const LETTERS: Record<string, keyof ShellOptions> = { e: 'errexit', f: 'noglob', n: 'noexec', u: 'nounset', x: 'xtrace', v: 'verbose', C: 'noclobber', a: 'allexport' };

function setOption(sh: Interpreter, name: string, on: boolean): void {
  const opt = LONG_OPTIONS.find(([n]) => n === name);
  if (!opt) throw new ShellError(`Illegal option -o ${name}`);
  if (name === 'ignoreeof' || name === 'monitor') return;
  sh.state.options[opt[1]] = on;
}

async function set(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  const s = sh.state;
  const args = argv.slice(1);
  if (args.length === 0) {
    let out = '';
    for (const n of [...s.vars.keys()].sort()) {
      const v = s.vars.get(n);
      if (v?.value !== undefined) out += `${n}=${singleQuote(v.value)}\n`;
    }
    await io.stdout.write(out);
    return 0;
  }
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      i++;
      s.positional = args.slice(i);
      return 0;
    }
    if (a === '-' || a === '+') {
      i++;
      break;
    }
    if (!/^[-+]/.test(a)) break;
    const on = a[0] === '-';
    for (const ch of a.slice(1)) {
      if (ch === 'o') {
        const name = args[i + 1];
        if (name === undefined || /^[-+]/.test(name)) {
          let out = '';
          for (const l of LISTED) {
            const opt = LONG_OPTIONS.find(([n]) => n === l);
            const value = opt && l !== 'ignoreeof' && l !== 'monitor' ? s.options[opt[1]] : false;
            out += on ? `${l.padEnd(16)}${value ? 'on' : 'off'}\n` : `set ${value ? '-' : '+'}o ${l}\n`;
          }
          await io.stdout.write(out);
          continue;
        }
        i++;
        setOption(sh, name, on);
        continue;
      }
      const opt = LETTERS[ch];
      if (!opt) throw new ShellError(`Illegal option ${a[0]}${ch}`);
      s.options[opt] = on;
    }
  }
  if (i < args.length) s.positional = args.slice(i);
  return 0;
}

async function shift(sh: Interpreter, argv: string[]): Promise<number> {
  const n = parseStatus(argv[1], 1, 'shift');
  const s = sh.state;
  if (n > s.positional.length) return 1;
  s.positional = s.positional.slice(n);
  return 0;
}

async function exit(sh: Interpreter, argv: string[]): Promise<number> {
  throw new ExitRequest(parseStatus(argv[1], sh.state.lastStatus, 'exit'));
}

async function returnBuiltin(sh: Interpreter, argv: string[]): Promise<number> {
  const status = parseStatus(argv[1], sh.state.lastStatus, 'return');
  if (sh.state.functionDepth === 0 && sh.state.sourceDepth === 0) throw new ExitRequest(status);
  throw new ReturnSignal(status);
}

function loopControl(kind: 'break' | 'continue') {
  return async (sh: Interpreter, argv: string[]): Promise<number> => {
    const n = argv[1] === undefined ? 1 : Number(argv[1]);
    if (!Number.isInteger(n) || n < 1) throw new ShellError(`Illegal number: ${argv[1] ?? ''}`, 2, kind);
    const depth = sh.state.loopDepth;
    if (depth === 0) return 0;
    throw new LoopControl(kind, Math.min(n, depth));
  };
}

async function evalBuiltin(sh: Interpreter, argv: string[]): Promise<number> {
  const text = argv.slice(1).join(' ');
  if (text.trim() === '') return 0;
  return sh.evalText(text);
}

async function dot(sh: Interpreter, argv: string[]): Promise<number> {
  const s = sh.state;
  const name = argv[1];
  if (name === undefined) return 0;
  let path = name;
  if (!name.includes('/')) {
    const found = searchCommand(s.fs, name, s.get('PATH'));
    path = found.kind === 'notfound' ? name : found.path;
    if (found.kind === 'notfound' && !s.fs.exists(name)) throw new ShellError(`${name}: not found`, 127);
  }
  let text: string;
  try {
    text = s.fs.readFile(path).toString('utf8');
  } catch (err) {
    throw new ShellError(`can't open '${name}': ${err instanceof FsError ? err.text : String(err)}`, 2);
  }
  const savedPositional = s.positional;
  if (argv.length > 2) s.positional = argv.slice(2);
  s.sourceDepth++;
  try {
    return await sh.evalText(text);
  } catch (err) {
    if (err instanceof ReturnSignal) return err.status;
    throw err;
  } finally {
    s.sourceDepth--;
    if (argv.length > 2) s.positional = savedPositional;
  }
}

async function execBuiltin(sh: Interpreter, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args.length === 0) return 0;
  const name = args[0] ?? '';
  const found = searchCommand(sh.state.fs, name, sh.state.get('PATH'));
  if (found.kind === 'notfound') throw new ShellError(`${name}: not found`, 127);
  // The program replaces this shell: same pid, the signals sent to the shell
  // reach it, and once it starts the shell's traps are gone (EXIT included).
  const slot = sh.processSlot();
  const s = sh.state;
  const beforeStart = (): void => {
    s.traps.clear();
    s.pendingSignals.length = 0;
    slot?.signals.resetOnExec();
  };
  const status = await sh.runExternal(args, sh.specialAssigns, slot ? { ...slot, beforeStart } : undefined);
  throw new ExitRequest(status);
}

async function local(sh: Interpreter, argv: string[]): Promise<number> {
  const s = sh.state;
  const frame = s.localFrames[s.localFrames.length - 1];
  if (s.functionDepth === 0 || !frame) throw new ShellError('not in a function');
  for (const a of argv.slice(1)) {
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    if (!NAME.test(name)) throw new ShellError(`${name}: bad variable name`);
    const current = s.vars.get(name);
    if (!frame.has(name)) frame.set(name, current ? { ...current } : null);
    if (eq !== -1) {
      if (!s.set(name, a.slice(eq + 1))) throw new ShellError(`${name}: is read only`);
    } else if (!current) s.vars.set(name, { value: undefined, exported: false, readonly: false });
  }
  return 0;
}

async function umask(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  const s = sh.state;
  const args = argv.slice(1);
  const symbolic = args[0] === '-S';
  if (symbolic) args.shift();
  const mode = args[0];
  if (mode === undefined) {
    if (symbolic) {
      const perm = (shift: number): string => {
        const bits = (~s.umask >> shift) & 7;
        return (bits & 4 ? 'r' : '') + (bits & 2 ? 'w' : '') + (bits & 1 ? 'x' : '');
      };
      await io.stdout.write(`u=${perm(6)},g=${perm(3)},o=${perm(0)}\n`);
    } else await io.stdout.write(s.umask.toString(8).padStart(4, '0') + '\n');
    return 0;
  }
  if (!/^[0-7]+$/.test(mode)) throw new ShellError(`Illegal mode: ${mode}`, 1);
  s.umask = parseInt(mode, 8) & 0o777;
  return 0;
}

async function alias(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  const s = sh.state;
  const args = argv.slice(1);
  if (args.length === 0) {
    let out = '';
    for (const [n, v] of [...s.aliases].sort(([a], [b]) => (a < b ? -1 : 1))) out += `${n}=${singleQuote(v)}\n`;
    await io.stdout.write(out);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq === -1) {
      const v = s.aliases.get(a);
      if (v === undefined) {
        await io.stderr.write(`alias: ${a} not found\n`);
        status = 1;
      } else await io.stdout.write(`${a}=${singleQuote(v)}\n`);
    } else s.aliases.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return status;
}

async function unalias(sh: Interpreter, argv: string[]): Promise<number> {
  if (argv[1] === '-a') sh.state.aliases.clear();
  else for (const a of argv.slice(1)) sh.state.aliases.delete(a);
  return 0;
}

/** How `type` and `command -v/-V` describe a name. */
function describe(sh: Interpreter, name: string): { kind: 'alias' | 'function' | 'builtin' | 'special' | 'file'; text: string } | null {
  const s = sh.state;
  const a = s.aliases.get(name);
  if (a !== undefined) return { kind: 'alias', text: a };
  if (['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', '{', '}', '!'].includes(name)) return { kind: 'builtin', text: name };
  if (s.functions.has(name)) return { kind: 'function', text: name };
  if (sh.isBuiltin(name)) return { kind: sh.isSpecialBuiltin(name) ? 'special' : 'builtin', text: name };
  const found = searchCommand(s.fs, name, s.get('PATH'));
  if (found.kind === 'found') return { kind: 'file', text: found.path };
  return null;
}

async function type(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  let status = 0;
  for (const name of argv.slice(1)) {
    const d = describe(sh, name);
    if (!d) {
      await io.stdout.write(`${name}: not found\n`);
      status = 127;
      continue;
    }
    const text =
      d.kind === 'alias' ? `${name} is an alias for ${d.text}` : d.kind === 'function' ? `${name} is a function` : d.kind === 'special' ? `${name} is a special shell builtin` : d.kind === 'builtin' ? `${name} is a shell builtin` : `${name} is ${d.text}`;
    await io.stdout.write(text + '\n');
  }
  return status;
}

async function command(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  let args = argv.slice(1);
  let mode: 'v' | 'V' | null = null;
  while (args[0] && /^-[pvV]+$/.test(args[0])) {
    if (args[0].includes('v')) mode = 'v';
    if (args[0].includes('V')) mode = 'V';
    args = args.slice(1);
  }
  if (args[0] === '--') args = args.slice(1);
  if (mode) {
    // ash describes only the first name.
    const name = args[0];
    if (name === undefined) return 0;
    const d = describe(sh, name);
    if (!d) {
      if (mode === 'V') await io.stderr.write(`${name}: not found\n`);
      return 127;
    }
    if (mode === 'v') await io.stdout.write((d.kind === 'alias' ? `alias ${name}=${singleQuote(d.text)}` : d.text) + '\n');
    else await type(sh, ['type', name], io);
    return 0;
  }
  if (args.length === 0) return 0;
  const name = args[0] ?? '';
  // `command name`: skips functions (and aliases), still runs builtins.
  if (sh.isBuiltin(name)) return sh.callBuiltin(name, args);
  return sh.runExternal(args, {});
}

async function getopts(sh: Interpreter, argv: string[]): Promise<number> {
  const s = sh.state;
  const optstring = argv[1];
  const varName = argv[2];
  if (optstring === undefined || varName === undefined) throw new ShellError('usage: getopts optstring var [arg]', 2);
  const args = argv.length > 3 ? argv.slice(3) : s.positional;
  const silent = optstring.startsWith(':');
  const spec = silent ? optstring.slice(1) : optstring;
  const st = s.optind;
  const arg = args[st.index - 1];
  const finish = (): number => {
    s.set(varName, '?');
    s.set('OPTIND', String(st.index));
    s.optind = st;
    return 1;
  };
  if (st.offset === 0) {
    if (arg === undefined || arg === '-' || !arg.startsWith('-')) return finish();
    if (arg === '--') {
      st.index++;
      return finish();
    }
    st.offset = 1;
  }
  const cur = args[st.index - 1] ?? '';
  const ch = cur[st.offset] ?? '';
  st.offset++;
  const advance = (): void => {
    if (st.offset >= cur.length) {
      st.index++;
      st.offset = 0;
    }
  };
  const at = spec.indexOf(ch);
  s.vars.delete('OPTARG');
  if (at === -1 || ch === ':') {
    advance();
    if (silent) {
      s.set('OPTARG', ch);
    } else await sh.output(2).write(`${s.arg0}: illegal option -- ${ch}\n`);
    s.set(varName, '?');
  } else if (spec[at + 1] === ':') {
    if (st.offset < cur.length) {
      s.set('OPTARG', cur.slice(st.offset));
      st.index++;
      st.offset = 0;
    } else {
      const next = args[st.index];
      st.index += 2;
      st.offset = 0;
      if (next === undefined) {
        if (silent) {
          s.set('OPTARG', ch);
          s.set(varName, ':');
        } else {
          await sh.output(2).write(`${s.arg0}: option requires an argument -- ${ch}\n`);
          s.set(varName, '?');
        }
        s.set('OPTIND', String(st.index));
        s.optind = st;
        return 0;
      }
      s.set('OPTARG', next);
    }
    s.set(varName, ch);
  } else {
    advance();
    s.set(varName, ch);
  }
  s.set('OPTIND', String(st.index));
  s.optind = st;
  return 0;
}

async function read(sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  const s = sh.state;
  let raw = false;
  let prompt: string | null = null;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-r') raw = true;
    else if (a === '-p') prompt = argv[++i] ?? '';
    else if (a === '-s') continue;
    else if (a === '--') {
      i++;
      break;
    } else break;
  }
  const names = argv.slice(i);
  if (names.length === 0) names.push('REPLY');
  for (const n of names) if (!NAME.test(n)) throw new ShellError(`'${n}': not a valid identifier`, 2);
  if (prompt !== null) await io.stderr.write(prompt);

  // Read one logical line: backslash-newline continues it unless -r.
  let line = '';
  let eof = false;
  for (;;) {
    const r = await readLineEof(io.stdin);
    if (r.eof) eof = true;
    const part = r.line;
    if (part === null) break;
    if (r.eof) {
      line += part;
      break;
    }
    if (!raw && part.endsWith('\\') && !part.endsWith('\\\\')) {
      line += part.slice(0, -1);
      continue;
    }
    line += part;
    break;
  }
  // A final line without "\n" still counts as data, but read reports end of input.
  const values = splitForRead(line, s.get('IFS'), names.length, raw);
  names.forEach((n, k) => {
    if (!s.set(n, values[k] ?? '')) throw new ShellError(`${n}: is read only`);
  });
  return eof ? 1 : 0;
}

/** One line, and whether input ended before its newline (read then returns 1). */
async function readLineEof(input: InputStream): Promise<{ line: string | null; eof: boolean }> {
  if (!(input instanceof BufferedInput)) {
    const line = await input.readLine();
    return { line, eof: line === null };
  }
  const parts: Uint8Array[] = [];
  for (;;) {
    const chunk = await input.read();
    if (chunk === null) return { line: parts.length ? Buffer.concat(parts).toString('utf8') : null, eof: true };
    const nl = chunk.indexOf(0x0a);
    if (nl === -1) {
      parts.push(chunk);
      continue;
    }
    parts.push(chunk.subarray(0, nl));
    input.unread(chunk.subarray(nl + 1));
    return { line: Buffer.concat(parts).toString('utf8'), eof: false };
  }
}

/** read's IFS splitting: the last variable takes the rest of the line, minus trailing IFS white space. */
function splitForRead(line: string, ifsVar: string | undefined, count: number, raw: boolean): string[] {
  const ifs = ifsVar ?? ' \t\n';
  const ws = (c: string): boolean => ifs.includes(c) && ' \t\n'.includes(c);
  const isIfs = (c: string): boolean => ifs.includes(c);
  // Unescape (without -r) while remembering which characters were escaped.
  const chars: { c: string; esc: boolean }[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (!raw && c === '\\' && i + 1 < line.length) {
      chars.push({ c: line[++i] ?? '', esc: true });
    } else if (!raw && c === '\\') continue;
    else chars.push({ c, esc: false });
  }
  const out: string[] = [];
  let p = 0;
  while (p < chars.length && !chars[p]?.esc && ws(chars[p]?.c ?? '')) p++;
  for (let v = 0; v < count; v++) {
    if (v === count - 1) {
      let end = chars.length;
      while (end > p && !chars[end - 1]?.esc && ws(chars[end - 1]?.c ?? '')) end--;
      out.push(chars.slice(p, end).map((x) => x.c).join(''));
      break;
    }
    let field = '';
    while (p < chars.length && (chars[p]?.esc || !isIfs(chars[p]?.c ?? ''))) field += chars[p++]?.c ?? '';
    out.push(field);
    // Skip one delimiter: white space, at most one non-white IFS character, white space.
    while (p < chars.length && !chars[p]?.esc && ws(chars[p]?.c ?? '')) p++;
    if (p < chars.length && !chars[p]?.esc && isIfs(chars[p]?.c ?? '') && !ws(chars[p]?.c ?? '')) {
      p++;
      while (p < chars.length && !chars[p]?.esc && ws(chars[p]?.c ?? '')) p++;
    }
  }
  return out;
}

async function letBuiltin(sh: Interpreter, argv: string[]): Promise<number> {
  let v = 0n;
  for (const a of argv.slice(1)) v = sh.expander.arith(a);
  return v === 0n ? 1 : 0;
}

export const CORE_BUILTINS: BuiltinTable = {
  ':': async () => 0,
  true: async () => 0,
  false: async () => 1,
  cd,
  chdir: cd,
  pwd,
  export: (sh, argv, io) => exportOrReadonly(sh, argv, io, 'export'),
  readonly: (sh, argv, io) => exportOrReadonly(sh, argv, io, 'readonly'),
  unset,
  set,
  shift,
  exit,
  return: returnBuiltin,
  break: loopControl('break'),
  continue: loopControl('continue'),
  eval: evalBuiltin,
  '.': dot,
  source: dot,
  exec: execBuiltin,
  local,
  umask,
  alias,
  unalias,
  type,
  command,
  getopts,
  read,
  let: letBuiltin,
};
