/**
 * tmpfs mounts live as long as the container runs: every process in it
 * (the main program, each exec) sees the same files, a restart empties
 * them, and they are noexec unless `--tmpfs PATH:exec`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('tmpfs mounts', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
  });
  afterAll(() => cleanup(root));

  it('are shared by the execs of a running container and emptied by a restart', () => {
    mydock(root, ['run', '-d', '--name', 'tr', '--tmpfs', '/app', 'bbase:1', 'sleep', '600']);
    try {
      mydock(root, ['exec', 'tr', 'sh', '-c', 'echo t > /app/t']);
      expect(mydock(root, ['exec', 'tr', 'ls', '/app']).stdout).toBe('t\n');
      mydock(root, ['restart', '-t', '0', 'tr']);
      expect(mydock(root, ['exec', 'tr', 'ls', '-A', '/app'])).toMatchObject({ stdout: '', status: 0 });
    } finally {
      mydock(root, ['rm', '-f', 'tr']);
    }
  });

  it('are noexec unless the exec option is given', () => {
    expect(mydock(root, ['run', '--rm', '--tmpfs', '/newdir', 'bbase:1', 'sh', '-c', 'cp /bin/busybox /newdir/true && /newdir/true'])).toMatchObject({
      stderr: 'sh: /newdir/true: Permission denied\n',
      status: 126,
    });
    expect(mydock(root, ['run', '--rm', '--tmpfs', '/newdir:exec', 'bbase:1', 'sh', '-c', 'cp /bin/busybox /newdir/echo && /newdir/echo ok'])).toMatchObject({
      stdout: 'ok\n',
      status: 0,
    });
    expect(mydock(root, ['run', '--rm', '--tmpfs', '/newdir:exec', 'bbase:1', 'cat', '/proc/mounts']).stdout).toContain(
      'tmpfs /newdir tmpfs rw,nosuid,nodev,relatime,inode64 0 0\n',
    );
  });
});
