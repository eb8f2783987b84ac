/**
 * MySQL 5.7's data directory as the emulated server and client share it.
 *
 * Initialisation (`mysqld --initialize-insecure`) writes the files and sizes
 * MySQL 5.7 creates: the InnoDB system tablespace `ibdata1` (12 MiB), two redo
 * logs `ib_logfile0/1` (48 MiB each), the `mysql`, `performance_schema` and
 * `sys` schemas, `auto.cnf` and the TLS keys. The big files are zeros written
 * in chunks. Where they land (a volume, or the container's writable layer)
 * is the lesson: `docker ps -s` and `docker system df` show the difference.
 *
 * User tables: `<db>/<table>.frm` holds the definition and `<db>/<table>.ibd`
 * the rows, as JSON lines, padded with zeros to whole 16 KiB InnoDB pages
 * (at least the 96 KiB a new 5.7 table takes).
 */
import { createHash } from 'node:crypto';
import type { ProcessFs } from '../../../fs/process-fs.js';
import { seededBytes, writeZeros } from '../../packages/contents.js';
import type { ColumnDef, Value } from './sql.js';

export const DATADIR = '/var/lib/mysql';
export const SOCKET = '/var/run/mysqld/mysqld.sock';
export const PIDFILE = '/var/run/mysqld/mysqld.pid';
export const VERSION = '5.7.44';
/** The schemas every server has; information_schema has no directory. */
export const SYSTEM_SCHEMAS = ['information_schema', 'mysql', 'performance_schema', 'sys'];
/** The mysql user and group of the official image. */
export const MYSQL_UID = 999;

const MIB = 1024 * 1024;
const PAGE = 16384;
const MIN_IBD = 6 * PAGE;
const FRM_SIZE = 8586;

const INNODB_SYSTEM_TABLES: Record<string, number> = {
  engine_cost: MIN_IBD, gtid_executed: MIN_IBD, help_category: 114688, help_keyword: 212992, help_relation: 114688, help_topic: 9437184,
  innodb_index_stats: MIN_IBD, innodb_table_stats: MIN_IBD, plugin: MIN_IBD, server_cost: MIN_IBD, servers: MIN_IBD,
  slave_master_info: MIN_IBD, slave_relay_log_info: MIN_IBD, slave_worker_info: MIN_IBD, time_zone: MIN_IBD,
  time_zone_leap_second: MIN_IBD, time_zone_name: MIN_IBD, time_zone_transition: MIN_IBD, time_zone_transition_type: MIN_IBD,
};
const MYISAM_SYSTEM_TABLES: Record<string, [number, number]> = {
  columns_priv: [0, 4096], db: [976, 5120], event: [0, 2048], func: [0, 1024], ndb_binlog_index: [0, 1024], proc: [298696, 4096],
  procs_priv: [0, 4096], proxies_priv: [693, 9216], tables_priv: [1658, 9216], user: [0, 4096],
};
const PERFORMANCE_SCHEMA_TABLES = [
  'accounts', 'cond_instances', 'events_stages_current', 'events_stages_history', 'events_stages_history_long', 'events_stages_summary_by_account_by_event_name',
  'events_stages_summary_by_host_by_event_name', 'events_stages_summary_by_thread_by_event_name', 'events_stages_summary_by_user_by_event_name', 'events_stages_summary_global_by_event_name',
  'events_statements_current', 'events_statements_history', 'events_statements_history_long', 'events_statements_summary_by_digest', 'events_statements_summary_global_by_event_name',
  'events_transactions_current', 'events_waits_current', 'events_waits_history', 'events_waits_summary_global_by_event_name', 'file_instances', 'file_summary_by_event_name',
  'file_summary_by_instance', 'global_status', 'global_variables', 'host_cache', 'hosts', 'memory_summary_global_by_event_name', 'metadata_locks', 'mutex_instances',
  'objects_summary_global_by_type', 'performance_timers', 'prepared_statements_instances', 'replication_applier_status', 'rwlock_instances', 'session_account_connect_attrs',
  'session_connect_attrs', 'session_status', 'session_variables', 'setup_actors', 'setup_consumers', 'setup_instruments', 'setup_objects', 'setup_timers', 'socket_instances',
  'socket_summary_by_event_name', 'status_by_thread', 'table_handles', 'table_io_waits_summary_by_index_usage', 'table_io_waits_summary_by_table', 'table_lock_waits_summary_by_table',
  'threads', 'user_variables_by_thread', 'users', 'variables_by_thread',
];
const SYS_VIEWS = [
  'host_summary', 'host_summary_by_file_io', 'host_summary_by_statement_latency', 'innodb_buffer_stats_by_schema', 'innodb_buffer_stats_by_table', 'innodb_lock_waits', 'io_by_thread_by_latency',
  'io_global_by_file_by_bytes', 'latest_file_io', 'memory_by_host_by_current_bytes', 'memory_global_total', 'metrics', 'processlist', 'ps_check_lost_instrumentation', 'schema_index_statistics',
  'schema_object_overview', 'schema_table_statistics', 'schema_tables_with_full_table_scans', 'schema_unused_indexes', 'session', 'statement_analysis', 'statements_with_errors_or_warnings',
  'statements_with_full_table_scans', 'statements_with_runtimes_in_95th_percentile', 'statements_with_sorting', 'statements_with_temp_tables', 'user_summary', 'user_summary_by_file_io',
  'version', 'wait_classes_global_by_avg_latency', 'waits_by_host_by_latency', 'waits_global_by_latency', 'x$host_summary', 'x$processlist', 'x$schema_index_statistics',
  'x$statement_analysis', 'x$user_summary', 'x$waits_global_by_latency',
];

/** Whether the data directory holds an initialised server (the entrypoint's test: `[ -d "$DATADIR/mysql" ]`). */
export function isInitialized(fs: ProcessFs, datadir = DATADIR): boolean {
  return fs.tryStat(`${datadir}/mysql`)?.type === 'dir';
}

function put(fs: ProcessFs, path: string, data: string | Buffer, mode = 0o640): void {
  fs.writeFile(path, data, { mode });
  fs.chmod(path, mode);
}

/** A PEM file of exactly `size` bytes. */
function pem(label: string, seed: string, size: number): string {
  const head = `-----BEGIN ${label}-----\n`;
  const tail = `-----END ${label}-----\n`;
  const body = seededBytes(seed, size).toString('base64');
  let text = '';
  const room = size - head.length - tail.length;
  for (let i = 0; text.length < room; i += 64) text += `${body.slice(i, i + 64)}\n`;
  text = text.slice(0, room - 1) + '\n';
  return head + text + tail;
}

/** The server UUID (auto.cnf), derived from the container so repeated runs agree. */
export function serverUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-11ee-${h.slice(16, 20)}-0242ac110002`;
}

/** `mysqld --initialize-insecure`: the whole 5.7 data directory. */
export function initializeDatadir(fs: ProcessFs, seed: string, datadir = DATADIR): void {
  if (!fs.exists(datadir)) fs.mkdir(datadir, { recursive: true, mode: 0o750 });
  writeZeros(fs, `${datadir}/ibdata1`, 12 * MIB);
  writeZeros(fs, `${datadir}/ib_logfile0`, 48 * MIB);
  writeZeros(fs, `${datadir}/ib_logfile1`, 48 * MIB);
  put(fs, `${datadir}/auto.cnf`, `[auto]\nserver-uuid=${serverUuid(seed)}\n`);
  for (const [name, size, mode] of [
    ['ca-key.pem', 1676, 0o600], ['ca.pem', 1112, 0o644], ['server-key.pem', 1676, 0o600], ['server-cert.pem', 1112, 0o644],
    ['client-key.pem', 1680, 0o600], ['client-cert.pem', 1112, 0o644], ['private_key.pem', 1680, 0o600], ['public_key.pem', 452, 0o644],
  ] as const) {
    const label = name.includes('key') ? (name === 'public_key.pem' ? 'PUBLIC KEY' : 'RSA PRIVATE KEY') : 'CERTIFICATE';
    put(fs, `${datadir}/${name}`, pem(label, `${seed}/${name}`, size), mode);
  }
  const mysql = `${datadir}/mysql`;
  fs.mkdir(mysql, { mode: 0o750 });
  for (const [t, ibd] of Object.entries(INNODB_SYSTEM_TABLES)) {
    put(fs, `${mysql}/${t}.frm`, seededBytes(`mysql/${t}.frm`, FRM_SIZE));
    writeZeros(fs, `${mysql}/${t}.ibd`, ibd);
  }
  for (const [t, [myd, myi]] of Object.entries(MYISAM_SYSTEM_TABLES)) {
    put(fs, `${mysql}/${t}.frm`, seededBytes(`mysql/${t}.frm`, FRM_SIZE));
    put(fs, `${mysql}/${t}.MYD`, seededBytes(`mysql/${t}.MYD`, myd));
    put(fs, `${mysql}/${t}.MYI`, seededBytes(`mysql/${t}.MYI`, myi));
  }
  for (const t of ['general_log', 'slow_log']) {
    put(fs, `${mysql}/${t}.frm`, seededBytes(`mysql/${t}.frm`, FRM_SIZE));
    put(fs, `${mysql}/${t}.CSM`, seededBytes(`mysql/${t}.CSM`, 35));
    put(fs, `${mysql}/${t}.CSV`, '');
  }
  writeUsers(fs, [{ user: 'root', host: 'localhost', password: '' }], datadir);
  const ps = `${datadir}/performance_schema`;
  fs.mkdir(ps, { mode: 0o750 });
  put(fs, `${ps}/db.opt`, 'default-character-set=utf8\ndefault-collation=utf8_general_ci\n');
  for (const t of PERFORMANCE_SCHEMA_TABLES) put(fs, `${ps}/${t}.frm`, seededBytes(`performance_schema/${t}.frm`, 8000 + (t.length * 97) % 2000));
  const sys = `${datadir}/sys`;
  fs.mkdir(sys, { mode: 0o750 });
  put(fs, `${sys}/db.opt`, 'default-character-set=utf8\ndefault-collation=utf8_general_ci\n');
  put(fs, `${sys}/sys_config.frm`, seededBytes('sys/sys_config.frm', FRM_SIZE));
  writeZeros(fs, `${sys}/sys_config.ibd`, MIN_IBD);
  put(fs, `${sys}/sys_config.TRG`, seededBytes('sys/sys_config.TRG', 2133));
  for (const v of SYS_VIEWS) put(fs, `${sys}/${v}.frm`, seededBytes(`sys/${v}.frm`, 1200 + (v.length * 331) % 9000));
}

/** `chown -R mysql:mysql`, as the server running as mysql would own its files. */
export function chownTree(fs: ProcessFs, path: string, uid = MYSQL_UID): void {
  const st = fs.tryLstat(path);
  if (!st) return;
  if (st.uid !== uid) fs.chown(path, uid, uid, { noFollow: true });
  if (st.type === 'dir') for (const name of fs.readdir(path)) chownTree(fs, `${path}/${name}`, uid);
}

// ---- accounts -------------------------------------------------------------------------

export interface Account {
  user: string;
  host: string;
  /** Clear text as given at creation; stored hashed. */
  password: string;
}

/** mysql_native_password's hash: "*" and SHA1(SHA1(password)) in upper-case hex. */
export function nativeHash(password: string): string {
  if (password === '') return '';
  const once = createHash('sha1').update(password).digest();
  return `*${createHash('sha1').update(once).digest('hex').toUpperCase()}`;
}

/** The accounts, kept in mysql/user.MYD as "host<TAB>user<TAB>hash" lines. */
export function readUsers(fs: ProcessFs, datadir = DATADIR): { user: string; host: string; hash: string }[] {
  const path = `${datadir}/mysql/user.MYD`;
  if (!fs.tryStat(path)) return [];
  return fs
    .readFile(path)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const [host = '', user = '', hash = ''] = l.split('\t');
      return { host, user, hash };
    });
}

export function writeUsers(fs: ProcessFs, accounts: Account[], datadir = DATADIR): void {
  const rows = accounts.map((a) => `${a.host}\t${a.user}\t${nativeHash(a.password)}\n`);
  // The system accounts every 5.7 server has.
  rows.push('localhost\tmysql.session\t*THISISNOTAVALIDPASSWORDTHATCANBEUSEDHERE\n', 'localhost\tmysql.sys\t*THISISNOTAVALIDPASSWORDTHATCANBEUSEDHERE\n');
  put(fs, `${datadir}/mysql/user.MYD`, rows.join(''));
}

export function setUser(fs: ProcessFs, account: Account, datadir = DATADIR): void {
  const others = readUsers(fs, datadir).filter((u) => !(u.user === account.user && u.host === account.host) && !u.user.startsWith('mysql.'));
  const rows = [...others.map((u) => `${u.host}\t${u.user}\t${u.hash}\n`), `${account.host}\t${account.user}\t${nativeHash(account.password)}\n`];
  rows.push('localhost\tmysql.session\t*THISISNOTAVALIDPASSWORDTHATCANBEUSEDHERE\n', 'localhost\tmysql.sys\t*THISISNOTAVALIDPASSWORDTHATCANBEUSEDHERE\n');
  put(fs, `${datadir}/mysql/user.MYD`, rows.join(''));
}

// ---- user tables ---------------------------------------------------------------------------

export interface TableDef {
  columns: ColumnDef[];
  autoIncrement: number;
}

const FRM_MAGIC = 'MYDOCK-FRM 1\n';
const IBD_MAGIC = 'MYDOCK-IBD 1\n';

export function writeTableDef(fs: ProcessFs, path: string, def: TableDef): void {
  const body = Buffer.from(FRM_MAGIC + JSON.stringify(def) + '\n');
  const out = Buffer.alloc(Math.max(FRM_SIZE, body.length));
  body.copy(out);
  put(fs, path, out);
}

export function readTableDef(fs: ProcessFs, path: string): TableDef | null {
  const text = untilNul(fs.readFile(path));
  if (!text.startsWith(FRM_MAGIC)) return null;
  return JSON.parse(text.slice(FRM_MAGIC.length)) as TableDef;
}

export function writeRows(fs: ProcessFs, path: string, rows: Value[][]): void {
  const body = Buffer.from(IBD_MAGIC + rows.map((r) => JSON.stringify(r) + '\n').join(''));
  const size = Math.max(MIN_IBD, Math.ceil((body.length + 1) / PAGE) * PAGE);
  const out = Buffer.alloc(size);
  body.copy(out);
  put(fs, path, out);
}

export function readRows(fs: ProcessFs, path: string): Value[][] {
  const text = untilNul(fs.readFile(path));
  if (!text.startsWith(IBD_MAGIC)) return [];
  return text
    .slice(IBD_MAGIC.length)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Value[]);
}

function untilNul(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('utf8');
}
