import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost } from '../packages/container.js';

let host: TestHost;
beforeAll(() => {
  host = new TestHost();
});
afterAll(() => host.dispose());

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error('timed out');
}

const ENV = { NGINX_VERSION: '1.25.3' };

describe('nginx:latest', () => {
  it('the image’s entrypoint and `nginx -g "daemon off;"`: notices on stderr, pid file, temp dirs; QUIT stops it', async () => {
    const c = await host.container('nginx');
    const s = await c.start(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'], { env: ENV });
    await until(() => s.stderr.text().includes('start worker process'));
    // The image's own shell script runs first (its /docker-entrypoint.d/ scan needs busybox find's -quit).
    expect(s.stdout.text()).toMatch(/\/docker-entrypoint\.sh: (Configuration complete; ready for start up|No files found in \/docker-entrypoint\.d\/, skipping configuration)\n/);
    // The master's pid (1 when the shell's `exec` keeps it, as in Docker).
    const pid = c.fs.readFile('/var/run/nginx.pid').toString().trim();
    expect(pid).toMatch(/^\d+$/);
    expect(s.stderr.text()).toMatch(new RegExp(`^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[notice\\] ${pid}#${pid}: using the "epoll" event method\n`, 'm'));
    expect(s.stderr.text()).toContain(`[notice] ${pid}#${pid}: nginx/1.25.3\n`);
    const changes = c.driver.changes(c.id).map((x) => `${x.kind} ${x.path}`);
    expect(changes).toEqual(expect.arrayContaining(['A /run/nginx.pid', 'A /var/cache/nginx/client_temp']));
    // `nginx -s quit` reaches the master through its pid file.
    expect((await c.run(['nginx', '-s', 'quit'])).status).toBe(0);
    expect(await s.exited).toBe(0);
    expect(s.stderr.text()).toMatch(new RegExp(`\\[notice\\] ${pid}#${pid}: exit\n$`));
    expect(c.fs.exists('/var/run/nginx.pid')).toBe(false);
  });

  it('as the main process itself: QUIT shuts it down gracefully, TERM fast', async () => {
    for (const [sig, text] of [['QUIT', 'signal 3 (SIGQUIT) received from 0, shutting down'], ['TERM', 'signal 15 (SIGTERM) received from 0, exiting']] as const) {
      const c = await host.container('nginx');
      const s = await c.start(['nginx', '-g', 'daemon off;'], { env: ENV });
      await until(() => s.stderr.text().includes('start worker process'));
      expect(c.fs.readFile('/var/run/nginx.pid').toString()).toBe('1\n');
      s.signal(sig);
      expect(await s.exited).toBe(0);
      expect(s.stderr.text()).toContain(`[notice] 1#1: ${text}\n`);
      expect(s.stderr.text()).toMatch(/\[notice\] 1#1: exit\n$/);
      expect(c.fs.exists('/var/run/nginx.pid')).toBe(false);
    }
  });

  it('-v, -t, and a daemonizing nginx that returns at once', async () => {
    const c = await host.container('nginx');
    expect(await c.run(['nginx', '-v'], { env: ENV })).toEqual({ stdout: '', stderr: 'nginx version: nginx/1.25.3\n', status: 0 });
    expect(await c.run(['nginx', '-t'])).toEqual({
      stdout: '',
      stderr: 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n',
      status: 0,
    });
    const d = await c.run(['nginx']);
    expect(d.status).toBe(0);
    const t = await c.run(['nginx', '-c', '/nope.conf', '-t']);
    expect(t.stderr).toBe('nginx: [emerg] open() "/nope.conf" failed (2: No such file or directory)\nnginx: configuration file /nope.conf test failed\n');
    expect(t.status).toBe(1);
  });
});
