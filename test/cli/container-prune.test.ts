/** `container prune` reports what it freed with go-units' HumanSize: four significant digits, as docker/cli prints it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('container prune', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
  });
  afterAll(() => cleanup(root));

  it('prints Total reclaimed space with four significant digits', () => {
    mydock(root, ['run', '--name', 'pw', '--label', 'pr=1', 'bbase:1', 'sh', '-c', 'head -c 12345 /bin/busybox > /blob']);
    const r = mydock(root, ['container', 'prune', '-f', '--filter', 'label=pr=1']);
    expect(r.stdout).toMatch(/^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 12\.35kB\n$/);
  });

  // The same filter as the container step of `system prune`: until, label and label!, checked by the daemon.
  it('keeps what label! names, and refuses other filter names as the daemon does', () => {
    mydock(root, ['run', '--name', 'keepme', '--label', 'keep=1', 'bbase:1', 'true']);
    mydock(root, ['run', '--name', 'dropme', 'bbase:1', 'true']);
    expect(mydock(root, ['container', 'prune', '-f', '--filter', 'foo=bar'])).toMatchObject({ stdout: '', stderr: "Error response from daemon: Invalid filter 'foo'\n", status: 1 });
    const r = mydock(root, ['container', 'prune', '-f', '--filter', 'label!=keep=1']);
    expect(r.stdout).toMatch(/^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/);
    expect(mydock(root, ['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('keepme\n');
  });
});
