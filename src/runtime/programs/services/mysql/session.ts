/**
 * Executing statements against the data directory: one session per client
 * connection (its current database), the results MySQL returns, and its
 * error numbers and texts.
 */
import type { ProcessFs } from '../../../fs/process-fs.js';
import { chownTree, DATADIR, readRows, readTableDef, SYSTEM_SCHEMAS, VERSION, writeRows, writeTableDef, type TableDef } from './datadir.js';
import { SqlError, type Statement, type TableRef, type Value } from './sql.js';

export type Result =
  | { kind: 'rows'; columns: string[]; rows: Value[][] }
  | { kind: 'ok'; affected: number }
  | { kind: 'changed-db' };

export class Session {
  db: string | null;

  constructor(
    private readonly fs: ProcessFs,
    db: string | null,
    readonly user: string,
    private readonly datadir = DATADIR,
    /** Whether created files go to the mysql user (the server runs as mysql in the image). */
    private readonly ownAsMysql = true,
  ) {
    this.db = db;
  }

  private dbDir(name: string): string {
    return `${this.datadir}/${name}`;
  }

  databaseExists(name: string): boolean {
    return name === 'information_schema' || this.fs.tryStat(this.dbDir(name))?.type === 'dir';
  }

  databases(): string[] {
    const dirs = this.fs.readdir(this.datadir).filter((n) => this.fs.tryStat(this.dbDir(n))?.type === 'dir' && !n.startsWith('#'));
    return ['information_schema', ...dirs.filter((d) => d !== 'information_schema')].sort((a, b) => (a === 'information_schema' ? -1 : b === 'information_schema' ? 1 : a.localeCompare(b)));
  }

  private target(ref: TableRef): { db: string; table: string } {
    const db = ref.db ?? this.db;
    if (db === null) throw new SqlError(1046, '3D000', 'No database selected');
    if (!this.databaseExists(db)) throw new SqlError(1049, '42000', `Unknown database '${db}'`);
    return { db, table: ref.table };
  }

  private tableFiles(db: string, table: string): { frm: string; ibd: string } {
    return { frm: `${this.dbDir(db)}/${table}.frm`, ibd: `${this.dbDir(db)}/${table}.ibd` };
  }

  private tables(db: string): string[] {
    return this.fs
      .readdir(this.dbDir(db))
      .filter((n) => n.endsWith('.frm'))
      .map((n) => n.slice(0, -4))
      .sort();
  }

  private loadTable(ref: TableRef): { db: string; table: string; def: TableDef | null; frm: string; ibd: string } {
    const { db, table } = this.target(ref);
    const files = this.tableFiles(db, table);
    if (!this.fs.tryStat(files.frm)) throw new SqlError(1146, '42S02', `Table '${db}.${table}' doesn't exist`);
    return { db, table, def: readTableDef(this.fs, files.frm), ...files };
  }

  private own(path: string): void {
    if (this.ownAsMysql) chownTree(this.fs, path);
  }

  execute(s: Statement): Result {
    switch (s.kind) {
      case 'create-db': {
        if (this.databaseExists(s.name) || SYSTEM_SCHEMAS.includes(s.name)) {
          if (s.ifNotExists) return { kind: 'ok', affected: 0 };
          throw new SqlError(1007, 'HY000', `Can't create database '${s.name}'; database exists`);
        }
        this.fs.mkdir(this.dbDir(s.name), { mode: 0o750 });
        this.fs.writeFile(`${this.dbDir(s.name)}/db.opt`, 'default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n', { mode: 0o640 });
        this.own(this.dbDir(s.name));
        return { kind: 'ok', affected: 1 };
      }
      case 'drop-db': {
        if (!this.databaseExists(s.name) || s.name === 'information_schema') {
          if (s.ifExists) return { kind: 'ok', affected: 0 };
          throw new SqlError(1008, 'HY000', `Can't drop database '${s.name}'; database doesn't exist`);
        }
        const n = this.tables(s.name).length;
        this.fs.rm(this.dbDir(s.name), { recursive: true, force: true });
        if (this.db === s.name) this.db = null;
        return { kind: 'ok', affected: n };
      }
      case 'use':
        if (!this.databaseExists(s.name)) throw new SqlError(1049, '42000', `Unknown database '${s.name}'`);
        this.db = s.name;
        return { kind: 'changed-db' };
      case 'create-table': {
        const { db, table } = this.target(s.ref);
        const files = this.tableFiles(db, table);
        if (this.fs.tryStat(files.frm)) {
          if (s.ifNotExists) return { kind: 'ok', affected: 0 };
          throw new SqlError(1050, '42S01', `Table '${table}' already exists`);
        }
        writeTableDef(this.fs, files.frm, { columns: s.columns, autoIncrement: 1 });
        writeRows(this.fs, files.ibd, []);
        this.own(files.frm);
        this.own(files.ibd);
        return { kind: 'ok', affected: 0 };
      }
      case 'drop-table': {
        for (const ref of s.refs) {
          const { db, table } = this.target(ref);
          const files = this.tableFiles(db, table);
          if (!this.fs.tryStat(files.frm)) {
            if (s.ifExists) continue;
            throw new SqlError(1051, '42S02', `Unknown table '${db}.${table}'`);
          }
          this.fs.rm(files.frm, { force: true });
          this.fs.rm(files.ibd, { force: true });
        }
        return { kind: 'ok', affected: 0 };
      }
      case 'insert':
        return this.insert(s);
      case 'select':
        return this.select(s);
      case 'delete': {
        const t = this.loadTable(s.ref);
        if (!t.def) return { kind: 'ok', affected: 0 };
        const rows = readRows(this.fs, t.ibd);
        const keep = s.where ? rows.filter((r) => !matches(t.def!, r, s.where!)) : [];
        writeRows(this.fs, t.ibd, keep);
        return { kind: 'ok', affected: rows.length - keep.length };
      }
      case 'show-databases':
        return { kind: 'rows', columns: ['Database'], rows: this.databases().map((d) => [d]) };
      case 'show-tables': {
        const db = s.db ?? this.db;
        if (db === null) throw new SqlError(1046, '3D000', 'No database selected');
        if (!this.databaseExists(db)) throw new SqlError(1049, '42000', `Unknown database '${db}'`);
        return { kind: 'rows', columns: [`Tables_in_${db}`], rows: db === 'information_schema' ? [] : this.tables(db).map((t) => [t]) };
      }
      case 'noop':
        return { kind: 'ok', affected: 0 };
    }
  }

  private insert(s: Extract<Statement, { kind: 'insert' }>): Result {
    const t = this.loadTable(s.ref);
    if (!t.def) throw new SqlError(1036, 'HY000', `Table '${t.table}' is read only`);
    const def = t.def;
    const names = def.columns.map((c) => c.name.toLowerCase());
    const order = (s.columns ?? def.columns.map((c) => c.name)).map((c) => {
      const i = names.indexOf(c.toLowerCase());
      if (i === -1) throw new SqlError(1054, '42S22', `Unknown column '${c}' in 'field list'`);
      return i;
    });
    const rows = readRows(this.fs, t.ibd);
    for (const [n, values] of s.rows.entries()) {
      if (values.length !== order.length) throw new SqlError(1136, '21S01', `Column count doesn't match value count at row ${n + 1}`);
      const row: Value[] = def.columns.map(() => null);
      order.forEach((col, k) => (row[col] = convert(def.columns[col]!.type, values[k]!)));
      def.columns.forEach((c, k) => {
        if (c.autoIncrement) {
          if (row[k] === null || row[k] === 0) row[k] = def.autoIncrement;
          def.autoIncrement = Math.max(def.autoIncrement, Number(row[k]) + 1);
        }
        if (row[k] === null && (c.notNull || c.primaryKey) && !c.autoIncrement) {
          if (!order.includes(k)) throw new SqlError(1364, 'HY000', `Field '${c.name}' doesn't have a default value`);
          throw new SqlError(1048, '23000', `Column '${c.name}' cannot be null`);
        }
        if (c.primaryKey && rows.some((r) => r[k] === row[k])) throw new SqlError(1062, '23000', `Duplicate entry '${row[k]}' for key 'PRIMARY'`);
      });
      rows.push(row);
    }
    writeRows(this.fs, t.ibd, rows);
    writeTableDef(this.fs, t.frm, def);
    return { kind: 'ok', affected: s.rows.length };
  }

  private select(s: Extract<Statement, { kind: 'select' }>): Result {
    if (!s.from) {
      const columns = s.items.map((i) => (i.kind === 'value' || i.kind === 'function' ? i.label : i.kind === 'column' ? i.name : '*'));
      const row = s.items.map((i): Value => {
        if (i.kind === 'value') return i.value;
        if (i.kind === 'function') return this.func(i.name);
        if (i.kind === 'star') throw new SqlError(1096, 'HY000', 'No tables used');
        throw new SqlError(1054, '42S22', `Unknown column '${i.name}' in 'field list'`);
      });
      return { kind: 'rows', columns, rows: [row] };
    }
    const t = this.loadTable(s.from);
    if (!t.def) return { kind: 'rows', columns: [], rows: [] };
    const def = t.def;
    const names = def.columns.map((c) => c.name.toLowerCase());
    const col = (name: string, clause: string): number => {
      const i = names.indexOf(name.toLowerCase());
      if (i === -1) throw new SqlError(1054, '42S22', `Unknown column '${name}' in '${clause}'`);
      return i;
    };
    const picks: { label: string; get: (r: Value[]) => Value }[] = [];
    for (const item of s.items) {
      if (item.kind === 'star') def.columns.forEach((c, k) => picks.push({ label: c.name, get: (r) => r[k] ?? null }));
      else if (item.kind === 'column') {
        const k = col(item.name, 'field list');
        picks.push({ label: item.name, get: (r) => r[k] ?? null });
      } else if (item.kind === 'value') picks.push({ label: item.label, get: () => item.value });
      else picks.push({ label: item.label, get: () => this.func(item.name) });
    }
    if (s.where) col(s.where.column, 'where clause');
    let rows = readRows(this.fs, t.ibd).filter((r) => !s.where || matches(def, r, s.where));
    if (s.orderBy) {
      const k = col(s.orderBy.column, 'order clause');
      const dir = s.orderBy.desc ? -1 : 1;
      rows = [...rows].sort((a, b) => dir * compare(a[k] ?? null, b[k] ?? null));
    }
    if (s.limit !== null) rows = rows.slice(0, s.limit);
    return { kind: 'rows', columns: picks.map((p) => p.label), rows: rows.map((r) => picks.map((p) => p.get(r))) };
  }

  private func(name: string): Value {
    switch (name) {
      case 'VERSION':
        return VERSION;
      case 'DATABASE':
      case 'SCHEMA':
        return this.db;
      case 'USER':
      case 'CURRENT_USER':
        return `${this.user}@localhost`;
      case 'NOW':
        return null;
      default:
        throw new SqlError(1305, '42000', `FUNCTION ${this.db ?? 'mysql'}.${name.toLowerCase()} does not exist`);
    }
  }
}

function matches(def: TableDef, row: Value[], where: { column: string; value: Value }): boolean {
  const k = def.columns.findIndex((c) => c.name.toLowerCase() === where.column.toLowerCase());
  const v = row[k] ?? null;
  if (v === null || where.value === null) return false;
  // MySQL compares a number column with a string as numbers, strings case-insensitively (default collation).
  if (typeof v === 'number' || typeof where.value === 'number') return Number(v) === Number(where.value);
  return v.toLowerCase() === where.value.toLowerCase();
}

function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Stores a value as the column's type would: numbers in numeric columns, text elsewhere. */
function convert(type: string, v: Value): Value {
  if (v === null) return null;
  if (/^(tiny|small|medium|big)?int|^integer|^decimal|^float|^double|^numeric/.test(type)) {
    const n = Number(v);
    return Number.isNaN(n) ? 0 : /int/.test(type) ? Math.trunc(n) : n;
  }
  return String(v);
}
