/**
 * The seed services end to end through the real CLI: mysql:5.7 with a named
 * volume and a client exec, nginx:latest behind its entrypoint's `exec "$@"`
 * (Up, exec, stop by TERM to PID 1), and ubuntu:18.04's dash and apt-get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempRoot, ensureBuilt } from '../../helpers/cli.js';

let root: TempRoot;
beforeAll(() => {
  ensureBuilt();
  root = new TempRoot('mydock-seeds-');
});
afterAll(() => {
  for (const name of ['db', 'web', 'tmptest']) root.run(['rm', '-f', name]);
  root.cleanup();
});

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('seed services', () => {
  it('mysql:5.7 initialises into a named volume and answers the client through exec', async () => {
    const run = root.run(['run', '-d', '--name', 'db', '-e', 'MYSQL_ROOT_PASSWORD=secret', '-v', 'data_volume:/var/lib/mysql', 'mysql:5.7']);
    expect(run.status).toBe(0);
    expect(root.run(['images', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}']).stdout).toContain('mysql:5.7 501MB');
    await until(() => root.run(['logs', 'db']).stdout.includes('MySQL init process done'));
    await until(() => /port: 3306/.test(root.run(['logs', 'db']).stderr));
    const sql = root.run(['exec', 'db', 'mysql', '-uroot', '-psecret', '-e', "CREATE DATABASE shop; USE shop; CREATE TABLE items (id INT, name VARCHAR(20)); INSERT INTO items VALUES (1, 'pen'); SELECT * FROM items;"]);
    expect(sql).toMatchObject({ status: 0, stdout: 'id\tname\n1\tpen\n', stderr: 'mysql: [Warning] Using a password on the command line interface can be insecure.\n' });
    expect(root.run(['ps', '--format', '{{.Names}} {{.Status}}']).stdout).toMatch(/^db Up /m);
    expect(root.run(['volume', 'ls', '-q']).stdout).toContain('data_volume');
  }, 120_000);

  it("nginx:latest: the entrypoint execs nginx as PID 1; exec works; stop sends the image's STOPSIGNAL (QUIT) to nginx", async () => {
    expect(root.run(['run', '-d', '--name', 'web', 'nginx:latest']).status).toBe(0);
    await until(() => root.run(['logs', 'web']).stderr.includes('start worker process'));
    const logs = root.run(['logs', 'web']);
    expect(logs.stdout).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    expect(logs.stderr).toContain('[notice] 1#1: nginx/1.25.3\n');
    expect(root.run(['exec', 'web', 'ls', '/var/log/nginx'])).toMatchObject({ status: 0, stdout: 'access.log\nerror.log\n' });
    expect(root.run(['ps', '--format', '{{.Names}} {{.Status}}']).stdout).toMatch(/^web Up /m);
    const t0 = Date.now();
    expect(root.run(['stop', 'web'])).toMatchObject({ status: 0, stdout: 'web\n' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(root.run(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'web']).stdout).toBe('exited 0\n');
    expect(root.run(['logs', 'web']).stderr).toContain('[notice] 1#1: signal 3 (SIGQUIT) received from 0, shutting down\n');
    expect(root.run(['logs', 'web']).stderr).toMatch(/\[notice\] 1#1: exit\n$/);

    expect(root.run(['run', '-d', '-it', '--name', 'tmptest', '--tmpfs', '/app', 'nginx:latest']).status).toBe(0);
    await until(() => root.run(['logs', 'tmptest']).stdout.includes('start worker process'));
    expect(root.run(['ps', '--format', '{{.Names}} {{.Status}}']).stdout).toMatch(/^tmptest Up /m);
    expect(root.run(['exec', 'tmptest', 'sh', '-c', 'echo hi > /app/x && cat /app/x'])).toMatchObject({ status: 0, stdout: 'hi\n' });
  }, 120_000);

  it("ubuntu:18.04: dash's not-found message and status, then apt-get install make", () => {
    expect(root.run(['pull', '-q', 'ubuntu:18.04']).status).toBe(0);
    expect(root.run(['run', '--rm', 'ubuntu:18.04', 'sh', '-c', 'make /app'])).toMatchObject({ status: 127, stderr: 'sh: 1: make: not found\n' });
    expect(root.run(['run', '--rm', 'ubuntu:18.04', '/bin/sh', '-c', 'make /app'])).toMatchObject({ status: 127, stderr: '/bin/sh: 1: make: not found\n' });
    const r = root.run(['run', '--rm', 'ubuntu:18.04', 'sh', '-c', 'apt-get update >/dev/null && apt-get install -y make >/dev/null && make --version']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['GNU Make 4.1', 'Built for x86_64-pc-linux-gnu']);
  }, 120_000);
});
