/**
 * The scanner of Go's text/template (Go 1.18+): text and actions `{{ }}`,
 * trim markers `{{- ` and ` -}}`, comments, strings, raw strings, character
 * constants, numbers, fields, variables, keywords and punctuation. Error
 * texts are Go's. Positions are UTF-16 offsets into the template; the parser
 * converts them to Go's byte offsets when it reports them.
 */
import { isLetterOrDigit } from '../go/unicode.js';

export enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords come after everything else.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

const KEYWORDS: Record<string, T> = {
  '.': T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

export interface Item {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

/** Go's item.String(), used in "unexpected X in Y" messages. */
export function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  if ([...i.val].length > 10) return goQuote10(i.val);
  return goQuoteShort(i.val);
}

// %q of a short token value: tokens are mostly ASCII; reuse JSON-like quoting
// with Go's escapes.
function goQuoteShort(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return out + '"';
}

/** `%.10q...`: the first ten runes quoted, then "...". */
function goQuote10(s: string): string {
  return goQuoteShort([...s].slice(0, 10).join('')) + '...';
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const SPACE_CHARS = ' \t\r\n';
const TRIM_MARKER_LEN = 2;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && c !== '' && (c === '_' || isLetterOrDigit(c));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-';
}

const EOF_RUNE = '';

type StateFn = ((l: Lexer) => StateFn) | null;

export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

/** Pull-based lexer; `nextItem` returns one item per call, then EOF or an error forever. */
export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item = { typ: T.EOF, pos: 0, val: 'EOF', line: 1 };
  private insideAction = false;
  private done = false;

  constructor(
    private input: string,
    readonly options: LexOptions = { breakOK: true, continueOK: true },
  ) {}

  nextItem(): Item {
    if (this.done) return { typ: T.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    this.item = { typ: T.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    if (this.item.typ === T.EOF || this.item.typ === T.Error) this.done = true;
    return this.item;
  }

  // --- primitives, as in Go ---

  next(): string {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF_RUNE;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    if (ch === '\n') this.line++;
    return ch;
  }

  peek(): string {
    const r = this.next();
    this.backup(r);
    return r;
  }

  backup(r: string): void {
    if (!this.atEOF && this.pos > 0 && r !== EOF_RUNE) {
      this.pos -= r.length;
      if (r === '\n') this.line--;
    }
  }

  private thisItem(t: T): Item {
    const i = { typ: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }

  emit(t: T): StateFn {
    return this.emitItem(this.thisItem(t));
  }

  emitItem(i: Item): StateFn {
    this.item = i;
    return null;
  }

  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF_RUNE && valid.includes(r)) return true;
    this.backup(r);
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF_RUNE || !valid.includes(r)) {
        this.backup(r);
        return;
      }
    }
  }

  errorf(msg: string): StateFn {
    this.item = { typ: T.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF_RUNE || '.,|:)('.includes(r)) return true;
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  // Accessors for the state functions below.
  get src(): string {
    return this.input;
  }
  get position(): number {
    return this.pos;
  }
  set position(p: number) {
    this.pos = p;
  }
  get startPos(): number {
    return this.start;
  }
  get lineNo(): number {
    return this.line;
  }
  set lineNo(n: number) {
    this.line = n;
  }
  setInsideAction(v: boolean): void {
    this.insideAction = v;
  }
  get depth(): number {
    return this.parenDepth;
  }
  set depth(d: number) {
    this.parenDepth = d;
  }
  thisItemPublic(t: T): Item {
    return this.thisItem(t);
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function rightTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && SPACE_CHARS.includes(s[s.length - 1 - n]!)) n++;
  return n;
}

function leftTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && SPACE_CHARS.includes(s[n]!)) n++;
  return n;
}

function lexText(l: Lexer): StateFn {
  const input = l.src;
  const x = input.indexOf(LEFT_DELIM, l.position);
  if (x >= 0) {
    if (x > l.position) {
      l.position = x;
      let trimLength = 0;
      const delimEnd = l.position + LEFT_DELIM.length;
      if (hasLeftTrimMarker(input, delimEnd)) trimLength = rightTrimLength(input.slice(l.startPos, l.position));
      l.position -= trimLength;
      l.lineNo += countNewlines(input.slice(l.startPos, l.position));
      const i = l.thisItemPublic(T.Text);
      l.position += trimLength;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.position = input.length;
  if (l.position > l.startPos) {
    l.lineNo += countNewlines(input.slice(l.startPos, l.position));
    return l.emit(T.Text);
  }
  return l.emit(T.EOF);
}

function lexLeftDelim(l: Lexer): StateFn {
  const input = l.src;
  l.position += LEFT_DELIM.length;
  const trimSpace = hasLeftTrimMarker(input, l.position);
  const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
  if (input.startsWith(LEFT_COMMENT, l.position + afterMarker)) {
    l.position += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItemPublic(T.LeftDelim);
  l.setInsideAction(true);
  l.position += afterMarker;
  l.ignore();
  l.depth = 0;
  return l.emitItem(i);
}

function lexComment(l: Lexer): StateFn {
  const input = l.src;
  l.position += LEFT_COMMENT.length;
  const x = input.indexOf(RIGHT_COMMENT, l.position);
  if (x < 0) return l.errorf('unclosed comment');
  l.position = x + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.lineNo += countNewlines(input.slice(l.startPos, l.position));
  l.thisItemPublic(T.Text); // the comment's text, discarded
  if (trimSpaces) l.position += TRIM_MARKER_LEN;
  l.position += RIGHT_DELIM.length;
  if (trimSpaces) l.position += leftTrimLength(input.slice(l.position));
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const input = l.src;
  const { trimSpaces } = l.atRightDelim();
  if (trimSpaces) {
    l.position += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.position += RIGHT_DELIM.length;
  const i = l.thisItemPublic(T.RightDelim);
  if (trimSpaces) {
    l.position += leftTrimLength(input.slice(l.position));
    l.ignore();
  }
  l.setInsideAction(false);
  return l.emitItem(i);
}

function formatU(r: string): string {
  const cp = r.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}

function isPrintableASCII(r: string): boolean {
  const c = r.codePointAt(0)!;
  return c >= 0x20 && c < 0x7f;
}

function lexInsideAction(l: Lexer): StateFn {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.depth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF_RUNE) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(r);
    return lexSpace;
  }
  switch (r) {
    case '=':
      return l.emit(T.Assign);
    case ':':
      if (l.next() !== '=') return l.errorf('expected :=');
      return l.emit(T.Declare);
    case '|':
      return l.emit(T.Pipe);
    case '"':
      return lexQuote;
    case '`':
      return lexRawQuote;
    case '$':
      return lexVariable;
    case "'":
      return lexChar;
    case '(':
      l.depth++;
      return l.emit(T.LeftParen);
    case ')':
      l.depth--;
      if (l.depth < 0) return l.errorf('unexpected right paren');
      return l.emit(T.RightParen);
    default:
      break;
  }
  if (r === '.') {
    const c = l.src[l.position];
    if (l.position < l.src.length && (c! < '0' || c! > '9')) return lexField;
  }
  if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
    l.backup(r);
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup(r);
    return lexIdentifier;
  }
  if (isPrintableASCII(r)) return l.emit(T.Char);
  return l.errorf(`unrecognized character in action: ${formatU(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  for (;;) {
    const r = l.peek();
    if (!isSpace(r)) break;
    l.next();
    numSpaces++;
  }
  const input = l.src;
  if (hasRightTrimMarker(input, l.position - 1) && input.startsWith(RIGHT_DELIM, l.position - 1 + TRIM_MARKER_LEN)) {
    l.backup(input[l.position - 1]!);
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(T.Space);
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup(r);
    const word = l.src.slice(l.startPos, l.position);
    if (!l.atTerminator()) return l.errorf(`bad character ${formatU(r)}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined && kw > T.Keyword) {
      if ((kw === T.Break && !l.options.breakOK) || (kw === T.Continue && !l.options.continueOK)) {
        return l.emit(T.Identifier);
      }
      return l.emit(kw);
    }
    if (word[0] === '.') return l.emit(T.Field);
    if (word === 'true' || word === 'false') return l.emit(T.Bool);
    return l.emit(T.Identifier);
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, T.Field);
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) return l.emit(T.Variable);
  return lexFieldOrVariable(l, T.Variable);
}

function lexFieldOrVariable(l: Lexer, typ: T): StateFn {
  if (l.atTerminator()) return l.emit(typ === T.Variable ? T.Variable : T.Dot);
  let r: string;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup(r);
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${formatU(r)}`);
  return l.emit(typ);
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === '\\') {
      r = l.next();
      if (r !== EOF_RUNE && r !== '\n') continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF_RUNE || r === '\n') return l.errorf('unterminated character constant');
    if (r === "'") break;
  }
  return l.emit(T.CharConstant);
}

function lexNumber(l: Lexer): StateFn {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuoteShort(l.src.slice(l.startPos, l.position))}`);
  const sign = l.peek();
  if (sign === '+' || sign === '-') {
    if (!l.scanNumber() || l.src[l.position - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuoteShort(l.src.slice(l.startPos, l.position))}`);
    }
    return l.emit(T.Complex);
  }
  return l.emit(T.Number);
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === '\\') {
      r = l.next();
      if (r !== EOF_RUNE && r !== '\n') continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF_RUNE || r === '\n') return l.errorf('unterminated quoted string');
    if (r === '"') break;
  }
  return l.emit(T.String);
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF_RUNE) return l.errorf('unterminated raw quoted string');
    if (r === '`') break;
  }
  return l.emit(T.RawString);
}
