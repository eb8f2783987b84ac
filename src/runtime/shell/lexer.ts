/**
 * The tokenizer. Shell lexing depends on context (a `$(` inside a word
 * starts a whole command list), so the lexer calls back into the parser for
 * command substitutions, and the parser tells the lexer which here-documents
 * to read after the next newline.
 */
import type { List, ParamOp, ParamPart, Redir, Word, WordPart } from './ast.js';
import { ShellSyntaxError } from './errors.js';

export type Operator =
  | '&&' | '||' | ';;' | ';' | '&' | '|' | '(' | ')'
  | '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-' | '&>';

export type Token =
  | { kind: 'word'; word: Word; line: number }
  | { kind: 'op'; op: Operator; fd: number | null; line: number }
  | { kind: 'newline'; line: number }
  | { kind: 'eof'; line: number };

/** Parses a command list for `$(...)` starting at the lexer's position and consumes the closing ")". */
export type SubParser = (lexer: Lexer) => List;
/** Parses a complete program text (the inside of backquotes). */
export type TextParser = (text: string, line: number) => List;

const OPERATORS: Operator[] = ['&&', '||', ';;', '<<-', '<<', '<>', '<&', '>>', '>|', '>&', '&>', ';', '&', '|', '(', ')', '<', '>'];
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

interface PendingHeredoc {
  redir: Redir;
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
}

/** Accumulates word parts, merging adjacent text of the same kind. */
class PartsBuilder {
  readonly parts: WordPart[] = [];
  lit(text: string): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.type === 'lit') last.text += text;
    else this.parts.push({ type: 'lit', text });
  }
  quoted(text: string): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.type === 'quoted') last.text += text;
    else this.parts.push({ type: 'quoted', text });
  }
  push(part: WordPart): void {
    this.parts.push(part);
  }
}

export class Lexer {
  pos = 0;
  line: number;
  private readonly pending: PendingHeredoc[] = [];
  subParse: SubParser | null = null;
  textParse: TextParser | null = null;

  constructor(
    readonly src: string,
    startLine = 1,
  ) {
    this.line = startLine;
  }

  /** Called by the parser for `<<` and `<<-`: the body is read after the next newline token. */
  addHeredoc(redir: Redir, delimiter: Word, stripTabs: boolean): void {
    const quoted = delimiter.parts.some((p) => p.type !== 'lit');
    const text = delimiter.parts.map((p) => (p.type === 'lit' || p.type === 'quoted' ? p.text : '')).join('');
    this.pending.push({ redir, delimiter: text, stripTabs, quoted });
  }

  /** A here-document ran into the end of the text before its delimiter (more input may complete it). */
  heredocHitEof = false;

  get hasPendingHeredocs(): boolean {
    return this.pending.length > 0;
  }

  private peekChar(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private error(detail: string, atEof = false): ShellSyntaxError {
    return new ShellSyntaxError(detail, this.line, atEof);
  }

  /** Skips blanks, line continuations and comments. */
  private skipBlanks(): void {
    for (;;) {
      const c = this.peekChar();
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.peekChar(1) === '\n') {
        this.pos += 2;
        this.line++;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  next(): Token {
    this.skipBlanks();
    const line = this.line;
    if (this.pos >= this.src.length) {
      if (this.pending.length > 0) this.readHeredocs();
      return { kind: 'eof', line };
    }
    const c = this.peekChar();
    if (c === '\n') {
      this.pos++;
      this.line++;
      if (this.pending.length > 0) this.readHeredocs();
      return { kind: 'newline', line };
    }
    // An IO number: digits immediately followed by a redirection operator.
    const io = /^[0-9]+(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 12));
    if (io) {
      this.pos += io[0].length;
      const op = this.readOperator();
      if (op) return { kind: 'op', op, fd: Number(io[0]), line };
    }
    const op = this.readOperator();
    if (op) return { kind: 'op', op, fd: null, line };
    const word = this.readWord('normal');
    return { kind: 'word', word, line };
  }

  private readOperator(): Operator | null {
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return null;
  }

  /**
   * Reads one word. In 'normal' mode it ends at an unquoted metacharacter; in
   * 'brace' mode (the argument of `${v-...}`) at an unquoted `}` (or one of
   * `extraStops`), where blanks and operators are ordinary characters.
   */
  readWord(mode: 'normal' | 'brace', extraStops = ''): Word {
    const start = this.pos;
    const b = new PartsBuilder();
    let first = true;
    for (;;) {
      const c = this.peekChar();
      if (c === '') {
        if (mode === 'brace') throw this.error("missing '}'", true);
        break;
      }
      if (mode === 'normal' && META.has(c)) break;
      if (mode === 'brace' && (c === '}' || extraStops.includes(c))) break;
      if (first && c === '~' && mode === 'normal') {
        const tilde = /^~([A-Za-z0-9_.-]*)(?=$|[/\s;&|()<>])/.exec(this.src.slice(this.pos, this.pos + 256));
        if (tilde) {
          this.pos += tilde[0].length;
          b.push({ type: 'tilde', user: tilde[1] ?? '' });
          first = false;
          continue;
        }
      }
      first = false;
      if (c === '\\') {
        const n = this.peekChar(1);
        if (n === '\n') {
          this.pos += 2;
          this.line++;
        } else if (n === '') {
          this.pos++;
          b.lit('\\');
        } else {
          this.pos += 2;
          b.quoted(n);
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) throw this.error('unterminated quoted string', true);
        const text = this.src.slice(this.pos + 1, end);
        this.countLines(text);
        b.quoted(text);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        b.push({ type: 'dq', parts: this.readDoubleQuoted('"') });
      } else if (c === '$') {
        const part = this.readDollar();
        if (part) b.push(part);
        else b.lit('$');
      } else if (c === '`') {
        b.push(this.readBackquote(false));
      } else {
        if (c === '\n') this.line++;
        this.pos++;
        b.lit(c);
      }
    }
    return { parts: b.parts, raw: this.src.slice(start, this.pos) };
  }

  private countLines(text: string): void {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.line++;
  }

  /**
   * Reads up to the closing `terminator` ('"'), or to the end of the text
   * when the terminator is '' (a here-document body). Inside, a backslash
   * quotes only $ ` " \ and newline (not " in here-documents).
   */
  readDoubleQuoted(terminator: '"' | ''): WordPart[] {
    const b = new PartsBuilder();
    for (;;) {
      const c = this.peekChar();
      if (c === '') {
        if (terminator) throw this.error('unterminated quoted string', true);
        break;
      }
      if (c === terminator) {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = this.peekChar(1);
        if (n === '\n') {
          this.pos += 2;
          this.line++;
        } else if (n === '$' || n === '`' || n === '\\' || (n === '"' && terminator === '"')) {
          this.pos += 2;
          b.quoted(n);
        } else {
          this.pos++;
          b.quoted('\\');
        }
      } else if (c === '$') {
        const part = this.readDollar();
        if (part) b.push(part);
        else b.quoted('$');
      } else if (c === '`') {
        b.push(this.readBackquote(terminator === '"'));
      } else {
        if (c === '\n') this.line++;
        this.pos++;
        b.quoted(c);
      }
    }
    return b.parts;
  }

  /** At a `$`: an expansion, or null when the `$` is literal. */
  private readDollar(): WordPart | null {
    const n = this.peekChar(1);
    if (n === '{') {
      this.pos += 2;
      return this.readBraced();
    }
    if (n === '(') {
      if (this.peekChar(2) === '(') {
        const arith = this.tryReadArith();
        if (arith) return arith;
      }
      this.pos += 2;
      if (!this.subParse) throw this.error('unexpected "("');
      const body = this.subParse(this);
      return { type: 'cmdsub', body };
    }
    if (n !== '' && NAME_START.test(n)) {
      let end = this.pos + 2;
      while (end < this.src.length && NAME_CHAR.test(this.src[end] ?? '')) end++;
      const name = this.src.slice(this.pos + 1, end);
      this.pos = end;
      return { type: 'param', name };
    }
    if (n !== '' && (/[0-9]/.test(n) || SPECIAL_PARAMS.has(n))) {
      this.pos += 2;
      return { type: 'param', name: n };
    }
    this.pos++;
    return null;
  }

  /** `$((...))`: finds the matching `))`; returns null when the text is really `$( (...) )`. */
  private tryReadArith(): WordPart | null {
    let depth = 0;
    let i = this.pos + 3;
    for (; i < this.src.length; i++) {
      const ch = this.src[i];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) {
          if (this.src[i + 1] === ')') break;
          return null;
        }
        depth--;
      }
    }
    if (i >= this.src.length) throw this.error("missing '))'", true);
    const text = this.src.slice(this.pos + 3, i);
    const inner = new Lexer(text, this.line);
    inner.subParse = this.subParse;
    inner.textParse = this.textParse;
    const parts = inner.readDoubleQuoted('');
    this.countLines(text);
    this.pos = i + 2;
    return { type: 'arith', expr: { parts, raw: text } };
  }

  private readBraced(): ParamPart {
    let name = '';
    let op: ParamOp | undefined;
    const c = this.peekChar();
    if (c === '#' && this.peekChar(1) !== '}' && this.isParamStart(this.peekChar(1))) {
      this.pos++;
      name = this.readParamName();
      if (this.peekChar() !== '}') throw this.badSubst();
      this.pos++;
      return { type: 'param', name, op: 'length' };
    }
    name = this.readParamName();
    if (name === '') throw this.badSubst();
    const d = this.peekChar();
    if (d === '}') {
      this.pos++;
      return { type: 'param', name };
    }
    if (d === '') throw this.error("missing '}'", true);
    let colon = false;
    if (d === ':') {
      const e = this.peekChar(1);
      if (e === '-' || e === '=' || e === '?' || e === '+') {
        colon = true;
        this.pos += 2;
        op = e;
      } else {
        this.pos++;
        const offset = this.readWord('brace', ':');
        let length: Word | undefined;
        if (this.peekChar() === ':') {
          this.pos++;
          length = this.readWord('brace');
        }
        this.pos++;
        return { type: 'param', name, op: 'substr', arg: offset, ...(length ? { arg2: length } : {}) };
      }
    } else if (d === '-' || d === '=' || d === '?' || d === '+') {
      this.pos++;
      op = d;
    } else if (d === '%' || d === '#') {
      this.pos++;
      if (this.peekChar() === d) {
        this.pos++;
        op = d === '%' ? '%%' : '##';
      } else op = d;
    } else if (d === '/') {
      this.pos++;
      op = '/';
      if (this.peekChar() === '/') {
        this.pos++;
        op = '//';
      }
      const pattern = this.readWord('brace', '/');
      let replacement: Word = { parts: [], raw: '' };
      if (this.peekChar() === '/') {
        this.pos++;
        replacement = this.readWord('brace');
      }
      this.pos++;
      return { type: 'param', name, op, arg: pattern, arg2: replacement };
    } else {
      throw this.badSubst();
    }
    const arg = this.readWord('brace');
    this.pos++; // the closing }
    return { type: 'param', name, op, colon, arg };
  }

  private badSubst(): ShellSyntaxError {
    // ash reports an unterminated ${ as missing '}', anything else as bad substitution.
    if (this.src.indexOf('}', this.pos) === -1) return this.error("missing '}'", true);
    return this.error('bad substitution');
  }

  private isParamStart(ch: string): boolean {
    return ch !== '' && (NAME_START.test(ch) || /[0-9]/.test(ch) || SPECIAL_PARAMS.has(ch));
  }

  private readParamName(): string {
    const c = this.peekChar();
    if (c !== '' && NAME_START.test(c)) {
      let end = this.pos + 1;
      while (end < this.src.length && NAME_CHAR.test(this.src[end] ?? '')) end++;
      const name = this.src.slice(this.pos, end);
      this.pos = end;
      return name;
    }
    if (c !== '' && /[0-9]/.test(c)) {
      let end = this.pos + 1;
      while (end < this.src.length && /[0-9]/.test(this.src[end] ?? '')) end++;
      const name = this.src.slice(this.pos, end);
      this.pos = end;
      return name;
    }
    if (SPECIAL_PARAMS.has(c)) {
      this.pos++;
      return c;
    }
    return '';
  }

  /** `...`: the text up to the closing backquote, with \$ \` \\ (and \" inside "...") unescaped, parsed as a program. */
  private readBackquote(inDoubleQuotes: boolean): WordPart {
    const startLine = this.line;
    this.pos++;
    let text = '';
    for (;;) {
      const c = this.peekChar();
      if (c === '') throw this.error('EOF in backquote substitution', true);
      if (c === '`') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = this.peekChar(1);
        if (n === '$' || n === '`' || n === '\\' || (inDoubleQuotes && n === '"')) {
          text += n;
          this.pos += 2;
          continue;
        }
        if (n === '\n') {
          this.pos += 2;
          this.line++;
          continue;
        }
      }
      if (c === '\n') this.line++;
      text += c;
      this.pos++;
    }
    if (!this.textParse) throw this.error('unexpected "`"');
    return { type: 'cmdsub', body: this.textParse(text, startLine) };
  }

  /** Reads the bodies of the here-documents opened on the line just ended. */
  private readHeredocs(): void {
    for (const doc of this.pending.splice(0)) {
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= this.src.length) {
          this.heredocHitEof = true;
          break;
        }
        let end = this.src.indexOf('\n', this.pos);
        const hasNewline = end !== -1;
        if (!hasNewline) end = this.src.length;
        let lineText = this.src.slice(this.pos, end);
        this.pos = hasNewline ? end + 1 : end;
        this.line++;
        if (doc.stripTabs) lineText = lineText.replace(/^\t+/, '');
        if (lineText === doc.delimiter) break;
        lines.push(lineText + (hasNewline ? '\n' : ''));
      }
      const text = lines.join('');
      let body: Word;
      if (doc.quoted) body = { parts: [{ type: 'quoted', text }], raw: text };
      else {
        const inner = new Lexer(text, this.line);
        inner.subParse = this.subParse;
        inner.textParse = this.textParse;
        body = { parts: inner.readDoubleQuoted(''), raw: text };
      }
      doc.redir.heredoc = { body, quoted: doc.quoted };
    }
  }
}
