/**
 * The official mysql:5.7 image's `docker-entrypoint.sh`, as a program (the
 * real one is a bash script using arrays and process substitution, which the
 * emulated POSIX shell does not run). Same steps, same messages:
 *
 *   on an empty datadir: refuse without a password variable (the real error
 *   text), else `mysqld --initialize-insecure`, a temporary server, the root
 *   password, MYSQL_DATABASE / MYSQL_USER, stop; then in every case `exec
 *   mysqld` (the server runs as this same process, so `docker stop` reaches it).
 */
import type { ProcessContext } from '../../../process.js';
import { seededBytes } from '../../packages/contents.js';
import { chownTree, DATADIR, isInitialized, setUser, SOCKET } from './datadir.js';
import { initialize, mysqldMain, parseServerArgs, ServerLog, startServer, stopServer } from './server.js';
import { Session } from './session.js';

/** `date --rfc-3339=seconds` in UTC. */
function entrypointTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00:00');
}

export async function mysqlEntrypoint(ctx: ProcessContext): Promise<number> {
  let args = ctx.argv.slice(1);
  if (args[0]?.startsWith('-')) args = ['mysqld', ...args];
  const wantsHelp = args.some((a) => ['-?', '--help', '--print-defaults', '-V', '--version'].includes(a));
  if (args[0] !== 'mysqld' || wantsHelp) return execArgs(ctx, args);

  const note = (text: string): Promise<void> => ctx.stdout.write(`${entrypointTime(ctx.clock.now())} [Note] [Entrypoint]: ${text}\n`);
  const error = async (text: string): Promise<number> => {
    await ctx.stderr.write(`${entrypointTime(ctx.clock.now())} [ERROR] [Entrypoint]: ${text}\n`);
    return 1;
  };
  const env = ctx.env;
  const version = env.MYSQL_VERSION ?? '5.7.44-1.el7';
  await note(`Entrypoint script for MySQL Server ${version} started.`);
  const fs = ctx.fs;
  if (!fs.exists(DATADIR)) fs.mkdir(DATADIR, { recursive: true });
  if (ctx.user.uid === 0) {
    chownTree(fs, DATADIR);
    if (!fs.exists('/var/run/mysqld')) fs.mkdir('/var/run/mysqld', { recursive: true });
    chownTree(fs, '/var/run/mysqld');
    // The real script re-runs itself through gosu as the mysql user; it starts over.
    await note("Switching to dedicated user 'mysql'");
    await note(`Entrypoint script for MySQL Server ${version} started.`);
  }
  if (!isInitialized(fs)) {
    if (!env.MYSQL_ROOT_PASSWORD && !env.MYSQL_ALLOW_EMPTY_PASSWORD && !env.MYSQL_RANDOM_ROOT_PASSWORD) {
      return error('Database is uninitialized and password option is not specified\n\tYou need to specify one of the following as an environment variable:\n\t- MYSQL_ROOT_PASSWORD\n\t- MYSQL_ALLOW_EMPTY_PASSWORD\n\t- MYSQL_RANDOM_ROOT_PASSWORD');
    }
    if (env.MYSQL_USER === 'root') {
      return error('MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user\n\tRemove MYSQL_USER="root" and use one of the following to control the root user password:\n\t- MYSQL_ROOT_PASSWORD\n\t- MYSQL_ALLOW_EMPTY_PASSWORD\n\t- MYSQL_RANDOM_ROOT_PASSWORD');
    }
    const log = new ServerLog(ctx);
    const server = parseServerArgs([...args.slice(1), '--initialize-insecure']);
    await note('Initializing database files');
    if ((await initialize(ctx, server, log)) !== 0) return 1;
    await note('Database files initialized');
    await note('Starting temporary server');
    const temp = { ...server, initialize: 'no' as const, daemonize: true };
    await note('Waiting for server startup');
    if (!(await startServer(ctx, temp, log))) return error('Unable to start server.');
    await note('Temporary server started.');
    if (!fs.tryLstat(`${DATADIR}/mysql.sock`)) {
      fs.symlink(SOCKET, `${DATADIR}/mysql.sock`);
      await ctx.stdout.write(`'${DATADIR}/mysql.sock' -> '${SOCKET}'\n`);
    }
    for (const f of ['iso3166.tab', 'leap-seconds.list', 'zone.tab', 'zone1970.tab']) await ctx.stderr.write(`Warning: Unable to load '/usr/share/zoneinfo/${f}' as time zone. Skipping it.\n`);
    let rootPassword = env.MYSQL_ROOT_PASSWORD ?? '';
    if (env.MYSQL_RANDOM_ROOT_PASSWORD) {
      rootPassword = seededBytes(`${ctx.container.id}/root`, 18).toString('base64');
      await note(`GENERATED ROOT PASSWORD: ${rootPassword}`);
    }
    setUser(fs, { user: 'root', host: 'localhost', password: rootPassword });
    if (rootPassword !== '' || env.MYSQL_ALLOW_EMPTY_PASSWORD) setUser(fs, { user: 'root', host: '%', password: rootPassword });
    const session = new Session(fs, null, 'root');
    if (env.MYSQL_DATABASE) {
      await note(`Creating database ${env.MYSQL_DATABASE}`);
      session.execute({ kind: 'create-db', name: env.MYSQL_DATABASE, ifNotExists: true });
    }
    if (env.MYSQL_USER && env.MYSQL_PASSWORD) {
      await note(`Creating user ${env.MYSQL_USER}`);
      setUser(fs, { user: env.MYSQL_USER, host: '%', password: env.MYSQL_PASSWORD });
      if (env.MYSQL_DATABASE) await note(`Giving user ${env.MYSQL_USER} access to schema ${env.MYSQL_DATABASE}`);
    }
    await note('Stopping temporary server');
    await stopServer(ctx, temp, log);
    await note('Temporary server stopped');
    await ctx.stdout.write('\n');
    await note('MySQL init process done. Ready for start up.');
    await ctx.stdout.write('\n');
    if (ctx.user.uid === 0) chownTree(fs, DATADIR);
  }
  return mysqldMain({ ...ctx, argv: args });
}

/** `exec "$@"`: a program run as this same process (its signals, its pid), else by PATH lookup. */
async function execArgs(ctx: ProcessContext, args: string[]): Promise<number> {
  if (args.length === 0) return 0;
  if (args[0] === 'mysqld') return mysqldMain({ ...ctx, argv: args });
  return ctx.spawn(args);
}

/** `gosu USER COMMAND...`: runs COMMAND (user switching is not emulated: files are chowned instead). */
export async function gosuMain(ctx: ProcessContext): Promise<number> {
  const [user, ...command] = ctx.argv.slice(1);
  if (user === undefined || command.length === 0) {
    await ctx.stderr.write('Usage: gosu user-spec command [args]\n   eg: gosu tianon bash\n       gosu nobody:root bash -c \'whoami && id\'\n       gosu 1000:1 id\n\ngosu version: 1.16 (go1.19.10 on linux/amd64; gc)\nlicense: Apache-2.0 (full text at https://github.com/tianon/gosu)\n\n');
    return 1;
  }
  if (command[0] === 'mysqld' || command[0]?.endsWith('/mysqld')) return mysqldMain({ ...ctx, argv: command });
  return ctx.spawn(command);
}
