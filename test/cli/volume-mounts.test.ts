/**
 * Volumes as containers mount them: Docker's pre-population (a new, empty
 * volume gets the image's files at its mount point when the container is
 * created; not a volume with content, not with nocopy, never a bind), an
 * anonymous `-v /path` recorded in Config.Volumes rather than Binds, and
 * null labels when none were given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('volumes mounted in containers', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
    mydock(root, ['run', '--name', 'seed', 'bbase:1', 'sh', '-c', 'mkdir -p /app/conf && echo port=80 > /app/conf/main.cfg && chmod 750 /app/conf']);
    mydock(root, ['commit', 'seed', 'seeded:1']);
  });
  afterAll(() => cleanup(root));

  it('fills a new empty volume from the image at create, keeping the directory mode', () => {
    mydock(root, ['create', '--name', 'c1', '-v', 'vm_a:/app/conf', 'seeded:1', 'true']);
    expect(mydock(root, ['run', '--rm', '-v', 'vm_a:/d', 'bbase:1', 'cat', '/d/main.cfg']).stdout).toBe('port=80\n');
    const mode = fs.statSync(path.join(root, 'volumes', 'vm_a', '_data')).mode & 0o7777;
    expect(mode).toBe(0o750);
  });

  it('leaves a volume with content, a nocopy volume and a bind alone', () => {
    mydock(root, ['run', '--rm', '-v', 'vm_b:/d', 'bbase:1', 'sh', '-c', 'echo mine > /d/mine']);
    expect(mydock(root, ['run', '--rm', '-v', 'vm_b:/app/conf', 'seeded:1', 'ls', '/app/conf']).stdout).toBe('mine\n');
    expect(mydock(root, ['run', '--rm', '-v', 'vm_c:/app/conf:nocopy', 'seeded:1', 'ls', '-A', '/app/conf']).stdout).toBe('');
    expect(mydock(root, ['run', '--rm', '--mount', 'type=volume,src=vm_d,dst=/app/conf,volume-nocopy', 'seeded:1', 'ls', '-A', '/app/conf']).stdout).toBe('');
    const host = fs.mkdtempSync(path.join(path.dirname(root), 'bind-'));
    expect(mydock(root, ['run', '--rm', '-v', `${host}:/app/conf`, 'seeded:1', 'ls', '-A', '/app/conf']).stdout).toBe('');
    expect(fs.readdirSync(host)).toEqual([]);
  });

  it('fills an anonymous volume too, and records -v /path in Config.Volumes, not Binds', () => {
    mydock(root, ['run', '--name', 'c2', '-v', '/app/conf', '-v', 'vm_e:/named', 'seeded:1', 'cat', '/app/conf/main.cfg']);
    expect(mydock(root, ['logs', 'c2']).stdout).toBe('port=80\n');
    expect(mydock(root, ['inspect', '--format', '{{json .HostConfig.Binds}} {{json .Config.Volumes}}', 'c2']).stdout).toBe(
      '["vm_e:/named"] {"/app/conf":{}}\n',
    );
  });

  it('volumes made without labels have null labels', () => {
    mydock(root, ['volume', 'create', 'vm_plain']);
    expect(mydock(root, ['volume', 'inspect', '--format', '{{json .Labels}}', 'vm_plain', 'vm_a']).stdout).toBe('null\nnull\n');
  });
});
