import { describe, expect, it } from 'vitest';
import { baseFs, run } from './helpers/run.js';

describe('file applets against the in-memory filesystem', () => {
  it('ls -l names owners from the container databases and prints busybox widths', async () => {
    const fs = baseFs();
    fs.put('/srv/app.txt', 'x'.repeat(1500), { uid: 1, gid: 10, mtimeMs: Date.UTC(2024, 0, 14, 8, 5) });
    const r = await run(['ls', '-l', '/srv'], { fs });
    expect(r.stdout).toBe('total 4\n-rw-r--r--    1 daemon   wheel         1500 Jan 14 08:05 app.txt\n');
    const h = await run(['ls', '-lh', '/srv/app.txt'], { fs });
    expect(h.stdout).toBe('-rw-r--r--    1 daemon   wheel       1.5K Jan 14 08:05 /srv/app.txt\n');
  });

  it('ls writes columns on a terminal and one name a line otherwise', async () => {
    const fs = baseFs();
    for (const n of ['alpha', 'beta', 'gamma', 'delta']) fs.put(`/c/${n}`, '');
    expect((await run(['ls', '/c'], { fs })).stdout).toBe('alpha\nbeta\ndelta\ngamma\n');
    expect((await run(['ls', '/c'], { fs, tty: true })).stdout).toBe('alpha  beta   delta  gamma\n');
    expect((await run(['ls', '/c'], { fs, tty: true, env: { COLUMNS: '14' } })).stdout).toBe('alpha  delta\nbeta   gamma\n');
  });

  it('touch, rm and mkdir report read-only mounts as busybox does', async () => {
    const { MemFs } = await import('./helpers/mem-fs.js');
    const fs = MemFs.create({ mounts: [{ target: '/', kind: 'overlay', source: 'overlay', readOnly: false, totalBytes: 1 << 30, freeBytes: 1 << 29 }] });
    fs.mkdir('/ro');
    fs.addMount({ target: '/ro', kind: 'bind', source: '/dev/sda1', readOnly: true, totalBytes: 1 << 30, freeBytes: 1 << 29 });
    expect((await run(['touch', '/ro/x'], { fs })).stderr).toBe('touch: /ro/x: Read-only file system\n');
    expect((await run(['mkdir', '/ro/d'], { fs })).stderr).toBe("mkdir: can't create directory '/ro/d': Read-only file system\n");
    const df = await run(['df', '/ro'], { fs });
    expect(df.stdout).toBe('Filesystem           1K-blocks      Used Available Use% Mounted on\n/dev/sda1              1048576    524288    524288  50% /ro\n');
    const mount = await run(['mount'], { fs });
    expect(mount.stdout).toBe('overlay on / type overlay (rw,relatime)\n/dev/sda1 on /ro type ext4 (ro,relatime)\n');
  });

  it('cat streams a large file in chunks and stops with SIGPIPE when the reader goes away', async () => {
    const fs = baseFs();
    fs.put('/big', Buffer.alloc(1_000_000, 97));
    const r = await run(['cat', '/big'], { fs, stdoutLimit: 100_000 });
    expect(r.status).toBe(141);
    expect(r.stdout.length).toBeLessThan(1_000_000);
  });

  it('gzip and gunzip round-trip a file, keeping its mode', async () => {
    const fs = baseFs();
    fs.put('/w/f.txt', 'hello '.repeat(1000), { mode: 0o600 });
    expect((await run(['gzip', '/w/f.txt'], { fs })).status).toBe(0);
    expect(fs.exists('/w/f.txt')).toBe(false);
    expect(fs.stat('/w/f.txt.gz').mode).toBe(0o600);
    const z = await run(['zcat', '/w/f.txt.gz'], { fs });
    expect(z.stdout).toBe('hello '.repeat(1000));
    expect((await run(['gunzip', '/w/f.txt.gz'], { fs })).status).toBe(0);
    expect(fs.readFile('/w/f.txt').toString()).toBe('hello '.repeat(1000));
  });

  it('id shows the groups Docker gives the user', async () => {
    const r = await run(['id'], { fs: baseFs() });
    expect(r.stdout).toBe('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
  });

  it('env and xargs run commands through spawn', async () => {
    const fs = baseFs();
    fs.put('/bin/echo', 'x', { mode: 0o755 });
    expect((await run(['env', '-i', 'A=1', 'echo', 'hi'], { fs })).stdout).toBe('hi\n');
    expect((await run(['xargs', '-n', '1', 'echo'], { fs, stdin: 'a b\n' })).stdout).toBe('a\nb\n');
    const e = await run(['env', 'nosuch'], { fs });
    expect(e.stderr).toBe("env: can't execute 'nosuch': No such file or directory\n");
    expect(e.status).toBe(127);
  });

  it('uname reports a Linux 5.x kernel and the container hostname', async () => {
    expect((await run(['uname', '-a'])).stdout).toBe('Linux c0ffee123456 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64 GNU/Linux\n');
    expect((await run(['hostname'])).stdout).toBe('c0ffee123456\n');
  });
});
