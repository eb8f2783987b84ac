/**
 * Recursive-descent parser for the shell grammar, one complete command line
 * at a time as ash does: a script runs line by line, so a syntax error on
 * line 4 comes after lines 1-3 have run, while an error anywhere on one line
 * stops that whole line.
 */
import type { AndOr, Assign, Case, Command, For, FunctionDef, If, List, ListItem, Loop, Pipeline, Redir, RedirOp, SimpleCommand, Word } from './ast.js';
import { ShellSyntaxError } from './errors.js';
import { Lexer, type Token } from './lexer.js';

/** Words that close a compound list when they appear where a command would start. */
const CLOSERS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', '{', '}', '!']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REDIR_OPS = new Set(['<', '>', '>>', '>|', '<>', '<&', '>&', '<<', '<<-', '&>']);

/** Maximum nesting of compound commands and substitutions, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 400;

export class Parser {
  private peeked: Token | null = null;
  private depth = 0;

  constructor(readonly lexer: Lexer) {
    lexer.subParse = (lx) => {
      const inner = new Parser(lx);
      inner.depth = this.depth + 1;
      if (inner.depth > MAX_DEPTH) throw new ShellSyntaxError('too deeply nested', lx.line);
      const body = inner.compoundList();
      inner.expectOp(')');
      return body;
    };
    lexer.textParse = (text, line) => {
      const inner = new Parser(new Lexer(text, line));
      inner.depth = this.depth + 1;
      if (inner.depth > MAX_DEPTH) throw new ShellSyntaxError('too deeply nested', line);
      return inner.parseAll();
    };
  }

  private peek(): Token {
    if (!this.peeked) this.peeked = this.lexer.next();
    return this.peeked;
  }
  private take(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  /** The line of the next token. */
  get line(): number {
    return this.peek().line;
  }

  private static keyword(t: Token): string | null {
    if (t.kind !== 'word') return null;
    const parts = t.word.parts;
    if (parts.length === 1 && parts[0]?.type === 'lit' && RESERVED.has(parts[0].text)) return parts[0].text;
    return null;
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'end of file';
      case 'newline':
        return 'newline';
      case 'op':
        return `"${t.op}"`;
      case 'word':
        return `"${t.word.raw}"`;
    }
  }

  private unexpected(t: Token, expecting?: string): ShellSyntaxError {
    const detail = `unexpected ${this.describe(t)}${expecting ? ` (expecting "${expecting}")` : ''}`;
    return new ShellSyntaxError(detail, t.line, t.kind === 'eof');
  }

  private expectOp(op: string): void {
    const t = this.take();
    if (t.kind !== 'op' || t.op !== op) throw this.unexpected(t, op);
  }

  private expectKeyword(word: string): void {
    const t = this.take();
    if (Parser.keyword(t) !== word) throw this.unexpected(t, word);
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.take();
  }

  /** The next command line (up to a newline at top level), or null at end of input. Blank lines give an empty list. */
  parseLine(): List | null {
    const t = this.peek();
    if (t.kind === 'eof') return null;
    if (t.kind === 'newline') {
      this.take();
      return { items: [] };
    }
    const items: ListItem[] = [];
    for (;;) {
      const andOr = this.andOr();
      const sep = this.peek();
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.take();
        items.push({ andOr, background: sep.op === '&' });
        const after = this.peek();
        if (after.kind === 'newline') {
          this.take();
          break;
        }
        if (after.kind === 'eof') break;
        continue;
      }
      items.push({ andOr, background: false });
      if (sep.kind === 'newline') {
        this.take();
        break;
      }
      if (sep.kind === 'eof') break;
      throw this.unexpected(sep);
    }
    return { items };
  }

  /** The whole input as one list (backquote bodies, tests). */
  parseAll(): List {
    const items: ListItem[] = [];
    for (;;) {
      const line = this.parseLine();
      if (line === null) break;
      items.push(...line.items);
    }
    return { items };
  }

  /** A list inside a compound command: stops before a closing word, `)`, `;;` or end of input. */
  compoundList(): List {
    const items: ListItem[] = [];
    this.skipNewlines();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'op' && (t.op === ')' || t.op === ';;')) break;
      const kw = Parser.keyword(t);
      if (kw && CLOSERS.has(kw)) break;
      const andOr = this.andOr();
      const sep = this.peek();
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.take();
        items.push({ andOr, background: sep.op === '&' });
      } else if (sep.kind === 'newline') {
        items.push({ andOr, background: false });
      } else {
        items.push({ andOr, background: false });
        break;
      }
      this.skipNewlines();
    }
    // At end of input the caller reports what it expected ("fi", "done", ")").
    if (items.length === 0 && this.peek().kind !== 'eof') throw this.unexpected(this.peek());
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.op === '&&' || t.op === '||')) {
        this.take();
        this.skipNewlines();
        rest.push({ op: t.op, pipeline: this.pipeline() });
      } else break;
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    const line = this.line;
    let negate = false;
    if (Parser.keyword(this.peek()) === '!') {
      this.take();
      negate = true;
    }
    const commands: Command[] = [this.command()];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && t.op === '|') {
        this.take();
        this.skipNewlines();
        commands.push(this.command());
      } else break;
    }
    return { negate, commands, line };
  }

  private command(): Command {
    this.depth++;
    try {
      if (this.depth > MAX_DEPTH) throw new ShellSyntaxError('too deeply nested', this.line);
      const t = this.peek();
      const line = t.line;
      if (t.kind === 'op' && t.op === '(') {
        this.take();
        const body = this.compoundList();
        this.expectOp(')');
        return { type: 'subshell', body, redirs: this.trailingRedirs(), line };
      }
      switch (Parser.keyword(t)) {
        case '{': {
          this.take();
          const body = this.compoundList();
          this.expectKeyword('}');
          return { type: 'group', body, redirs: this.trailingRedirs(), line };
        }
        case 'if':
          return this.ifCommand();
        case 'while':
        case 'until':
          return this.loop();
        case 'for':
          return this.forCommand();
        case 'case':
          return this.caseCommand();
        case null:
        case '!':
          break;
        default:
          throw this.unexpected(t);
      }
      return this.simpleCommand();
    } finally {
      this.depth--;
    }
  }

  private trailingRedirs(): Redir[] {
    const redirs: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && REDIR_OPS.has(t.op)) redirs.push(this.redirection());
      else return redirs;
    }
  }

  private redirection(): Redir {
    const t = this.take();
    if (t.kind !== 'op') throw this.unexpected(t);
    const target = this.take();
    if (target.kind !== 'word') throw this.unexpected(target);
    const redir: Redir = { fd: t.fd, op: t.op as RedirOp, target: target.word };
    if (t.op === '<<' || t.op === '<<-') this.lexer.addHeredoc(redir, target.word, t.op === '<<-');
    return redir;
  }

  private simpleCommand(): SimpleCommand | FunctionDef {
    const line = this.line;
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && REDIR_OPS.has(t.op)) {
        redirs.push(this.redirection());
        continue;
      }
      if (t.kind !== 'word') break;
      if (words.length === 0) {
        const assign = asAssignment(t.word);
        if (assign) {
          this.take();
          assigns.push(assign);
          continue;
        }
      }
      this.take();
      words.push(t.word);
      if (words.length === 1 && assigns.length === 0 && redirs.length === 0) {
        const open = this.peek();
        if (open.kind === 'op' && open.op === '(') return this.functionDef(t.word, line);
      }
    }
    if (assigns.length === 0 && words.length === 0 && redirs.length === 0) throw this.unexpected(this.peek());
    return { type: 'simple', assigns, words, redirs, line };
  }

  private functionDef(name: Word, line: number): FunctionDef {
    this.take(); // (
    this.expectOp(')');
    this.skipNewlines();
    const body = this.command();
    return { type: 'function', name: name.raw, body, redirs: [], line };
  }

  private ifCommand(): If {
    const line = this.line;
    this.take();
    const clauses: If['clauses'] = [];
    let elseBody: List | null = null;
    const cond = this.compoundList();
    this.expectKeyword('then');
    clauses.push({ cond, body: this.compoundList() });
    for (;;) {
      const t = this.take();
      const kw = Parser.keyword(t);
      if (kw === 'elif') {
        const c = this.compoundList();
        this.expectKeyword('then');
        clauses.push({ cond: c, body: this.compoundList() });
      } else if (kw === 'else') {
        elseBody = this.compoundList();
        this.expectKeyword('fi');
        break;
      } else if (kw === 'fi') break;
      else throw this.unexpected(t, 'fi');
    }
    return { type: 'if', clauses, elseBody, redirs: this.trailingRedirs(), line };
  }

  private loop(): Loop {
    const line = this.line;
    const kw = Parser.keyword(this.take()) as 'while' | 'until';
    const cond = this.compoundList();
    this.expectKeyword('do');
    const body = this.compoundList();
    this.expectKeyword('done');
    return { type: kw, cond, body, redirs: this.trailingRedirs(), line };
  }

  private forCommand(): For {
    const line = this.line;
    this.take();
    const v = this.take();
    if (v.kind !== 'word' || !NAME.test(v.word.raw)) throw new ShellSyntaxError('bad for loop variable', v.line, v.kind === 'eof');
    let items: Word[] | null = null;
    this.skipNewlines();
    const t = this.peek();
    if (Parser.keyword(t) === 'in') {
      this.take();
      items = [];
      for (;;) {
        const w = this.peek();
        if (w.kind !== 'word') break;
        this.take();
        items.push(w.word);
      }
      const sep = this.take();
      if (!(sep.kind === 'newline' || (sep.kind === 'op' && sep.op === ';'))) throw this.unexpected(sep);
    } else if (t.kind === 'op' && t.op === ';') {
      this.take();
    }
    this.skipNewlines();
    this.expectKeyword('do');
    const body = this.compoundList();
    this.expectKeyword('done');
    return { type: 'for', variable: v.word.raw, items, body, redirs: this.trailingRedirs(), line };
  }

  private caseCommand(): Case {
    const line = this.line;
    this.take();
    const w = this.take();
    if (w.kind !== 'word') throw this.unexpected(w);
    this.skipNewlines();
    this.expectKeyword('in');
    const items: Case['items'] = [];
    for (;;) {
      this.skipNewlines();
      let t = this.peek();
      if (Parser.keyword(t) === 'esac') {
        this.take();
        break;
      }
      if (t.kind === 'op' && t.op === '(') {
        this.take();
        t = this.peek();
      }
      const patterns: Word[] = [];
      for (;;) {
        const p = this.take();
        if (p.kind !== 'word') throw this.unexpected(p, ')');
        patterns.push(p.word);
        const sep = this.take();
        if (sep.kind === 'op' && sep.op === '|') continue;
        if (sep.kind === 'op' && sep.op === ')') break;
        throw this.unexpected(sep, ')');
      }
      this.skipNewlines();
      let body: List | null = null;
      const next = this.peek();
      if (!(next.kind === 'op' && next.op === ';;') && Parser.keyword(next) !== 'esac') body = this.compoundList();
      items.push({ patterns, body });
      const end = this.take();
      if (end.kind === 'op' && end.op === ';;') continue;
      if (Parser.keyword(end) === 'esac') break;
      throw this.unexpected(end, ';;');
    }
    return { type: 'case', word: w.word, items, redirs: this.trailingRedirs(), line };
  }
}

/** `NAME=value` as the leading part of a word (the name unquoted). */
function asAssignment(word: Word): Assign | null {
  const first = word.parts[0];
  if (!first || first.type !== 'lit') return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!m || !m[1]) return null;
  const rest = first.text.slice(m[0].length);
  const parts = [...word.parts.slice(1)];
  if (rest.startsWith('~')) {
    const tilde = /^~([A-Za-z0-9_.-]*)/.exec(rest);
    const user = tilde?.[1] ?? '';
    const after = rest.slice(1 + user.length);
    if (after === '' || after.startsWith('/') || after.startsWith(':')) {
      parts.unshift(...(after ? [{ type: 'lit' as const, text: after }] : []));
      parts.unshift({ type: 'tilde', user });
      return { name: m[1], value: { parts, raw: word.raw.slice(m[0].length) } };
    }
  }
  if (rest) parts.unshift({ type: 'lit', text: rest });
  return { name: m[1], value: { parts, raw: word.raw.slice(m[0].length) } };
}

/** Parses a whole text at once; throws ShellSyntaxError. */
export function parseScript(text: string): List {
  return new Parser(new Lexer(text)).parseAll();
}
