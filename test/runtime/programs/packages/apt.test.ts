import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost } from './container.js';

let host: TestHost;
beforeAll(() => {
  host = new TestHost();
});
afterAll(() => host.dispose());

describe('apt-get on ubuntu:18.04', () => {
  it('install before update cannot locate anything (status 100), as a fresh image', async () => {
    const c = await host.container('ubuntu', '18.04');
    const r = await c.run(['apt-get', 'install', '-y', 'make']);
    expect(r).toEqual({ stdout: 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n', stderr: 'E: Unable to locate package make\n', status: 100 });
  });

  it('update, install make (the seed’s RUN make /app), dpkg -l, remove', async () => {
    const c = await host.container('ubuntu', '18.04');
    const u = await c.run(['apt-get', 'update']);
    expect(u.status).toBe(0);
    expect(u.stdout).toMatch(/^Get:1 http:\/\/archive\.ubuntu\.com\/ubuntu bionic InRelease \[242 kB\]\n/);
    expect(u.stdout).toMatch(/Fetched [\d.]+ MB in 4s .*\nReading package lists...\n$/);
    expect(c.size()).toBeGreaterThan(30_000_000);
    const i = await c.run(['apt-get', 'install', '-y', 'make']);
    expect(i.stdout).toContain('The following NEW packages will be installed:\n  make\n0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\n');
    expect(i.stdout).toContain('Unpacking make (4.1-9.1ubuntu1) ...\nSetting up make (4.1-9.1ubuntu1) ...\n');
    expect(i.status).toBe(0);
    c.fs.mkdir('/app');
    expect(await c.run(['make', '/app'])).toEqual({ stdout: "make: Nothing to be done for '/app'.\n", stderr: '', status: 0 });
    c.fs.writeFile('/app/Makefile', 'all: hello\n\nhello:\n\techo built > /app/out.txt\n\t@echo done\n');
    const m = await c.run(['make', '-C', '/app']);
    expect(m).toEqual({ stdout: 'echo built > /app/out.txt\ndone\n', stderr: '', status: 0 });
    const l = await c.run(['dpkg', '-l']);
    expect(l.stdout).toContain('ii  make           4.1-9.1ubuntu1  amd64        utility for directing compilation\n');
    // Patterns are fnmatch(3)'s: brackets are classes, as in dpkg-query.
    expect((await c.run(['dpkg', '-l', '[lm]ak?'])).stdout).toContain('ii  make ');
    expect(await c.run(['dpkg', '-l', '[!m]ake'])).toMatchObject({ stderr: 'dpkg-query: no packages found matching [!m]ake\n', status: 1 });
    const r = await c.run(['apt-get', 'remove', '-y', 'make']);
    expect(r.stdout).toContain('Removing make (4.1-9.1ubuntu1) ...\n');
    expect(c.fs.exists('/usr/bin/make')).toBe(false);
  });

  it('without -y, extra packages need a yes: a non-terminal stdin aborts', async () => {
    const c = await host.container('ubuntu', '18.04');
    await c.run(['apt-get', 'update']);
    const r = await c.run(['apt-get', 'install', 'curl']);
    expect(r.stdout).toContain('The following additional packages will be installed:\n');
    expect(r.stdout).toMatch(/Do you want to continue\? \[Y\/n\] Abort\.\n$/);
    expect(r.status).toBe(1);
    const u = await c.run(['apt-get', 'install', '-y', 'nosuch']);
    expect(u.stderr).toBe('E: Unable to locate package nosuch\n');
    expect(u.status).toBe(100);
  });
});

describe('tools that packages install', () => {
  it('curl offline, python3 -c, git', async () => {
    const c = await host.container('alpine');
    await c.run(['apk', 'add', '--no-cache', 'curl', 'python3', 'git']);
    expect(await c.run(['curl', 'https://example.com/x'])).toEqual({ stdout: '', stderr: 'curl: (6) Could not resolve host: example.com\n', status: 6 });
    expect(await c.run(['python3', '-c', 'print(1)'])).toEqual({ stdout: '1\n', stderr: '', status: 0 });
    expect((await c.run(['python3', '-c', 'print("a", 6 * 7)'])).stdout).toBe('a 42\n');
    expect((await c.run(['git', '--version'])).stdout).toBe('git version 2.38.4\n');
    expect((await c.run(['git', 'init', '/src'])).stdout).toBe('Initialized empty Git repository in /src/.git/\n');
  });
});
