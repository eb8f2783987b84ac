/**
 * The `mysql` client (5.7) and `mysqladmin`, talking to the emulated server
 * through its data directory. "Connecting" means the server's socket and pid
 * files exist; without them the client fails as the real one does when
 * mysqld is not running (error 2002).
 *
 * Output: batch (tab-separated with a header) when stdout is not a terminal,
 * boxed tables on a terminal or with -t, an interactive prompt when stdin is
 * a terminal and no -e was given.
 */
import type { ProcessContext } from '../../../process.js';
import { DATADIR, nativeHash, PIDFILE, readUsers, SOCKET, VERSION } from './datadir.js';
import { Session, type Result } from './session.js';
import { parseStatement, splitStatements, SqlError, type Value } from './sql.js';

interface ClientOptions {
  user: string;
  password: string | null;
  /** -p without a value: ask. */
  askPassword: boolean;
  host: string | null;
  database: string | null;
  execute: string | null;
  socket: string;
  batch: boolean;
  table: boolean;
  skipColumnNames: boolean;
  force: boolean;
  rest: string[];
}

function parseClientArgs(argv: readonly string[]): ClientOptions {
  const o: ClientOptions = { user: 'root', password: null, askPassword: false, host: null, database: null, execute: null, socket: SOCKET, batch: false, table: false, skipColumnNames: false, force: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => argv[++i] ?? '';
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(a);
    if (long) {
      const [, key = '', value] = long;
      const v = (): string => value ?? next();
      if (key === 'user') o.user = v();
      else if (key === 'password') value === undefined ? (o.askPassword = true) : (o.password = value);
      else if (key === 'host') o.host = v();
      else if (key === 'database') o.database = v();
      else if (key === 'execute') o.execute = v();
      else if (key === 'socket') o.socket = v();
      else if (key === 'batch') o.batch = true;
      else if (key === 'table') o.table = true;
      else if (key === 'skip-column-names') o.skipColumnNames = true;
      else if (key === 'force') o.force = true;
      else if (['port', 'protocol', 'default-character-set', 'defaults-extra-file', 'defaults-file', 'connect-timeout'].includes(key) && value === undefined) next();
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const flag = a[1]!;
      const glued = a.slice(2);
      const v = (): string => (glued !== '' ? glued : next());
      if (flag === 'u') o.user = v();
      else if (flag === 'p') glued === '' ? (o.askPassword = true) : (o.password = glued);
      else if (flag === 'h') o.host = v();
      else if (flag === 'D') o.database = v();
      else if (flag === 'e') o.execute = v();
      else if (flag === 'S') o.socket = v();
      else if (flag === 'P') v();
      else if (flag === 'B') o.batch = true;
      else if (flag === 't') o.table = true;
      else if (flag === 'N') o.skipColumnNames = true;
      else if (flag === 'f') o.force = true;
      continue;
    }
    o.rest.push(a);
  }
  if (o.database === null && o.rest.length > 0) o.database = o.rest[0]!;
  return o;
}

export function serverRunning(ctx: ProcessContext, socket = SOCKET): boolean {
  return ctx.fs.tryStat(socket) !== null && ctx.fs.tryStat(PIDFILE) !== null;
}

async function connect(ctx: ProcessContext, o: ClientOptions, who: string): Promise<SqlError | null> {
  if (!serverRunning(ctx, o.socket)) return new SqlError(2002, 'HY000', `Can't connect to local MySQL server through socket '${o.socket}' (2)`);
  let password = o.password;
  if (o.askPassword) {
    await ctx.stderr.write('Enter password: ');
    password = (await ctx.stdin.readLine()) ?? '';
    if (!ctx.stdin.isTTY) await ctx.stderr.write('\n');
  }
  const accounts = readUsers(ctx.fs).filter((u) => u.user === o.user);
  const given = password ?? '';
  const ok = accounts.some((u) => u.hash === nativeHash(given));
  if (!ok) return new SqlError(1045, '28000', `Access denied for user '${o.user}'@'localhost' (using password: ${given === '' ? 'NO' : 'YES'})`);
  void who;
  return null;
}

function escapeBatch(v: Value): string {
  if (v === null) return 'NULL';
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\0/g, '\\0');
}

function boxed(columns: string[], rows: Value[][]): string {
  const cells = rows.map((r) => r.map((v) => (v === null ? 'NULL' : String(v))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`;
  const line = (vals: string[], numeric: boolean[]): string => `|${vals.map((v, i) => ` ${numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)} `).join('|')}|\n`;
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null));
  return rule + line(columns, columns.map(() => false)) + rule + cells.map((r) => line(r, numeric)).join('') + rule;
}

function rowsWord(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}

/** Prints one result in the chosen format. */
async function show(ctx: ProcessContext, r: Result, o: ClientOptions, interactive: boolean): Promise<void> {
  if (r.kind === 'rows') {
    const tableFormat = interactive || o.table || (ctx.stdout.isTTY && !o.batch);
    if (r.rows.length === 0 && !interactive) return;
    if (r.rows.length === 0) {
      await ctx.stdout.write('Empty set (0.00 sec)\n\n');
      return;
    }
    if (tableFormat) {
      await ctx.stdout.write(boxed(r.columns, r.rows));
      if (interactive) await ctx.stdout.write(`${rowsWord(r.rows.length)} in set (0.00 sec)\n\n`);
      return;
    }
    const lines = [...(o.skipColumnNames ? [] : [r.columns.join('\t')]), ...r.rows.map((row) => row.map(escapeBatch).join('\t'))];
    await ctx.stdout.write(lines.join('\n') + '\n');
    return;
  }
  if (!interactive) return;
  if (r.kind === 'changed-db') await ctx.stdout.write('Database changed\n');
  else await ctx.stdout.write(`Query OK, ${rowsWord(r.affected)} affected (0.01 sec)\n\n`);
}

/** Runs a script in batch mode; errors say at which line their statement started. */
async function runBatch(ctx: ProcessContext, session: Session, script: string, o: ClientOptions): Promise<number> {
  let status = 0;
  let offset = 0;
  for (const sql of splitStatements(script)) {
    const at = script.indexOf(sql, offset);
    const line = script.slice(0, Math.max(0, at)).split('\n').length;
    offset = at === -1 ? offset : at + sql.length;
    try {
      await show(ctx, session.execute(parseStatement(sql)), o, false);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      await ctx.stderr.write(`ERROR ${e.code} (${e.state}) at line ${line}: ${e.message}\n`);
      status = 1;
      if (!o.force) return 1;
    }
  }
  return status;
}

async function interactive(ctx: ProcessContext, session: Session, o: ClientOptions): Promise<number> {
  await ctx.stdout.write(
    "Welcome to the MySQL monitor.  Commands end with ; or \\g.\nYour MySQL connection id is 3\n" +
      `Server version: ${VERSION} MySQL Community Server (GPL)\n\nCopyright (c) 2000, 2023, Oracle and/or its affiliates.\n\n` +
      'Oracle is a registered trademark of Oracle Corporation and/or its\naffiliates. Other names may be trademarks of their respective\nowners.\n\n' +
      "Type 'help;' or '\\h' for help. Type '\\c' to clear the current input statement.\n\n",
  );
  let buffer = '';
  for (;;) {
    await ctx.stdout.write(buffer === '' ? 'mysql> ' : '    -> ');
    const line = await ctx.stdin.readLine();
    if (line === null) {
      await ctx.stdout.write('Bye\n');
      return 0;
    }
    const trimmed = line.trim();
    if (buffer === '' && /^(exit|quit|\\q)\s*;?$/i.test(trimmed)) {
      await ctx.stdout.write('Bye\n');
      return 0;
    }
    buffer += `${line}\n`;
    if (!/;\s*$/.test(trimmed) && !/\\g\s*$/.test(trimmed)) continue;
    const script = buffer.replace(/\\g\s*$/, ';');
    buffer = '';
    for (const sql of splitStatements(script)) {
      try {
        await show(ctx, session.execute(parseStatement(sql)), o, true);
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        await ctx.stdout.write(`${e.line}\n`);
      }
    }
  }
}

export async function mysqlMain(ctx: ProcessContext): Promise<number> {
  const o = parseClientArgs(ctx.argv.slice(1));
  if (ctx.argv.includes('--version') || ctx.argv.includes('-V')) {
    await ctx.stdout.write(`mysql  Ver 14.14 Distrib ${VERSION}, for Linux (x86_64) using  EditLine wrapper\n`);
    return 0;
  }
  if (o.password !== null) await ctx.stderr.write('mysql: [Warning] Using a password on the command line interface can be insecure.\n');
  const failed = await connect(ctx, o, 'mysql');
  if (failed) {
    await ctx.stderr.write(`${failed.line}\n`);
    return 1;
  }
  const session = new Session(ctx.fs, null, o.user, DATADIR, ctx.user.uid === 0);
  if (o.database !== null) {
    try {
      session.execute({ kind: 'use', name: o.database });
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      await ctx.stderr.write(`${e.line}\n`);
      return 1;
    }
  }
  if (o.execute !== null) return runBatch(ctx, session, o.execute, o);
  if (ctx.stdin.isTTY) return interactive(ctx, session, o);
  return runBatch(ctx, session, (await ctx.stdin.readAll()).toString('utf8'), o);
}

/** `mysqladmin ping|status|version|shutdown|create DB|drop DB`. */
export async function mysqladminMain(ctx: ProcessContext): Promise<number> {
  const o = parseClientArgs(ctx.argv.slice(1));
  if (o.password !== null) await ctx.stderr.write('mysqladmin: [Warning] Using a password on the command line interface can be insecure.\n');
  const failed = await connect(ctx, o, 'mysqladmin');
  if (failed) {
    if (failed.code === 2002) {
      await ctx.stderr.write(`mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '${o.socket}' (2)'\nCheck that mysqld is running and that the socket: '${o.socket}' exists!\n`);
    } else {
      await ctx.stderr.write(`mysqladmin: connect to server at 'localhost' failed\nerror: '${failed.message}'\n`);
    }
    return 1;
  }
  const [command, arg] = o.rest;
  const session = new Session(ctx.fs, null, o.user, DATADIR, ctx.user.uid === 0);
  switch (command) {
    case 'ping':
      await ctx.stdout.write('mysqld is alive\n');
      return 0;
    case 'version':
    case 'status':
      await ctx.stdout.write(command === 'version' ? `mysqladmin  Ver 8.42 Distrib ${VERSION}, for Linux on x86_64\n\nServer version\t\t${VERSION}\nProtocol version\t10\nConnection\t\tLocalhost via UNIX socket\nUNIX socket\t\t${o.socket}\n` : 'Uptime: 10  Threads: 1  Questions: 2  Slow queries: 0  Opens: 105  Flush tables: 1  Open tables: 98  Queries per second avg: 0.200\n');
      return 0;
    case 'shutdown':
      // A foreground server watches its pid file: removing it is the request to stop.
      // A --daemonize'd one is only its files.
      ctx.fs.rm(PIDFILE, { force: true });
      ctx.fs.rm(o.socket, { force: true });
      return 0;
    case 'create':
    case 'drop':
      try {
        session.execute(command === 'create' ? { kind: 'create-db', name: arg ?? '', ifNotExists: false } : { kind: 'drop-db', name: arg ?? '', ifExists: false });
        return 0;
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        await ctx.stderr.write(`mysqladmin: ${command.toUpperCase()} DATABASE failed; error: '${e.message}'\n`);
        return 1;
      }
    default:
      await ctx.stderr.write(`mysqladmin: Unknown command: '${command ?? ''}'\n`);
      return 1;
  }
}
