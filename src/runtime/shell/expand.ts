/**
 * Word expansion, in POSIX order: tilde, parameters, command substitution
 * and arithmetic (left to right), then field splitting on IFS of the
 * unquoted results, pathname expansion, and quote removal.
 *
 * Expansion first produces segments that remember whether their text was
 * quoted and whether it came from an expansion (only those are split);
 * "$@" contributes field breaks between the positional parameters.
 */
import type { List, ParamPart, Word, WordPart } from './ast.js';
import { evaluate } from './arith.js';
import { ShellError } from './errors.js';
import { expandGlob } from './glob.js';
import { escapePattern, hasGlobChars, matchPattern, patternToRegex } from './pattern.js';
import type { ShellState } from './state.js';

type Segment =
  | { kind: 'text'; text: string; quoted: boolean; split: boolean }
  /** Between "$@" parameters: always ends a field. */
  | { kind: 'break' }
  /** Between unquoted $@ / $* parameters: ends a field that has content. */
  | { kind: 'softbreak' };

/** What expansion needs from the interpreter. */
export interface ExpansionHost {
  state: ShellState;
  /** Runs a command substitution in a subshell and returns its output. */
  commandSubstitution(body: List): Promise<string>;
  /** The home directory of a user (for ~user), from /etc/passwd. */
  homeOf(user: string): string | undefined;
}

const DEFAULT_IFS = ' \t\n';

/**
 * An expansion in progress: it yields each command substitution it needs
 * run, in order, and is resumed with that command's output. Expansion is
 * synchronous until it meets one, so most words cost no promise at all.
 */
type Expansion<T> = Generator<List, T, string>;

export class Expander {
  constructor(private readonly host: ExpansionHost) {}

  private get state(): ShellState {
    return this.host.state;
  }

  /** Runs an expansion: its result at once, or a promise when it runs a command substitution. */
  private drive<T>(g: Expansion<T>): T | Promise<T> {
    const r = g.next('');
    return r.done ? r.value : this.driveAsync(g, r.value);
  }

  private async driveAsync<T>(g: Expansion<T>, first: List): Promise<T> {
    let body = first;
    for (;;) {
      const r = g.next(await this.host.commandSubstitution(body));
      if (r.done) return r.value;
      body = r.value;
    }
  }

  /**
   * Full expansion of command words: may give zero, one or many fields.
   * A promise only when a command substitution runs (hot callers test for
   * it rather than pay an await for every command).
   */
  fields(words: Word[]): string[] | Promise<string[]> {
    return this.drive(this.fieldsOf(words));
  }

  /** Expansion without splitting or globbing (assignments, redirection targets, case words, here-documents); a promise as for `fields`. */
  string(word: Word): string | Promise<string> {
    return this.drive(this.stringOf(word));
  }

  /** Expansion to a pattern: quoted parts match literally (case patterns, ${v%pat}). */
  async pattern(word: Word, inDoubleQuotes = false): Promise<string> {
    return this.drive(this.patternOf(word, inDoubleQuotes));
  }

  private *fieldsOf(words: Word[]): Expansion<string[]> {
    const out: string[] = [];
    for (const word of words) {
      // Fast path: a plain literal word without glob characters.
      if (word.parts.length === 1) {
        const p = word.parts[0];
        if (p && p.type === 'lit' && !hasGlobChars(p.text)) {
          out.push(p.text);
          continue;
        }
        if (p && p.type === 'quoted') {
          out.push(p.text);
          continue;
        }
      }
      const segs = yield* this.segments(word.parts, false);
      for (const field of this.split(segs)) out.push(...this.glob(field));
    }
    return out;
  }

  private *stringOf(word: Word): Expansion<string> {
    if (word.parts.length === 1) {
      const p = word.parts[0];
      if (p && (p.type === 'lit' || p.type === 'quoted')) return p.text;
    }
    const segs = yield* this.segments(word.parts, true);
    let s = '';
    let first = true;
    for (const seg of segs) {
      if (seg.kind === 'text') s += seg.text;
      else if (!first) s += ' ';
      first = false;
    }
    return s;
  }

  private *patternOf(word: Word, inDoubleQuotes: boolean): Expansion<string> {
    const segs = yield* this.segments(word.parts, inDoubleQuotes);
    let s = '';
    for (const seg of segs) if (seg.kind === 'text') s += seg.quoted ? escapePattern(seg.text) : seg.text;
    return s;
  }

  private *segments(parts: WordPart[], quoted: boolean): Expansion<Segment[]> {
    const out: Segment[] = [];
    for (const part of parts) {
      switch (part.type) {
        case 'lit':
          out.push({ kind: 'text', text: part.text, quoted, split: false });
          break;
        case 'quoted':
          out.push({ kind: 'text', text: part.text, quoted: true, split: false });
          break;
        case 'dq': {
          const only = part.parts.length === 1 ? part.parts[0] : undefined;
          if (only && only.type === 'param' && only.name === '@' && !only.op) {
            // "$@": one field per parameter, none at all without parameters.
            const params = this.state.positional;
            params.forEach((p, i) => {
              if (i > 0) out.push({ kind: 'break' });
              out.push({ kind: 'text', text: p, quoted: true, split: false });
            });
            break;
          }
          out.push({ kind: 'text', text: '', quoted: true, split: false });
          out.push(...(yield* this.segments(part.parts, true)));
          break;
        }
        case 'tilde': {
          const home = part.user === '' ? this.state.get('HOME') : this.host.homeOf(part.user);
          const text = home ?? '~' + part.user;
          out.push({ kind: 'text', text, quoted: true, split: false });
          break;
        }
        case 'param':
          out.push(...(yield* this.param(part, quoted)));
          break;
        case 'cmdsub': {
          const text = (yield part.body).replace(/\n+$/, '');
          out.push({ kind: 'text', text, quoted, split: !quoted });
          break;
        }
        case 'arith': {
          const expr = yield* this.stringOf(part.expr);
          const text = this.arith(expr).toString();
          out.push({ kind: 'text', text, quoted, split: !quoted });
          break;
        }
      }
    }
    return out;
  }

  arith(expr: string): bigint {
    const state = this.state;
    return evaluate(expr, {
      get: (name) => this.lookup(name),
      set: (name, value) => {
        if (!state.set(name, value)) throw new ShellError(`${name}: is read only`);
      },
    });
  }

  /** The value of a parameter, or undefined when unset. */
  lookup(name: string): string | undefined {
    const s = this.state;
    switch (name) {
      case '#':
        return String(s.positional.length);
      case '?':
        return String(s.lastStatus);
      case '$':
        return String(s.pid);
      case '!':
        return s.lastBackgroundPid === null ? undefined : String(s.lastBackgroundPid);
      case '-':
        return optionFlags(s);
      case '0':
        return s.arg0;
      case '@':
      case '*':
        return s.positional.length === 0 ? undefined : s.positional.join(' ');
      case 'LINENO':
        return s.vars.has('LINENO') ? s.get('LINENO') : String(s.line);
    }
    if (/^[0-9]+$/.test(name)) {
      const i = Number(name);
      return i >= 1 && i <= s.positional.length ? s.positional[i - 1] : undefined;
    }
    return s.get(name);
  }

  private *param(part: ParamPart, quoted: boolean): Expansion<Segment[]> {
    const s = this.state;
    const name = part.name;
    const op = part.op;
    const isList = name === '@' || name === '*';

    if (op === 'length') {
      const v = this.lookup(name);
      if (v === undefined && s.options.nounset && !isList) throw new ShellError(`${name}: parameter not set`);
      const len = name === '@' || name === '*' ? s.positional.length : [...(v ?? '')].length;
      return [{ kind: 'text', text: String(len), quoted, split: !quoted }];
    }

    let value = this.lookup(name);
    const unsetOrEmpty = value === undefined || (part.colon === true && value === '');
    switch (op) {
      case '-':
        if (unsetOrEmpty) return yield* this.segments(part.arg?.parts ?? [], quoted);
        break;
      case '+':
        if (!unsetOrEmpty) return yield* this.segments(part.arg?.parts ?? [], quoted);
        return [];
      case '=':
        if (unsetOrEmpty) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ShellError(`${name}: bad variable name`);
          const v = part.arg ? yield* this.stringOf(part.arg) : '';
          if (!s.set(name, v)) throw new ShellError(`${name}: is read only`);
          value = v;
        }
        break;
      case '?':
        if (unsetOrEmpty) {
          const msg = part.arg && part.arg.parts.length > 0 ? yield* this.stringOf(part.arg) : part.colon ? 'parameter not set or null' : 'parameter not set';
          throw new ShellError(`${name}: ${msg}`);
        }
        break;
    }
    if (value === undefined && s.options.nounset && !isList && op !== '-' && op !== '=' && op !== '?') {
      throw new ShellError(`${name}: parameter not set`);
    }

    if (op === '%' || op === '%%' || op === '#' || op === '##') {
      const pat = yield* this.patternOf(part.arg ?? { parts: [], raw: '' }, quoted);
      value = trim(value ?? '', pat, op);
    } else if (op === 'substr') {
      const v = [...(value ?? '')];
      let off = Number(this.arith(part.arg ? yield* this.stringOf(part.arg) : '0'));
      if (off < 0) off = Math.max(0, v.length + off);
      let len = part.arg2 ? Number(this.arith(yield* this.stringOf(part.arg2))) : v.length;
      if (len < 0) len = Math.max(0, v.length - off + len);
      value = v.slice(off, off + len).join('');
    } else if (op === '/' || op === '//') {
      const pat = yield* this.patternOf(part.arg ?? { parts: [], raw: '' }, quoted);
      const rep = part.arg2 ? yield* this.stringOf(part.arg2) : '';
      value = replace(value ?? '', pat, rep, op === '//');
    }

    if (isList && !op) {
      if (quoted) {
        // "$*" joins with the first character of IFS; "$@" inside a larger word joins with spaces.
        const ifs = s.get('IFS');
        const sep = name === '*' ? (ifs === undefined ? ' ' : ifs.slice(0, 1)) : ' ';
        return [{ kind: 'text', text: s.positional.join(sep), quoted: true, split: false }];
      }
      const segs: Segment[] = [];
      s.positional.forEach((p, i) => {
        if (i > 0) segs.push({ kind: 'softbreak' });
        segs.push({ kind: 'text', text: p, quoted: false, split: true });
      });
      return segs;
    }
    return [{ kind: 'text', text: value ?? '', quoted, split: !quoted }];
  }

  /** Field splitting, as ash's ifsbreakup does it. */
  private split(segs: Segment[]): { text: string; quoted: boolean }[][] {
    const ifsVar = this.state.get('IFS');
    const ifs = ifsVar === undefined ? DEFAULT_IFS : ifsVar;
    const fields: { text: string; quoted: boolean }[][] = [];
    let cur: { text: string; quoted: boolean }[] = [];
    let started = false;
    const emit = (): void => {
      fields.push(cur);
      cur = [];
      started = false;
    };
    for (const seg of segs) {
      if (seg.kind === 'break') {
        emit();
        continue;
      }
      if (seg.kind === 'softbreak') {
        if (started) emit();
        continue;
      }
      if (!seg.split || ifs === '') {
        cur.push({ text: seg.text, quoted: seg.quoted });
        if (seg.quoted || seg.text !== '') started = true;
        continue;
      }
      const t = seg.text;
      let chunk = '';
      for (let i = 0; i < t.length; i++) {
        const c = t[i] ?? '';
        if (!ifs.includes(c)) {
          chunk += c;
          continue;
        }
        let ifsSpace = DEFAULT_IFS.includes(c);
        if (chunk === '' && !started && ifsSpace) continue;
        if (chunk !== '') cur.push({ text: chunk, quoted: false });
        chunk = '';
        emit();
        // Swallow the rest of this delimiter: IFS white space, and at most one non-space IFS character after space.
        while (i + 1 < t.length) {
          const n = t[i + 1] ?? '';
          if (!ifs.includes(n)) break;
          if (!DEFAULT_IFS.includes(n)) {
            if (ifsSpace) {
              ifsSpace = false;
              i++;
            } else break;
          } else i++;
        }
      }
      if (chunk !== '') {
        cur.push({ text: chunk, quoted: false });
        started = true;
      }
    }
    if (started) emit();
    return fields;
  }

  private glob(field: { text: string; quoted: boolean }[]): string[] {
    const plain = field.map((f) => f.text).join('');
    if (this.state.options.noglob) return [plain];
    if (!field.some((f) => !f.quoted && /[*?[]/.test(f.text))) return [plain];
    const pattern = field.map((f) => (f.quoted ? escapePattern(f.text) : f.text)).join('');
    if (!hasGlobChars(pattern)) return [plain];
    const matches = expandGlob(this.state.fs, pattern);
    return matches.length > 0 ? matches : [plain];
  }
}

/** ${v%pat} ${v%%pat} ${v#pat} ${v##pat} */
function trim(value: string, pattern: string, op: '%' | '%%' | '#' | '##'): string {
  const chars = [...value];
  const n = chars.length;
  const test = (s: string): boolean => matchPattern(pattern, s);
  if (op === '#') {
    for (let i = 0; i <= n; i++) if (test(chars.slice(0, i).join(''))) return chars.slice(i).join('');
  } else if (op === '##') {
    for (let i = n; i >= 0; i--) if (test(chars.slice(0, i).join(''))) return chars.slice(i).join('');
  } else if (op === '%') {
    for (let i = n; i >= 0; i--) if (test(chars.slice(i).join(''))) return chars.slice(0, i).join('');
  } else {
    for (let i = 0; i <= n; i++) if (test(chars.slice(i).join(''))) return chars.slice(0, i).join('');
  }
  return value;
}

/** ${v/pat/rep} and ${v//pat/rep}: the longest match at the leftmost position. */
function replace(value: string, pattern: string, rep: string, all: boolean): string {
  if (pattern === '') return value;
  const re = patternToRegex(pattern);
  const chars = [...value];
  let out = '';
  let i = 0;
  let replaced = false;
  while (i < chars.length) {
    let matched = -1;
    if (!replaced || all) {
      for (let j = chars.length; j > i; j--) {
        if (re.test(chars.slice(i, j).join(''))) {
          matched = j;
          break;
        }
      }
    }
    if (matched !== -1) {
      out += rep;
      i = matched;
      replaced = true;
    } else {
      out += chars[i];
      i++;
    }
  }
  return out;
}

/** $-: the single-letter options in effect, in ash's order. */
export function optionFlags(s: ShellState): string {
  const o = s.options;
  let f = '';
  if (o.command) f += 'c';
  if (o.errexit) f += 'e';
  if (o.noglob) f += 'f';
  if (o.interactive) f += 'i';
  if (o.noexec) f += 'n';
  if (o.stdin) f += 's';
  if (o.xtrace) f += 'x';
  if (o.verbose) f += 'v';
  if (o.noclobber) f += 'C';
  if (o.allexport) f += 'a';
  if (o.nounset) f += 'u';
  return f;
}
