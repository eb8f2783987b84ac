/**
 * The SQL the emulated MySQL understands: enough for the tutorials about
 * where a database keeps its data (create a database and a table, insert
 * rows, read them back, list what exists). Statements parse into a small
 * tree; anything else is MySQL's syntax error 1064.
 */

export type Value = string | number | null;

export interface ColumnDef {
  name: string;
  type: string;
  autoIncrement: boolean;
  notNull: boolean;
  primaryKey: boolean;
}

export interface TableRef {
  db: string | null;
  table: string;
}

export type Statement =
  | { kind: 'create-db'; name: string; ifNotExists: boolean }
  | { kind: 'drop-db'; name: string; ifExists: boolean }
  | { kind: 'use'; name: string }
  | { kind: 'create-table'; ref: TableRef; ifNotExists: boolean; columns: ColumnDef[] }
  | { kind: 'drop-table'; refs: TableRef[]; ifExists: boolean }
  | { kind: 'insert'; ref: TableRef; columns: string[] | null; rows: Value[][] }
  | { kind: 'select'; items: SelectItem[]; from: TableRef | null; where: { column: string; value: Value } | null; orderBy: { column: string; desc: boolean } | null; limit: number | null }
  | { kind: 'delete'; ref: TableRef; where: { column: string; value: Value } | null }
  | { kind: 'show-databases' }
  | { kind: 'show-tables'; db: string | null }
  /** Accepted and without effect here: SET, GRANT, FLUSH, ALTER USER, CREATE USER. */
  | { kind: 'noop'; text: string };

export type SelectItem = { kind: 'star' } | { kind: 'column'; name: string } | { kind: 'value'; value: Value; label: string } | { kind: 'function'; name: string; label: string };

export class SqlError extends Error {
  constructor(
    readonly code: number,
    readonly state: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }
  /** As the client prints it: `ERROR 1049 (42000): Unknown database 'x'`. */
  get line(): string {
    return `ERROR ${this.code} (${this.state}): ${this.message}`;
  }
}

/** Tokens carry their offset, so a syntax error can quote the text from there as MySQL does. */
type Token = ({ t: 'word'; v: string; quoted: boolean } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'sym'; v: string }) & { at?: number };

/** Splits a script into statements at `;` outside quotes and comments. */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote) {
      cur += c;
      if (c === '\\' && quote !== '`') cur += script[++i] ?? '';
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    if ((c === '-' && script[i + 1] === '-' && /\s/.test(script[i + 2] ?? ' ')) || c === '#') {
      const nl = script.indexOf('\n', i);
      i = nl === -1 ? script.length : nl - 1;
      continue;
    }
    if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 1;
      continue;
    }
    if (c === ';') {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const before = out.length;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let v = '';
      i++;
      while (i < sql.length) {
        const d = sql[i]!;
        if (d === '\\') {
          const e = sql[i + 1] ?? '';
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e === '0' ? '\0' : e;
          i += 2;
        } else if (d === c && sql[i + 1] === c) {
          v += c;
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push({ t: 'str', v });
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      out.push({ t: 'word', v: sql.slice(i + 1, end === -1 ? undefined : end), quoted: true });
      i = end === -1 ? sql.length : end + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(sql[i + 1] ?? '') && (out.length === 0 || out[out.length - 1]!.t === 'sym'))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(sql.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_@$]/.test(c)) {
      const m = /^[A-Za-z0-9_@$]+/.exec(sql.slice(i))!;
      out.push({ t: 'word', v: m[0], quoted: false });
      i += m[0].length;
    } else {
      out.push({ t: 'sym', v: c });
      i++;
    }
    if (out.length > before) out[out.length - 1]!.at = start;
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly text: string,
  ) {}

  private peek(k = 0): Token | undefined {
    return this.toks[this.pos + k];
  }
  private isWord(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.t === 'word' && !t.quoted && t.v.toUpperCase() === v;
  }
  private accept(v: string): boolean {
    if (this.isWord(v)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private acceptSym(v: string): boolean {
    const t = this.peek();
    if (t?.t === 'sym' && t.v === v) {
      this.pos++;
      return true;
    }
    return false;
  }
  fail(): never {
    const rest = this.restText();
    throw new SqlError(1064, '42000', `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${rest}' at line 1`);
  }
  private restText(): string {
    const t = this.toks[this.pos];
    return t?.at === undefined ? '' : this.text.slice(t.at);
  }
  private expect(v: string): void {
    if (!this.accept(v)) this.fail();
  }
  private expectSym(v: string): void {
    if (!this.acceptSym(v)) this.fail();
  }
  private ident(): string {
    const t = this.peek();
    if (t?.t !== 'word') this.fail();
    this.pos++;
    return t.v;
  }
  private ref(): TableRef {
    const first = this.ident();
    if (this.acceptSym('.')) return { db: first, table: this.ident() };
    return { db: null, table: first };
  }
  private value(): Value {
    const t = this.peek();
    if (!t) this.fail();
    this.pos++;
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return t.v;
    if (t.t === 'word' && !t.quoted && t.v.toUpperCase() === 'NULL') return null;
    if (t.t === 'word' && !t.quoted && (t.v.toUpperCase() === 'TRUE' || t.v.toUpperCase() === 'FALSE')) return t.v.toUpperCase() === 'TRUE' ? 1 : 0;
    this.pos--;
    return this.fail();
  }
  private done(): boolean {
    return this.pos >= this.toks.length;
  }
  private end<T>(s: T): T {
    if (!this.done()) this.fail();
    return s;
  }

  statement(): Statement {
    if (this.accept('CREATE')) {
      if (this.accept('DATABASE') || this.accept('SCHEMA')) {
        const ifNotExists = this.accept('IF') ? (this.expect('NOT'), this.expect('EXISTS'), true) : false;
        const name = this.ident();
        while (!this.done()) this.pos++; // CHARACTER SET and the like
        return { kind: 'create-db', name, ifNotExists };
      }
      if (this.accept('TABLE')) return this.createTable();
      if (this.accept('USER')) return { kind: 'noop', text: this.text };
      this.fail();
    }
    if (this.accept('DROP')) {
      if (this.accept('DATABASE') || this.accept('SCHEMA')) {
        const ifExists = this.accept('IF') ? (this.expect('EXISTS'), true) : false;
        return this.end({ kind: 'drop-db', name: this.ident(), ifExists });
      }
      if (this.accept('TABLE')) {
        const ifExists = this.accept('IF') ? (this.expect('EXISTS'), true) : false;
        const refs = [this.ref()];
        while (this.acceptSym(',')) refs.push(this.ref());
        return this.end({ kind: 'drop-table', refs, ifExists });
      }
      if (this.accept('USER')) return { kind: 'noop', text: this.text };
      this.fail();
    }
    if (this.accept('USE')) return this.end({ kind: 'use', name: this.ident() });
    if (this.accept('INSERT')) return this.insert();
    if (this.accept('SELECT')) return this.select();
    if (this.accept('DELETE')) {
      this.expect('FROM');
      const ref = this.ref();
      return this.end({ kind: 'delete', ref, where: this.where() });
    }
    if (this.accept('SHOW')) {
      if (this.accept('DATABASES') || this.accept('SCHEMAS')) return this.end({ kind: 'show-databases' });
      if (this.accept('TABLES')) {
        const db = this.accept('FROM') || this.accept('IN') ? this.ident() : null;
        return this.end({ kind: 'show-tables', db });
      }
      this.fail();
    }
    if (this.accept('SET') || this.accept('GRANT') || this.accept('FLUSH') || this.accept('ALTER') || this.accept('REVOKE')) return { kind: 'noop', text: this.text };
    return this.fail();
  }

  private createTable(): Statement {
    const ifNotExists = this.accept('IF') ? (this.expect('NOT'), this.expect('EXISTS'), true) : false;
    const ref = this.ref();
    this.expectSym('(');
    const columns: ColumnDef[] = [];
    const keys: string[] = [];
    for (;;) {
      if (this.accept('PRIMARY')) {
        this.expect('KEY');
        this.expectSym('(');
        keys.push(this.ident());
        while (this.acceptSym(',')) keys.push(this.ident());
        this.expectSym(')');
      } else if (this.isWord('KEY') || this.isWord('INDEX') || this.isWord('UNIQUE')) {
        this.skipParens();
      } else {
        columns.push(this.column());
      }
      if (this.acceptSym(',')) continue;
      this.expectSym(')');
      break;
    }
    while (!this.done()) this.pos++; // ENGINE=InnoDB DEFAULT CHARSET=...
    for (const k of keys) {
      const c = columns.find((x) => x.name.toLowerCase() === k.toLowerCase());
      if (c) c.primaryKey = true;
    }
    if (columns.length === 0) this.fail();
    return { kind: 'create-table', ref, ifNotExists, columns };
  }

  private skipParens(): void {
    while (!this.done() && !this.acceptSym('(')) this.pos++;
    let depth = 1;
    while (!this.done() && depth > 0) {
      const t = this.peek()!;
      if (t.t === 'sym' && t.v === '(') depth++;
      if (t.t === 'sym' && t.v === ')') depth--;
      this.pos++;
    }
  }

  private column(): ColumnDef {
    const name = this.ident();
    let type = this.ident().toLowerCase();
    if (this.acceptSym('(')) {
      const args: string[] = [];
      while (!this.acceptSym(')')) {
        const t = this.peek();
        if (!t) this.fail();
        this.pos++;
        if (t.t !== 'sym') args.push(String(t.v));
      }
      type += `(${args.join(',')})`;
    }
    const col: ColumnDef = { name, type, autoIncrement: false, notNull: false, primaryKey: false };
    for (;;) {
      const t = this.peek();
      if (!t || (t.t === 'sym' && (t.v === ',' || t.v === ')'))) break;
      if (this.accept('AUTO_INCREMENT')) col.autoIncrement = true;
      else if (this.accept('NOT')) {
        this.expect('NULL');
        col.notNull = true;
      } else if (this.accept('PRIMARY')) {
        this.expect('KEY');
        col.primaryKey = true;
      } else if (this.accept('DEFAULT')) this.value();
      else if (this.isWord('UNSIGNED') || this.isWord('NULL') || this.isWord('UNIQUE') || this.isWord('KEY')) this.pos++;
      else this.fail();
    }
    return col;
  }

  private insert(): Statement {
    this.accept('INTO');
    const ref = this.ref();
    let columns: string[] | null = null;
    if (this.acceptSym('(')) {
      columns = [this.ident()];
      while (this.acceptSym(',')) columns.push(this.ident());
      this.expectSym(')');
    }
    if (!this.accept('VALUES')) this.expect('VALUE');
    const rows: Value[][] = [];
    do {
      this.expectSym('(');
      const row: Value[] = [];
      if (!this.acceptSym(')')) {
        row.push(this.value());
        while (this.acceptSym(',')) row.push(this.value());
        this.expectSym(')');
      }
      rows.push(row);
    } while (this.acceptSym(','));
    return this.end({ kind: 'insert', ref, columns, rows });
  }

  private select(): Statement {
    const items: SelectItem[] = [];
    do {
      if (this.acceptSym('*')) {
        items.push({ kind: 'star' });
        continue;
      }
      const t = this.peek();
      if (!t) this.fail();
      if (t.t === 'word' && this.peek(1)?.t === 'sym' && (this.peek(1) as { v: string }).v === '(') {
        this.pos += 2;
        this.expectSym(')');
        items.push({ kind: 'function', name: t.v.toUpperCase(), label: `${t.v}()` });
      } else if (t.t === 'word' && !['NULL', 'TRUE', 'FALSE'].includes(t.v.toUpperCase())) {
        this.pos++;
        items.push({ kind: 'column', name: t.v });
      } else {
        const v = this.value();
        items.push({ kind: 'value', value: v, label: t.t === 'str' ? t.v : v === null ? 'NULL' : String(v) });
      }
    } while (this.acceptSym(','));
    const from = this.accept('FROM') ? this.ref() : null;
    const where = this.where();
    let orderBy: { column: string; desc: boolean } | null = null;
    if (this.accept('ORDER')) {
      this.expect('BY');
      const column = this.ident();
      const desc = this.accept('DESC');
      if (!desc) this.accept('ASC');
      orderBy = { column, desc };
    }
    let limit: number | null = null;
    if (this.accept('LIMIT')) {
      const v = this.value();
      if (typeof v !== 'number') this.fail();
      limit = v;
    }
    return this.end({ kind: 'select', items, from, where, orderBy, limit });
  }

  private where(): { column: string; value: Value } | null {
    if (!this.accept('WHERE')) return null;
    const column = this.ident();
    this.expectSym('=');
    return { column, value: this.value() };
  }
}

export function parseStatement(sql: string): Statement {
  return new Parser(tokenize(sql), sql).statement();
}
