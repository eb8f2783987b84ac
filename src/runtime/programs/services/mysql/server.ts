/**
 * `mysqld` (MySQL 5.7.44): initialises a data directory, or serves one in
 * the foreground until TERM/INT/QUIT (or `mysqladmin shutdown`, which removes
 * the pid file the server watches). While it runs, the socket and pid files
 * under /var/run/mysqld say so; that is how the emulated client and
 * mysqladmin, possibly in another process, know a server is up.
 *
 * Its log goes to stderr, as in the official image.
 */
import type { ProcessContext, SignalName } from '../../../process.js';
import { writeZeros } from '../../packages/contents.js';
import { chownTree, DATADIR, initializeDatadir, isInitialized, PIDFILE, SOCKET, VERSION } from './datadir.js';

const POLL_MS = 500;

export interface ServerOptions {
  datadir: string;
  socket: string;
  pidFile: string;
  initialize: 'no' | 'secure' | 'insecure';
  daemonize: boolean;
  help: boolean;
  version: boolean;
}

export function parseServerArgs(argv: readonly string[]): ServerOptions {
  const o: ServerOptions = { datadir: DATADIR, socket: SOCKET, pidFile: PIDFILE, initialize: 'no', daemonize: false, help: false, version: false };
  for (const a of argv) {
    const [key, value = ''] = a.split(/=(.*)/s, 2) as [string, string?];
    if (key === '--datadir') o.datadir = value.replace(/\/$/, '');
    else if (key === '--socket') o.socket = value;
    else if (key === '--pid-file') o.pidFile = value;
    else if (key === '--initialize') o.initialize = 'secure';
    else if (key === '--initialize-insecure') o.initialize = 'insecure';
    else if (key === '--daemonize') o.daemonize = true;
    else if (key === '--help' || key === '-?') o.help = true;
    else if (key === '--version' || key === '-V') o.version = true;
  }
  return o;
}

/** MySQL 5.7's log timestamp: UTC with microseconds. */
export function logTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class ServerLog {
  private tick = 0;
  constructor(private readonly ctx: ProcessContext) {}
  async line(level: 'Note' | 'Warning' | 'ERROR', text: string): Promise<void> {
    // Consecutive lines get increasing microseconds, as a real log's do.
    const t = logTime(this.ctx.clock.now()).replace(/(\d{3})Z$/, () => `${String(++this.tick * 37 % 1000).padStart(3, '0')}Z`);
    await this.ctx.stderr.write(`${t} 0 [${level}] ${text}\n`);
  }
  async raw(text: string): Promise<void> {
    await this.ctx.stderr.write(`${text}\n`);
  }
}

/** `--initialize[-insecure]`: writes the data directory; refuses a non-empty one, as 5.7 does. */
export async function initialize(ctx: ProcessContext, o: ServerOptions, log: ServerLog): Promise<number> {
  const fs = ctx.fs;
  await log.line('Warning', 'TIMESTAMP with implicit DEFAULT value is deprecated. Please use --explicit_defaults_for_timestamp server option (see documentation for more details).');
  if (fs.exists(o.datadir) && fs.readdir(o.datadir).length > 0) {
    await log.line('ERROR', '--initialize specified but the data directory has files in it. Aborting.');
    await log.line('ERROR', 'Aborting');
    return 1;
  }
  initializeDatadir(fs, ctx.container.id, o.datadir);
  if (ctx.user.uid === 0) chownTree(fs, o.datadir);
  await log.line('Warning', 'InnoDB: New log files created, LSN=45790');
  await log.line('Warning', 'InnoDB: Creating foreign key constraint system tables.');
  const uuid = fs.readFile(`${o.datadir}/auto.cnf`).toString().match(/server-uuid=(.*)/)?.[1] ?? '';
  await log.line('Warning', `No existing UUID has been found, so we assume that this is the first time that this server has been started. Generating a new UUID: ${uuid}.`);
  await log.line('Warning', "Gtid table is not ready to be used. Table 'mysql.gtid_executed' cannot be opened.");
  await log.line('Warning', 'A deprecated TLS version TLSv1 is enabled. Please use TLSv1.2 or higher.');
  await log.line('Warning', 'A deprecated TLS version TLSv1.1 is enabled. Please use TLSv1.2 or higher.');
  await log.line('Warning', 'CA certificate ca.pem is self signed.');
  if (o.initialize === 'insecure') await log.line('Warning', 'root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option.');
  else await log.line('Note', 'A temporary password is generated for root@localhost: k#2Lq8;yTr,a');
  return 0;
}

/** Starts serving: ibtmp1, pid and socket files, the startup log. Returns false when the datadir cannot be served. */
export async function startServer(ctx: ProcessContext, o: ServerOptions, log: ServerLog): Promise<boolean> {
  const fs = ctx.fs;
  await log.line('Warning', 'TIMESTAMP with implicit DEFAULT value is deprecated. Please use --explicit_defaults_for_timestamp server option (see documentation for more details).');
  await log.line('Note', `mysqld (mysqld ${VERSION}) starting as process ${ctx.pid} ...`);
  if (!isInitialized(fs, o.datadir)) {
    await log.line('Note', 'InnoDB: PUNCH HOLE support available');
    await log.line('ERROR', "Fatal error: Can't open and lock privilege tables: Table 'mysql.user' doesn't exist");
    await log.line('ERROR', 'Aborting');
    return false;
  }
  for (const text of [
    'InnoDB: PUNCH HOLE support available',
    'InnoDB: Mutexes and rw_locks use GCC atomic builtins',
    'InnoDB: Uses event mutexes',
    'InnoDB: Compressed tables use zlib 1.2.13',
    'InnoDB: Using Linux native AIO',
    'InnoDB: Number of pools: 1',
    'InnoDB: Using CPU crc32 instructions',
    'InnoDB: Initializing buffer pool, total size = 128M, instances = 1, chunk size = 128M',
    'InnoDB: Completed initialization of buffer pool',
    'InnoDB: Highest supported file format is Barracuda.',
    'InnoDB: Creating shared tablespace for temporary tables',
    "InnoDB: Setting file './ibtmp1' size to 12 MB. Physically writing the file full; Please wait ...",
  ]) await log.line('Note', text);
  writeZeros(fs, `${o.datadir}/ibtmp1`, 12 * 1024 * 1024);
  if (ctx.user.uid === 0) chownTree(fs, `${o.datadir}/ibtmp1`);
  for (const text of [
    "InnoDB: File './ibtmp1' size is now 12 MB.",
    'InnoDB: 96 redo rollback segment(s) found. 96 redo rollback segment(s) are active.',
    'InnoDB: 32 non-redo rollback segment(s) are active.',
    'InnoDB: Waiting for purge to start',
    `InnoDB: ${VERSION} started; log sequence number 12219594`,
    `InnoDB: Loading buffer pool(s) from ${o.datadir}/ib_buffer_pool`,
    "Plugin 'FEDERATED' is disabled.",
    'Found ca.pem, server-cert.pem and server-key.pem in data directory. Trying to enable SSL support using them.',
    'Skipping generation of SSL certificates as certificate files are present in data directory.',
  ]) await log.line('Note', text);
  await log.line('Warning', 'CA certificate ca.pem is self signed.');
  await log.line('Note', 'Skipping generation of RSA key pair as key files are present in data directory.');
  await log.line('Note', "Server hostname (bind-address): '*'; port: 3306");
  await log.line('Note', 'IPv6 is available.');
  await log.line('Note', "  - '::' resolves to '::';");
  await log.line('Note', "Server socket created on IP: '::'.");
  const runDir = o.socket.slice(0, o.socket.lastIndexOf('/'));
  if (runDir && !fs.exists(runDir)) fs.mkdir(runDir, { recursive: true });
  fs.writeFile(o.pidFile, `${ctx.pid}\n`);
  fs.writeFile(o.socket, '', { mode: 0o777 });
  await log.line('Note', 'Event Scheduler: Loaded 0 events');
  await log.line('Note', 'mysqld: ready for connections.');
  await log.raw(`Version: '${VERSION}'  socket: '${o.socket}'  port: ${o.daemonize ? 0 : 3306}  MySQL Community Server (GPL)`);
  return true;
}

/** Orderly shutdown: the log, ib_buffer_pool written, ibtmp1 removed, the socket and pid files gone. */
export async function stopServer(ctx: ProcessContext, o: ServerOptions, log: ServerLog): Promise<void> {
  const fs = ctx.fs;
  for (const text of [
    'Giving 0 client threads a chance to die gracefully',
    'Shutting down slave threads',
    'Forcefully disconnecting 0 remaining clients',
    'Event Scheduler: Purging the queue. 0 events',
    'Binlog end',
    "Shutting down plugin 'ngram'",
    "Shutting down plugin 'InnoDB'",
    'InnoDB: FTS optimize thread exiting.',
    'InnoDB: Starting shutdown...',
    `InnoDB: Dumping buffer pool(s) to ${o.datadir}/ib_buffer_pool`,
    'InnoDB: Shutdown completed; log sequence number 12219622',
    'InnoDB: Removed temporary tablespace data file: "ibtmp1"',
    "Shutting down plugin 'MEMORY'",
    "Shutting down plugin 'binlog'",
    'mysqld: Shutdown complete',
  ]) {
    if (text.startsWith('InnoDB: Shutdown completed')) {
      fs.writeFile(`${o.datadir}/ib_buffer_pool`, bufferPoolDump(), { mode: 0o640 });
      if (ctx.user.uid === 0) chownTree(fs, `${o.datadir}/ib_buffer_pool`);
    }
    if (text.startsWith('InnoDB: Removed temporary')) fs.rm(`${o.datadir}/ibtmp1`, { force: true });
    await log.line('Note', text);
  }
  fs.rm(o.socket, { force: true });
  fs.rm(o.pidFile, { force: true });
  await log.raw('');
}

/** The pages InnoDB remembers across restarts: "space,page" lines. */
function bufferPoolDump(): string {
  let s = '';
  for (let page = 0; page < 160; page++) s += `${page < 80 ? 0 : 2},${page % 80}\n`;
  return s;
}

const STOP_SIGNALS: SignalName[] = ['TERM', 'INT', 'QUIT', 'HUP'];

export async function mysqldMain(ctx: ProcessContext): Promise<number> {
  const o = parseServerArgs(ctx.argv.slice(1));
  if (o.version) {
    await ctx.stdout.write(`mysqld  Ver ${VERSION} for Linux on x86_64 (MySQL Community Server (GPL))\n`);
    return 0;
  }
  if (o.help) {
    await ctx.stdout.write(`mysqld  Ver ${VERSION} for Linux on x86_64 (MySQL Community Server (GPL))\nCopyright (c) 2000, 2023, Oracle and/or its affiliates.\n\nStarts the MySQL database server.\n\nUsage: mysqld [OPTIONS]\n\nFor more help options (several pages), use mysqld --verbose --help.\n`);
    return 0;
  }
  const log = new ServerLog(ctx);
  if (o.initialize !== 'no') return initialize(ctx, o, log);
  let stop: (() => void) | null = null;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  for (const s of STOP_SIGNALS) ctx.signals.trap(s, () => stop?.());
  if (!(await startServer(ctx, o, log))) return 1;
  // --daemonize: the server "keeps running" as its socket and pid files; mysqladmin shutdown ends it.
  if (o.daemonize) return 0;
  const pidWatch = (async (): Promise<void> => {
    for (;;) {
      await ctx.clock.sleep(POLL_MS);
      if (!ctx.fs.tryStat(o.pidFile)) return;
    }
  })();
  await Promise.race([stopped, pidWatch, ctx.signals.wait()]);
  await stopServer(ctx, o, log);
  return 0;
}
