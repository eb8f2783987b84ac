import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSize, TestHost } from './container.js';

let host: TestHost;
beforeAll(() => {
  host = new TestHost();
});
afterAll(() => host.dispose());

describe('apk on the alpine image', () => {
  it('`apk add --no-cache bash` makes a 2.24MB layer, as in the seed', async () => {
    const c = await host.container('alpine');
    const r = await c.run(['/bin/sh', '-c', 'apk add --no-cache bash']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'fetch https://dl-cdn.alpinelinux.org/alpine/v3.17/main/x86_64/APKINDEX.tar.gz',
        'fetch https://dl-cdn.alpinelinux.org/alpine/v3.17/community/x86_64/APKINDEX.tar.gz',
        '(1/4) Installing ncurses-terminfo-base (6.3_p20221119-r0)',
        '(2/4) Installing ncurses-libs (6.3_p20221119-r0)',
        '(3/4) Installing readline (8.2.0-r0)',
        '(4/4) Installing bash (5.2.15-r0)',
        '  Executing bash-5.2.15-r0.post-install',
        'Executing busybox-1.35.0-r29.trigger',
        'OK: 8 MiB in 18 packages',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
    expect(c.size()).toBe(2_240_000);
    expect(dockerSize(c.size())).toBe('2.24MB');
    expect(c.driver.changes(c.id).map((x) => `${x.kind} ${x.path}`)).not.toContain('A /var/cache/apk/');
  });
});

describe('apk commands', () => {
  it('what the bash layer holds: the packages, the db rewritten, /etc/shells, no index cache', async () => {
    const c = await host.container('alpine');
    await c.run(['apk', 'add', '--no-cache', 'bash']);
    const changes = c.driver.changes(c.id).map((x) => `${x.kind} ${x.path}`);
    expect(changes).toEqual(expect.arrayContaining(['A /bin/bash', 'C /etc/shells', 'C /lib/apk/db/installed', 'C /etc/apk/world', 'A /usr/lib/libreadline.so.8.2', 'A /etc/terminfo/x/xterm']));
    expect(changes.some((x) => x.includes('/var/cache/apk/'))).toBe(false);
    expect(c.fs.readFile('/etc/shells').toString()).toBe('# valid login shells\n/bin/sh\n/bin/ash\n/bin/bash\n');
    const db = c.fs.readFile('/lib/apk/db/installed').toString();
    expect(db).toContain('P:bash\nV:5.2.15-r0\nA:x86_64\n');
    expect(db).toMatch(/F:bin\nR:bash\na:0:0:755\nZ:Q1[A-Za-z0-9+/]{27}=\n/);
    expect(c.fs.readFile('/etc/apk/world').toString()).toContain('\nbash\n');
    // The installed shell runs.
    const r = await c.run(['bash', '-c', 'echo "hello from $0"']);
    expect(r).toEqual({ stdout: 'hello from bash\n', stderr: '', status: 0 });
  });

  it('without an index (no update, no --no-cache) nothing can be selected, as in a fresh alpine container', async () => {
    const c = await host.container('alpine');
    const r = await c.run(['apk', 'add', 'bash']);
    expect(r.stderr).toBe(
      'WARNING: Ignoring https://dl-cdn.alpinelinux.org/alpine/v3.17/main: No such file or directory\n' +
        'WARNING: Ignoring https://dl-cdn.alpinelinux.org/alpine/v3.17/community: No such file or directory\n' +
        'ERROR: unable to select packages:\n  bash (no such package):\n    required by: world[bash]\n',
    );
    expect(r.status).toBe(1);
    expect(c.size()).toBe(0);
  });

  it('an unknown package fails with status 1 and changes nothing', async () => {
    const c = await host.container('alpine');
    const r = await c.run(['apk', 'add', '--no-cache', 'nosuch']);
    expect(r.stderr).toBe('ERROR: unable to select packages:\n  nosuch (no such package):\n    required by: world[nosuch]\n');
    expect(r.status).toBe(1);
    expect(c.size()).toBe(0);
  });

  it('update keeps the indexes in /var/cache/apk (the layer grows by them), then add uses them', async () => {
    const c = await host.container('alpine');
    const u = await c.run(['apk', 'update']);
    expect(u.stdout).toBe(
      'fetch https://dl-cdn.alpinelinux.org/alpine/v3.17/main/x86_64/APKINDEX.tar.gz\n' +
        'fetch https://dl-cdn.alpinelinux.org/alpine/v3.17/community/x86_64/APKINDEX.tar.gz\n' +
        'v3.17.2-137-g2db1fe6e6b3 [https://dl-cdn.alpinelinux.org/alpine/v3.17/main]\n' +
        'v3.17.2-136-g6f4f1ebab59 [https://dl-cdn.alpinelinux.org/alpine/v3.17/community]\n' +
        'OK: 17815 distinct packages available\n',
    );
    expect(c.fs.readdir('/var/cache/apk').filter((n) => n.startsWith('APKINDEX.')).length).toBe(2);
    const r = await c.run(['apk', 'add', 'make']);
    expect(r.stdout).toBe('(1/1) Installing make (4.3-r1)\nExecuting busybox-1.35.0-r29.trigger\nOK: 6 MiB in 15 packages\n');
    expect(c.size()).toBeGreaterThan(2_682_549);
  });

  it('del purges the package and the dependencies nothing else needs', async () => {
    const c = await host.container('alpine');
    await c.run(['apk', 'add', '--no-cache', 'bash']);
    const r = await c.run(['apk', 'del', 'bash']);
    expect(r.stdout).toBe(
      [
        '(1/4) Purging bash (5.2.15-r0)',
        '  Executing bash-5.2.15-r0.pre-deinstall',
        '(2/4) Purging readline (8.2.0-r0)',
        '(3/4) Purging ncurses-libs (6.3_p20221119-r0)',
        '(4/4) Purging ncurses-terminfo-base (6.3_p20221119-r0)',
        'Executing busybox-1.35.0-r29.trigger',
        'OK: 6 MiB in 14 packages',
        '',
      ].join('\n'),
    );
    expect(c.fs.exists('/bin/bash')).toBe(false);
    expect(c.fs.readFile('/etc/shells').toString()).toBe('# valid login shells\n/bin/sh\n/bin/ash\n');
  });

  it('info lists and describes installed packages', async () => {
    const c = await host.container('alpine');
    const r = await c.run(['apk', 'info']);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['musl', 'busybox', 'alpine-baselayout']);
    const d = await c.run(['apk', 'info', 'busybox']);
    expect(d.stdout).toContain('busybox-1.35.0-r29 description:\nSize optimized toolbox of many common UNIX utilities\n');
  });

  it('dependencies pulled in for curl, and the tool it installs runs offline', async () => {
    const c = await host.container('alpine');
    const r = await c.run(['apk', 'add', '--no-cache', 'curl']);
    expect(r.stdout).toContain('(1/5) Installing ca-certificates (20220614-r4)');
    expect(r.stdout).toContain('(5/5) Installing curl (7.88.1-r0)');
    expect(r.stdout).toContain('Executing ca-certificates-20220614-r4.trigger');
  });
});
