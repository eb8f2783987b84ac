/**
 * `nginx` as the nginx image runs it (`nginx -g 'daemon off;'`): reads the
 * few directives that matter here from /etc/nginx/nginx.conf (pid,
 * error_log, worker_processes, daemon), creates its temp directories under
 * /var/cache/nginx and the pid file (what `docker diff` shows of a running
 * nginx container), logs its startup notices to the error log — in the image
 * a symlink to /dev/stderr, so they reach `docker logs` — and serves until
 * TERM/INT (fast) or QUIT (graceful), or until `nginx -s stop|quit` removes
 * the pid file. Without `daemon off;` it "daemonizes": the foreground process
 * exits at once, and with it the container, as the real one would.
 */
import type { ProcessContext, SignalName } from '../../../process.js';

const CONF = '/etc/nginx/nginx.conf';
const POLL_MS = 500;
const SIGNAL_NUMBER: Partial<Record<SignalName, number>> = { HUP: 1, INT: 2, QUIT: 3, TERM: 15 };

interface Conf {
  pid: string;
  errorLog: string;
  workers: number;
  daemon: boolean;
  user: string;
}

function version(ctx: ProcessContext): string {
  return ctx.env.NGINX_VERSION ?? '1.25.3';
}

/** The directives this emulation honours, from the file and from -g. */
function readConf(text: string, global: string): Conf {
  const conf: Conf = { pid: '/var/run/nginx.pid', errorLog: '/var/log/nginx/error.log', workers: 1, daemon: true, user: 'nobody' };
  const body = `${text.replace(/#.*$/gm, '')}\n${global}`;
  // Only top-level directives: drop every {...} block.
  let top = body;
  for (let prev = ''; prev !== top; ) {
    prev = top;
    top = top.replace(/\{[^{}]*\}/g, ';');
  }
  for (const stmt of top.split(';')) {
    const [name, ...args] = stmt.trim().split(/\s+/);
    if (name === 'pid' && args[0]) conf.pid = args[0];
    else if (name === 'error_log' && args[0]) conf.errorLog = args[0];
    else if (name === 'worker_processes' && args[0]) conf.workers = args[0] === 'auto' ? 2 : Math.max(1, Number(args[0]) || 1);
    else if (name === 'daemon' && args[0]) conf.daemon = args[0] !== 'off';
    else if (name === 'user' && args[0]) conf.user = args[0];
  }
  return conf;
}

/** nginx's log time: "2024/01/15 12:00:00" (UTC in a container). */
function logTime(ms: number): string {
  return new Date(ms).toISOString().replace(/-/g, '/').replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

class ErrorLog {
  constructor(
    private readonly ctx: ProcessContext,
    private readonly path: string,
  ) {}
  async notice(pid: number, text: string): Promise<void> {
    const line = `${logTime(this.ctx.clock.now())} [notice] ${pid}#${pid}: ${text}\n`;
    try {
      // Through the filesystem: in the image the log is a symlink to /dev/stderr.
      this.ctx.fs.writeFile(this.path, line, { append: true });
    } catch {
      await this.ctx.stderr.write(line);
    }
  }
}

async function emerg(ctx: ProcessContext, text: string, status = 1): Promise<number> {
  await ctx.stderr.write(`nginx: [emerg] ${text}\n`);
  return status;
}

function readConfFile(ctx: ProcessContext, path: string): string | null {
  try {
    return ctx.fs.readFile(path).toString('utf8');
  } catch {
    return null;
  }
}

export async function nginxMain(ctx: ProcessContext): Promise<number> {
  let global = '';
  let confPath = CONF;
  let test = false;
  let signal: string | null = null;
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-v') {
      await ctx.stderr.write(`nginx version: nginx/${version(ctx)}\n`);
      return 0;
    }
    if (a === '-V') {
      await ctx.stderr.write(`nginx version: nginx/${version(ctx)}\nbuilt by gcc 12.2.0 (Debian 12.2.0-14) \nbuilt with OpenSSL 3.0.9 30 May 2023 (running with OpenSSL 3.0.11 19 Sep 2023)\nTLS SNI support enabled\nconfigure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid --lock-path=/var/run/nginx.lock --http-client-body-temp-path=/var/cache/nginx/client_temp --http-proxy-temp-path=/var/cache/nginx/proxy_temp --http-fastcgi-temp-path=/var/cache/nginx/fastcgi_temp --http-uwsgi-temp-path=/var/cache/nginx/uwsgi_temp --http-scgi-temp-path=/var/cache/nginx/scgi_temp --user=nginx --group=nginx --with-compat --with-file-aio --with-threads --with-http_ssl_module --with-http_v2_module --with-stream\n`);
      return 0;
    }
    if (a === '-t' || a === '-T') test = true;
    else if (a === '-g') global = args[++i] ?? '';
    else if (a === '-c') confPath = args[++i] ?? CONF;
    else if (a === '-s') signal = args[++i] ?? '';
    else if (a === '-q' || a === '-p' || a === '-e') {
      if (a !== '-q') i++;
    } else return emerg(ctx, `invalid option: "${a.replace(/^-/, '')}"`);
  }
  const text = readConfFile(ctx, confPath);
  if (text === null) {
    await ctx.stderr.write(`nginx: [emerg] open() "${confPath}" failed (2: No such file or directory)\n`);
    if (test) await ctx.stderr.write(`nginx: configuration file ${confPath} test failed\n`);
    return 1;
  }
  const conf = readConf(text, global);
  if (test) {
    await ctx.stderr.write(`nginx: the configuration file ${confPath} syntax is ok\nnginx: configuration file ${confPath} test is successful\n`);
    return 0;
  }
  if (signal !== null) return sendSignal(ctx, conf, signal);
  return serve(ctx, conf);
}

/** `nginx -s stop|quit|reload|reopen`: the running master is found through its pid file. */
async function sendSignal(ctx: ProcessContext, conf: Conf, signal: string): Promise<number> {
  if (!['stop', 'quit', 'reopen', 'reload'].includes(signal)) return emerg(ctx, `invalid option: "-s ${signal}"`);
  const pid = ctx.fs.tryStat(conf.pid) ? ctx.fs.readFile(conf.pid).toString().trim() : '';
  if (pid === '') {
    await ctx.stderr.write(`${logTime(ctx.clock.now())} [error] ${ctx.pid}#${ctx.pid}: open() "${conf.pid}" failed (2: No such file or directory)\nnginx: [error] open() "${conf.pid}" failed (2: No such file or directory)\n`);
    return 1;
  }
  await new ErrorLog(ctx, conf.errorLog).notice(ctx.pid, `signal process started`);
  // The master watches its pid file: removing it asks it to stop.
  if (signal === 'stop' || signal === 'quit') ctx.fs.rm(conf.pid, { force: true });
  return 0;
}

async function serve(ctx: ProcessContext, conf: Conf): Promise<number> {
  const fs = ctx.fs;
  const log = new ErrorLog(ctx, conf.errorLog);
  const pid = ctx.pid;
  for (const d of ['client_temp', 'proxy_temp', 'fastcgi_temp', 'uwsgi_temp', 'scgi_temp']) {
    const path = `/var/cache/nginx/${d}`;
    if (!fs.exists(path)) {
      fs.mkdir(path, { recursive: true, mode: 0o700 });
      if (ctx.user.uid === 0) fs.chown(path, 101, 0);
    }
  }
  await log.notice(pid, 'using the "epoll" event method');
  await log.notice(pid, `nginx/${version(ctx)}`);
  await log.notice(pid, 'built by gcc 12.2.0 (Debian 12.2.0-14) ');
  await log.notice(pid, 'OS: Linux 6.1.0-18-amd64');
  await log.notice(pid, 'getrlimit(RLIMIT_NOFILE): 1048576:1048576');
  fs.writeFile(conf.pid, `${pid}\n`);
  if (conf.daemon) return 0;
  await log.notice(pid, 'start worker processes');
  const workers = Array.from({ length: conf.workers }, (_, i) => pid + 28 + i);
  for (const w of workers) await log.notice(pid, `start worker process ${w}`);

  let received: SignalName | null = null;
  let wake: (() => void) | null = null;
  const signalled = new Promise<void>((resolve) => (wake = resolve));
  for (const s of ['TERM', 'INT', 'QUIT'] as const) {
    ctx.signals.trap(s, (sig) => {
      received = sig;
      wake?.();
    });
  }
  ctx.signals.trap('HUP', () => void log.notice(pid, 'signal 1 (SIGHUP) received from 0, reconfiguring'));
  const pidGone = (async (): Promise<void> => {
    for (;;) {
      await ctx.clock.sleep(POLL_MS);
      if (!fs.tryStat(conf.pid)) return;
    }
  })();
  await Promise.race([signalled, pidGone, ctx.signals.wait()]);
  const sig = received as SignalName | null;
  const graceful = sig === null || sig === 'QUIT';
  if (sig !== null) await log.notice(pid, `signal ${SIGNAL_NUMBER[sig]} (SIG${sig}) received from 0, ${graceful ? 'shutting down' : 'exiting'}`);
  for (const w of workers) {
    if (graceful) await log.notice(w, 'gracefully shutting down');
    await log.notice(w, 'exiting');
    await log.notice(w, 'exit');
  }
  for (const w of workers) {
    await log.notice(pid, `signal 17 (SIGCHLD) received from ${w}`);
    await log.notice(pid, `worker process ${w} exited with code 0`);
  }
  await log.notice(pid, 'exit');
  fs.rm(conf.pid, { force: true });
  return 0;
}
