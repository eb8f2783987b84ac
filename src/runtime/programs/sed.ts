/**
 * sed: busybox's editors/sed.c, the commonly used part. Addresses (line,
 * $, /re/, addr,+N, !), commands s y p P d D q Q a i c = n N
 * h H g G x b t T : { } r w l, options -n -e -f -i[SUF] -E/-r -s.
 * Text is handled as byte strings.
 */
import { has, last } from './lib/getopt.js';
import { argBytes, bytes, lines, openChunks, Out } from './lib/io.js';
import { compile, RegexError } from './lib/regex.js';
import { isFsError, type Tool } from './lib/tool.js';

type Addr = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp | null } | { kind: 'plus'; n: number };

interface Cmd {
  a1: Addr | null;
  a2: Addr | null;
  negate: boolean;
  name: string;
  /** s: regex (null = last used), replacement, flags. */
  re?: RegExp | null;
  repl?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  wfile?: string;
  text?: string;
  label?: string;
  /** y: maps. */
  from?: string;
  to?: string;
  /** Index of the matching "}" for "{", of the target for branches. */
  jump?: number;
  /** Range state. */
  active?: boolean;
  endLine?: number;
}

class SedError extends Error {}

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly extended: boolean,
  ) {}

  peek(): string | undefined {
    return this.s[this.i];
  }
  skipWs(): void {
    while (this.i < this.s.length && /[ \t]/.test(this.s[this.i]!)) this.i++;
  }
  /** Reads up to an unescaped delimiter; "\n" becomes a newline, "\delim" the delimiter. */
  delimited(delim: string, what: string): string {
    let out = '';
    let inBracket = false;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]!;
      if (c === '\\' && this.i + 1 < this.s.length) {
        const n = this.s[++this.i]!;
        if (n === delim && delim !== '\n') out += delim === '&' ? '\\&' : n;
        else if (n === 'n') out += what === 'repl' ? '\n' : '\\n';
        else out += '\\' + n;
        continue;
      }
      if (what === 're' && c === '[' && !inBracket) inBracket = true;
      else if (what === 're' && c === ']' && inBracket) inBracket = false;
      if (c === delim && !inBracket) {
        this.i++;
        return out;
      }
      out += c;
    }
    throw new SedError(`unmatched '${delim}'`);
  }
  regex(src: string, flags: string): RegExp | null {
    if (src === '') return null;
    try {
      return compile(src, { extended: this.extended, ignoreCase: flags.includes('I') || flags.includes('i'), global: true });
    } catch (e) {
      if (e instanceof RegexError) throw new SedError(`bad regex '${src}': ${e.message}`);
      throw e;
    }
  }
  address(): Addr | null {
    const c = this.peek();
    if (c === undefined) return null;
    if (/\d/.test(c)) {
      // busybox has no GNU "first~step" addresses: "~" then fails as an unknown command.
      const m = /^(\d+)/.exec(this.s.slice(this.i))!;
      this.i += m[0].length;
      return { kind: 'line', n: Number(m[1]) };
    }
    if (c === '$') {
      this.i++;
      return { kind: 'last' };
    }
    if (c === '/' || c === '\\') {
      let delim = '/';
      if (c === '\\') {
        delim = this.s[this.i + 1]!;
        this.i++;
      }
      this.i++;
      const src = this.delimited(delim, 're');
      let flags = '';
      while (this.peek() === 'I') {
        flags += 'I';
        this.i++;
      }
      return { kind: 're', re: this.regex(src, flags) };
    }
    return null;
  }
  /** Text argument of a, i, c: "a\" newline text, or "a text" (GNU one-liner). */
  textArg(): string {
    this.skipWs();
    if (this.peek() === '\\') {
      this.i++;
      if (this.peek() === '\n') this.i++;
    }
    let out = '';
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]!;
      if (c === '\\' && this.i + 1 < this.s.length) {
        out += this.s[++this.i]!;
        continue;
      }
      if (c === '\n') break;
      out += c;
    }
    return out;
  }
  word(): string {
    this.skipWs();
    const m = /^[^;\n}]*/.exec(this.s.slice(this.i))!;
    this.i += m[0].length;
    return m[0].trim();
  }
  endOfCommand(name: string): void {
    this.skipWs();
    const c = this.peek();
    if (c === undefined || c === ';' || c === '\n' || c === '}') {
      if (c === ';' || c === '\n') this.i++;
      return;
    }
    if (c === '#') {
      while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      return;
    }
    throw new SedError(`extra characters after command ${name}`);
  }

  parse(): Cmd[] {
    const cmds: Cmd[] = [];
    const open: number[] = [];
    for (;;) {
      while (this.i < this.s.length && /[ \t\n;]/.test(this.s[this.i]!)) this.i++;
      if (this.i >= this.s.length) break;
      if (this.peek() === '#') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
        continue;
      }
      const a1 = this.address();
      let a2: Addr | null = null;
      if (a1 && this.peek() === ',') {
        this.i++;
        if (this.peek() === '+') {
          this.i++;
          const m = /^\d+/.exec(this.s.slice(this.i));
          if (!m) throw new SedError('expected number');
          this.i += m[0].length;
          a2 = { kind: 'plus', n: Number(m[0]) };
        } else a2 = this.address();
        if (!a2) throw new SedError('unexpected \',\'');
      }
      this.skipWs();
      let negate = false;
      while (this.peek() === '!') {
        negate = true;
        this.i++;
        this.skipWs();
      }
      const name = this.s[this.i++];
      if (name === undefined) throw new SedError('missing command');
      const cmd: Cmd = { a1, a2, negate, name };
      switch (name) {
        case '{':
          open.push(cmds.length);
          cmds.push(cmd);
          continue;
        case '}':
          if (open.length === 0) throw new SedError('unexpected }');
          cmds[open.pop()!]!.jump = cmds.length;
          cmds.push(cmd);
          this.endOfCommand(name);
          continue;
        case 's': {
          const delim = this.s[this.i++];
          if (delim === undefined || delim === '\n' || delim === '\\') throw new SedError("unterminated 's' command");
          const src = this.delimited(delim, 're');
          const repl = this.delimited(delim, 'repl');
          let flags = '';
          for (;;) {
            const c = this.peek();
            if (c === undefined || !/[gpIiew0-9]/.test(c)) break;
            if (c === 'w') {
              this.i++;
              cmd.wfile = this.word();
              break;
            }
            flags += c;
            this.i++;
          }
          cmd.re = this.regex(src, flags);
          cmd.repl = repl;
          cmd.global = flags.includes('g');
          cmd.print = flags.includes('p');
          const nth = /\d+/.exec(flags);
          cmd.nth = nth ? Number(nth[0]) : 1;
          if (cmd.re && (flags.includes('I') || flags.includes('i'))) cmd.re = new RegExp(cmd.re.source, 'gi');
          break;
        }
        case 'y': {
          const delim = this.s[this.i++]!;
          const from = this.delimited(delim, 'repl');
          const to = this.delimited(delim, 'repl');
          if (from.length !== to.length) throw new SedError("strings for y command are different lengths");
          cmd.from = from;
          cmd.to = to;
          break;
        }
        case 'a':
        case 'i':
        case 'c':
          cmd.text = this.textArg();
          cmds.push(cmd);
          continue;
        case ':':
          if (a1) throw new SedError("':' doesn't want any addresses");
          cmd.label = this.word();
          break;
        case 'b':
        case 't':
        case 'T':
          cmd.label = this.word();
          break;
        case 'r':
        case 'w':
          cmd.wfile = this.word();
          break;
        case 'q':
        case 'Q':
        case 'l': {
          this.skipWs();
          const m = /^\d+/.exec(this.s.slice(this.i));
          if (m) {
            this.i += m[0].length;
            cmd.nth = Number(m[0]);
          }
          break;
        }
        default:
          if (!'pPdDnNgGhHx='.includes(name)) throw new SedError(`unsupported command ${name}`);
      }
      cmds.push(cmd);
      this.endOfCommand(name);
    }
    if (open.length > 0) throw new SedError('unmatched {');
    for (const c of cmds) {
      if ((c.name === 'b' || c.name === 't' || c.name === 'T') && c.label !== undefined) {
        if (c.label === '') c.jump = cmds.length;
        else {
          const at = cmds.findIndex((x) => x.name === ':' && x.label === c.label);
          if (at === -1) throw new SedError(`can't find label for jump to '${c.label}'`);
          c.jump = at;
        }
      }
    }
    return cmds;
  }
}

/** Expands a replacement: & is the match, \1..\9 groups, \x the character x. */
function expand(repl: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '\\' && i + 1 < repl.length) {
      const n = repl[++i]!;
      if (/[0-9]/.test(n)) out += m[Number(n)] ?? '';
      else if (n === 't') out += '\t';
      else out += n;
    } else if (c === '&') out += m[0];
    else out += c;
  }
  return out;
}

/** The input lines of all files in turn, knowing which is the last. */
class Input {
  private queue: string[];
  private gen: AsyncGenerator<{ s: string; nl: boolean }> | null = null;
  private pending: { s: string; nl: boolean } | null | undefined;
  lineNo = 0;
  lastHadNewline = true;
  status = 0;
  constructor(
    private readonly t: Tool,
    files: string[],
  ) {
    this.queue = [...files];
  }

  private async pull(): Promise<{ s: string; nl: boolean } | null> {
    for (;;) {
      if (!this.gen) {
        const f = this.queue.shift();
        if (f === undefined) return null;
        try {
          this.gen = lines(openChunks(this.t.ctx.fs, this.t.ctx.stdin, f));
        } catch (e) {
          await this.t.errPath(f, e);
          this.status = 1;
          continue;
        }
      }
      try {
        const r = await this.gen.next();
        if (!r.done) return r.value;
      } catch (e) {
        if (!isFsError(e)) throw e;
        await this.t.err(`read error on ${e.path}: ${e.text}`);
        this.status = 1;
      }
      this.gen = null;
    }
  }

  async next(): Promise<string | null> {
    const l = this.pending !== undefined ? this.pending : await this.pull();
    this.pending = undefined;
    if (l === null) return null;
    this.lineNo++;
    this.lastHadNewline = l.nl;
    return l.s;
  }

  async isLast(): Promise<boolean> {
    if (this.pending === undefined) this.pending = await this.pull();
    return this.pending === null;
  }
}

export async function sed(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'irEnse:f:', long: { quiet: { key: 'n', arg: 'none' }, silent: { key: 'n', arg: 'none' }, expression: { key: 'e', arg: 'required' }, file: { key: 'f', arg: 'required' }, 'in-place': { key: 'i', arg: 'optional' }, 'regexp-extended': { key: 'E', arg: 'none' }, posix: { key: 'posix', arg: 'none' }, debug: { key: 'debug', arg: 'none' } } }, inPlaceArgs(t.ctx.argv.slice(1)));
  const args = [...o.args];
  const pieces: string[] = [];
  for (const k of o.order) {
    if (k === 'e') pieces.push(argBytes(o.values.get('e')!.shift()!));
    if (k === 'f') {
      const f = o.values.get('f')!.shift()!;
      try {
        pieces.push(t.ctx.fs.readFile(f).toString('latin1').replace(/\n$/, ''));
      } catch (e) {
        return t.die(`${f}: ${isFsError(e) ? e.text : String(e)}`);
      }
    }
  }
  if (pieces.length === 0) {
    if (args.length === 0) return t.usage();
    pieces.push(argBytes(args.shift()!));
  }
  let cmds: Cmd[];
  try {
    cmds = new Parser(pieces.join('\n'), has(o, 'E') || has(o, 'r')).parse();
  } catch (e) {
    if (e instanceof SedError) return t.die(e.message);
    throw e;
  }
  const inPlace = has(o, 'i');
  const suffix = last(o, 'i') ?? '';
  if (inPlace) {
    if (args.length === 0) return t.die('no input files');
    let status = 0;
    for (const f of args) {
      try {
        t.ctx.fs.stat(f);
      } catch (e) {
        await t.errPath(f, e);
        status = 4;
        continue;
      }
      const collected: string[] = [];
      const sink = { put: async (s: string) => void collected.push(s), flush: async () => undefined };
      const r = await runScript(t, cmds, [f], sink, has(o, 'n'));
      if (suffix) t.ctx.fs.writeFile(suffix.includes('*') ? suffix.replace('*', f) : f + suffix, t.ctx.fs.readFile(f));
      t.ctx.fs.writeFile(f, bytes(collected.join('')));
      status = Math.max(status, r);
    }
    return status;
  }
  const out = new Out(t.ctx.stdout);
  const r = await runScript(t, cmds, args.length === 0 ? ['-'] : args, out, has(o, 'n'));
  await out.flush();
  return r;
}

/** "-i.bak" glues its suffix; a bare "-i" takes none (getopt's optional argument). */
function inPlaceArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') {
      out.push(...argv.slice(k));
      break;
    }
    const m = /^-([nrEs]*)i(.*)$/.exec(a);
    if (m) {
      if (m[1]) out.push('-' + m[1]);
      out.push(`--in-place=${m[2]}`);
    } else out.push(a);
  }
  return out;
}

interface Sink {
  put(s: string): Promise<void>;
  flush(): Promise<void>;
}

async function runScript(t: Tool, cmds: Cmd[], files: string[], out: Sink, quiet: boolean): Promise<number> {
  const input = new Input(t, files);
  let hold = '';
  let lastRe: RegExp | null = null;
  const useRe = (re: RegExp | null | undefined): RegExp => {
    const r = re ?? lastRe;
    if (!r) throw new SedError('no previous regexp');
    lastRe = r;
    return r;
  };
  const wfiles = new Map<string, string[]>();
  let exitCode: number | null = null;
  const matchAddr = async (a: Addr, ps: string): Promise<boolean> => {
    switch (a.kind) {
      case 'line':
        return input.lineNo === a.n;
      case 'last':
        return input.isLast();
      case 're': {
        const r = useRe(a.re);
        r.lastIndex = 0;
        return r.test(ps);
      }
      case 'plus':
        return false;
    }
  };
  const selected = async (c: Cmd, ps: string): Promise<boolean> => {
    if (!c.a1) return true;
    if (!c.a2) return matchAddr(c.a1, ps);
    if (!c.active) {
      if (!(await matchAddr(c.a1, ps))) return false;
      c.active = true;
      if (c.a2.kind === 'plus') c.endLine = input.lineNo + c.a2.n;
      else if (c.a2.kind === 'line') c.endLine = c.a2.n;
      else c.endLine = undefined;
      // A line-number end at or before the start closes the range at once.
      if (c.endLine !== undefined && c.endLine <= input.lineNo) c.active = false;
      return true;
    }
    if (c.endLine !== undefined) {
      if (input.lineNo >= c.endLine) c.active = false;
      return true;
    }
    if (await matchAddr(c.a2, ps)) c.active = false;
    return true;
  };
  const nl = (): string => (input.lastHadNewline ? '\n' : '');
  let ps = await input.next();
  while (ps !== null && exitCode === null) {
    let append: string[] = [];
    let deleted = false;
    let substituted = false;
    let restart = false;
    const emitAppends = async (): Promise<void> => {
      for (const a of append) await out.put(a);
      append = [];
    };
    for (let pc = 0; pc < cmds.length; pc++) {
      const c = cmds[pc]!;
      const sel = (await selected(c, ps)) !== c.negate;
      if (c.name === '}' || c.name === ':') continue;
      if (!sel) {
        if (c.name === '{') pc = c.jump!;
        continue;
      }
      switch (c.name) {
        case '{':
          break;
        case 's': {
          const r = useRe(c.re);
          r.lastIndex = 0;
          let result = '';
          let pos = 0;
          let n = 0;
          let did = false;
          let m: RegExpExecArray | null;
          while ((m = r.exec(ps)) !== null) {
            n++;
            if (n >= c.nth! && (c.global || n === c.nth)) {
              result += ps.slice(pos, m.index) + expand(c.repl!, m);
              pos = m.index + m[0].length;
              did = true;
              if (!c.global) break;
            }
            if (m[0] === '') {
              if (r.lastIndex >= ps.length) break;
              r.lastIndex++;
            }
          }
          if (did) {
            ps = result + ps.slice(pos);
            substituted = true;
            if (c.print) await out.put(ps + '\n');
            if (c.wfile) (wfiles.get(c.wfile) ?? wfiles.set(c.wfile, []).get(c.wfile)!).push(ps + '\n');
          }
          break;
        }
        case 'y': {
          let r = '';
          for (const ch of ps) {
            const at = c.from!.indexOf(ch);
            r += at === -1 ? ch : c.to![at];
          }
          ps = r;
          break;
        }
        case 'p':
          await out.put(ps + '\n');
          break;
        case 'P':
          await out.put(ps.split('\n')[0] + '\n');
          break;
        case '=':
          await out.put(`${input.lineNo}\n`);
          break;
        case 'l':
          await out.put(
            ps.replace(/[\\\x00-\x1f\x7f-\xff]/g, (ch) => {
              const k = ch.charCodeAt(0);
              const named: Record<number, string> = { 92: '\\\\', 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };
              return named[k] ?? '\\' + k.toString(8).padStart(3, '0');
            }) + '$\n',
          );
          break;
        case 'a':
          append.push(c.text! + '\n');
          break;
        case 'i':
          await out.put(c.text! + '\n');
          break;
        case 'c':
          // In a range, the text replaces the whole range: print it at its end only.
          if (!c.a2 || !c.active) await out.put(c.text! + '\n');
          deleted = true;
          break;
        case 'r':
          try {
            append.push(t.ctx.fs.readFile(c.wfile!).toString('latin1'));
          } catch {
            // A missing file reads as nothing, as POSIX says for r.
          }
          break;
        case 'w':
          (wfiles.get(c.wfile!) ?? wfiles.set(c.wfile!, []).get(c.wfile!)!).push(ps + '\n');
          break;
        case 'd':
          deleted = true;
          break;
        case 'D': {
          const at = ps.indexOf('\n');
          if (at === -1) deleted = true;
          else {
            ps = ps.slice(at + 1);
            restart = true;
          }
          break;
        }
        case 'n': {
          if (!quiet) await out.put(ps + nl());
          await emitAppends();
          const next = await input.next();
          if (next === null) {
            deleted = true;
            exitCode = 0;
            ps = '';
            break;
          }
          ps = next;
          break;
        }
        case 'N': {
          await emitAppends();
          const next = await input.next();
          if (next === null) {
            // GNU/busybox print the pattern space when N hits the end.
            break;
          }
          ps = ps + '\n' + next;
          break;
        }
        case 'h':
          hold = ps;
          break;
        case 'H':
          hold = hold + '\n' + ps;
          break;
        case 'g':
          ps = hold;
          break;
        case 'G':
          ps = ps + '\n' + hold;
          break;
        case 'x':
          [ps, hold] = [hold, ps];
          break;
        case 'b':
          pc = c.jump! - 1;
          break;
        case 't':
          if (substituted) {
            substituted = false;
            pc = c.jump! - 1;
          }
          break;
        case 'T':
          if (!substituted) pc = c.jump! - 1;
          else substituted = false;
          break;
        case 'q':
          exitCode = c.nth ?? 0;
          break;
        case 'Q':
          exitCode = c.nth ?? 0;
          deleted = true;
          append = [];
          break;
      }
      if (deleted || restart || exitCode !== null) break;
    }
    // D (restart) starts the next cycle on what is left, without printing or reading.
    if (!deleted && !quiet && !restart) await out.put(ps + nl());
    await emitAppends();
    if (exitCode !== null) break;
    if (restart) continue;
    ps = await input.next();
  }
  await out.flush();
  for (const [f, data] of wfiles) t.ctx.fs.writeFile(f, bytes(data.join('')));
  return exitCode ?? input.status;
}
