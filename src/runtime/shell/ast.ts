/**
 * The syntax tree of the POSIX shell language as busybox ash parses it.
 * Words keep their quoting structure, because expansion (field splitting,
 * globbing, quote removal) depends on which parts were quoted.
 */

export type WordPart =
  /** Unquoted text: subject to globbing; field splitting never applies to literal text. */
  | { type: 'lit'; text: string }
  /** Quoted text ('...' or a backslash-escaped character): taken as is. */
  | { type: 'quoted'; text: string }
  /** "...": expansions inside are not split or globbed. */
  | { type: 'dq'; parts: WordPart[] }
  | ParamPart
  /** $(...) or `...` */
  | { type: 'cmdsub'; body: List }
  /** $((...)): the inner text is expanded as in double quotes, then evaluated. */
  | { type: 'arith'; expr: Word }
  /** ~ or ~user at the start of a word (or after = / : in assignments). */
  | { type: 'tilde'; user: string };

export type ParamOp =
  | '-' | '=' | '?' | '+' // with `colon`: also when empty
  | '%' | '%%' | '#' | '##'
  | 'length'
  | 'substr' // ${v:off:len} (busybox's bash compatibility)
  | '/' | '//'; // ${v/pat/rep}

export interface ParamPart {
  type: 'param';
  name: string;
  op?: ParamOp;
  colon?: boolean;
  arg?: Word;
  /** For substr: the length expression; for / and //: the replacement. */
  arg2?: Word;
}

export interface Word {
  parts: WordPart[];
  /** The source text, for error messages and `set -x` of assignments. */
  raw: string;
}

export type RedirOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-' | '&>' | '&>>';

export interface Redir {
  /** The file descriptor redirected; null means the operator's default (0 for input, 1 for output). */
  fd: number | null;
  op: RedirOp;
  target: Word;
  /** For here-documents: the body, expanded like a double-quoted string unless the delimiter was quoted. */
  heredoc?: { body: Word; quoted: boolean };
}

export interface Assign {
  name: string;
  value: Word;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assign[];
  words: Word[];
  redirs: Redir[];
  line: number;
}

interface Compound {
  redirs: Redir[];
  line: number;
}

export interface Subshell extends Compound {
  type: 'subshell';
  body: List;
}
export interface Group extends Compound {
  type: 'group';
  body: List;
}
export interface If extends Compound {
  type: 'if';
  clauses: { cond: List; body: List }[];
  elseBody: List | null;
}
export interface For extends Compound {
  type: 'for';
  variable: string;
  /** null: `for x; do` / `for x do` iterate over "$@". */
  items: Word[] | null;
  body: List;
}
export interface Loop extends Compound {
  type: 'while' | 'until';
  cond: List;
  body: List;
}
export interface Case extends Compound {
  type: 'case';
  word: Word;
  items: { patterns: Word[]; body: List | null }[];
}
export interface FunctionDef extends Compound {
  type: 'function';
  name: string;
  body: Command;
}

export type Command = SimpleCommand | Subshell | Group | If | For | Loop | Case | FunctionDef;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
  line: number;
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface ListItem {
  andOr: AndOr;
  background: boolean;
}

export interface List {
  items: ListItem[];
}

export const emptyList = (): List => ({ items: [] });
