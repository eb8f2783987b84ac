/** `ps`'s default table is built without the template interpreter: it must read exactly as the default template does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

const DEFAULT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

describe.skipIf(!HAVE_BUSYBOX)('ps default table', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
    mydock(root, ['run', '--name', 'wrote', 'bbase:1', 'sh', '-c', 'echo hello > /a; mkdir /d; echo x > /d/b']);
    mydock(root, ['run', '--name', 'big', 'bbase:1', 'sh', '-c', 'head -c 123456 /dev/zero > /z']);
    mydock(root, ['create', '--name', 'quoted', 'bbase:1', 'echo', 'a "b" \\ c', 'tab\there']);
    mydock(root, ['create', '--name', 'short', 'bbase:1', 'true']);
    mydock(root, ['run', '-d', '--name', 'up', '-p', '8080:80', 'bbase:1', 'sleep', '100']);
  });
  afterAll(() => cleanup(root));

  // Two commands run at different instants: CREATED and STATUS may cross a second between them.
  const sameOutput = (a: string[], b: string[]): void => {
    let left = '';
    let right = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      left = mydock(root, a).stdout;
      right = mydock(root, b).stdout;
      if (left === right) break;
    }
    expect(left).toBe(right);
  };

  it('matches the default template, with and without sizes and truncation', () => {
    sameOutput(['ps', '-a'], ['ps', '-a', '--format', DEFAULT]);
    sameOutput(['ps', '-a', '-s'], ['ps', '-a', '--format', `${DEFAULT}\t{{.Size}}`]);
    sameOutput(['ps', '-a', '--no-trunc', '-s'], ['ps', '-a', '--no-trunc', '--format', `${DEFAULT}\t{{.Size}}`]);
    sameOutput(['ps', '-a', '--format', 'table'], ['ps', '-a', '--format', DEFAULT]);
    sameOutput(['ps'], ['ps', '--format', DEFAULT]);
  });

  it('shows each writable layer size once per row', () => {
    const sizes = mydock(root, ['ps', '-a', '-s', '--format', '{{.Names}} {{.Size}}']).stdout;
    expect(sizes).toMatch(/^wrote 8B \(virtual /m);
    expect(sizes).toMatch(/^big 123kB \(virtual /m);
    expect(sizes).toMatch(/^short 0B \(virtual /m);
  });
});
