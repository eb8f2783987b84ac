/** commit, cp, top, logs, ps --format/filters and the attached streams, against the built binary. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('looking into containers', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
  });
  afterAll(() => cleanup(root));

  it('feeds piped stdin to the program with -i, and not without', () => {
    expect(mydock(root, ['run', '--rm', '-i', 'bbase:1', 'sh'], 'echo from stdin\nexit 4\n')).toMatchObject({ stdout: 'from stdin\n', status: 4 });
    expect(mydock(root, ['run', '--rm', 'bbase:1', 'cat'], 'ignored\n')).toMatchObject({ stdout: '', status: 0 });
  });

  it('commits the writable layer with the command as CREATED BY', () => {
    mydock(root, ['run', '--name', 'src1', 'bbase:1', 'sh', '-c', 'printf hello > /out.txt']);
    const r = mydock(root, ['commit', '-m', 'my msg', '-c', 'CMD ["cat","/out.txt"]', '-c', 'ENV A=1', 'src1', 'made:1']);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(mydock(root, ['run', '--rm', 'made:1'])).toMatchObject({ stdout: 'hello', status: 0 });
    expect(mydock(root, ['run', '--rm', 'made:1', 'env']).stdout).toContain('A=1\n');
  });

  it('copies both ways through the container view', () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(root), 'cp-'));
    mydock(root, ['run', '--name', 'cp1', 'bbase:1', 'sh', '-c', 'mkdir -p /d/e && printf abc > /d/e/f && ln -s /d/e/f /lnk']);
    expect(mydock(root, ['cp', 'cp1:/d', dir]).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'd/e/f'), 'utf8')).toBe('abc');
    mydock(root, ['cp', 'cp1:/lnk', path.join(dir, 'link')]);
    expect(fs.readlinkSync(path.join(dir, 'link'))).toBe('/d/e/f');
    mydock(root, ['cp', '-L', 'cp1:/lnk', path.join(dir, 'followed')]);
    expect(fs.readFileSync(path.join(dir, 'followed'), 'utf8')).toBe('abc');
    fs.writeFileSync(path.join(dir, 'host.txt'), 'from host');
    expect(mydock(root, ['cp', path.join(dir, 'host.txt'), 'cp1:/root/'])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(mydock(root, ['diff', 'cp1']).stdout).toContain('A /root/host.txt\n');
    expect(mydock(root, ['cp', 'cp1:/nosuch', dir])).toMatchObject({ status: 1, stderr: 'Error response from daemon: Could not find the file /nosuch in container cp1\n' });
    const listing = spawnSync('sh', ['-c', `node ${JSON.stringify(BIN)} --root ${JSON.stringify(root)} cp cp1:/d - | tar -tf -`], { encoding: 'utf8' });
    expect(listing.stdout).toBe('d/\nd/e/\nd/e/f\n');
  });

  it('lists processes with top and filters ps', () => {
    mydock(root, ['run', '-d', '--name', 'top1', '-l', 'team=a', 'bbase:1', 'sleep', '600']);
    const top = mydock(root, ['top', 'top1']).stdout.split('\n');
    expect(top[0]).toMatch(/^UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
    expect(top[1]).toMatch(/^root +\d+ +\d+ +0 +\d\d:\d\d +\? +00:00:00 +sleep 600$/);
    expect(mydock(root, ['ps', '--filter', 'label=team=a', '--format', '{{.Names}} {{.Label "team"}} {{.State}}']).stdout).toBe('top1 a running\n');
    expect(mydock(root, ['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}}']).stdout.split('\n')).toContain('src1');
    expect(mydock(root, ['ps', '--filter', 'bogus=1']).stderr).toBe("Error response from daemon: Invalid filter 'bogus'\n");
    expect(mydock(root, ['ps', '-a', '-n', '1', '--format', '{{.Names}}']).stdout).toBe('top1\n');
    expect(mydock(root, ['rm', '-f', 'top1']).stdout).toBe('top1\n');
  });
});
