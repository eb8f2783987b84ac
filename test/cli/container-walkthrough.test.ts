/** The five-container walkthrough (seed 002 / conformance 02) against the built binary. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, liveShims, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('five containers on one image', () => {
  let root: string;
  const ids: string[] = [];
  beforeAll(async () => {
    root = await rootWithBase();
  });
  afterAll(() => cleanup(root));

  it('runs five detached shells, each with its own thin writable layer', () => {
    for (let i = 1; i <= 5; i++) {
      const r = mydock(root, ['run', '-dit', '--name', `c${i}`, 'bbase:1', 'sh']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      ids.push(r.stdout.trim());
    }
    const table = ['table {{.Image}}\t{{.Names}}\t{{.Size}}'];
    expect(mydock(root, ['ps', '--size', '--format', ...table]).stdout).toBe(
      [
        'IMAGE     NAMES     SIZE',
        'bbase:1   c5        0B (virtual 1.98MB)',
        'bbase:1   c4        0B (virtual 1.98MB)',
        'bbase:1   c3        0B (virtual 1.98MB)',
        'bbase:1   c2        0B (virtual 1.98MB)',
        'bbase:1   c1        0B (virtual 1.98MB)',
        '',
      ].join('\n'),
    );
    for (let i = 1; i <= 3; i++) {
      const r = mydock(root, ['exec', `c${i}`, 'sh', '-c', 'printf hello > /out.txt']);
      expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    }
    expect(mydock(root, ['ps', '--size', '--format', ...table]).stdout).toBe(
      [
        'IMAGE     NAMES     SIZE',
        'bbase:1   c5        0B (virtual 1.98MB)',
        'bbase:1   c4        0B (virtual 1.98MB)',
        'bbase:1   c3        5B (virtual 1.98MB)',
        'bbase:1   c2        5B (virtual 1.98MB)',
        'bbase:1   c1        5B (virtual 1.98MB)',
        '',
      ].join('\n'),
    );
  });

  it('shows the write in diff, exec and inspect', () => {
    expect(mydock(root, ['diff', 'c1']).stdout).toBe('A /out.txt\n');
    expect(mydock(root, ['diff', 'c4']).stdout).toBe('');
    expect(mydock(root, ['exec', 'c2', 'cat', '/out.txt'])).toMatchObject({ stdout: 'hello', status: 0 });
    expect(mydock(root, ['exec', 'c4', 'cat', '/out.txt'])).toMatchObject({
      stderr: "cat: can't open '/out.txt': No such file or directory\n",
      status: 1,
    });
    expect(mydock(root, ['container', 'inspect', '--size', '--format', '{{.SizeRw}} {{.SizeRootFs}}', 'c1', 'c4']).stdout).toBe(
      '5 1982431\n0 1982426\n',
    );
    expect(mydock(root, ['container', 'inspect', '--format', '{{.SizeRw}}', 'c1']).stdout).toBe('<nil>\n');
    const ps = mydock(root, ['ps', '--size', '--filter', 'name=c1']).stdout.split('\n');
    expect(ps[0]).toMatch(/^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES +SIZE$/);
    expect(ps[1]).toMatch(/^[0-9a-f]{12} +bbase:1 +"sh" +.* ago +Up .* +c1 +5B \(virtual 1\.98MB\)$/);
    expect(mydock(root, ['ps', '-q', '--filter', 'name=c1', '--no-trunc']).stdout).toBe(`${ids[0]}\n`);
  });

  it('rm -f echoes the names and leaves no shim behind', () => {
    expect(mydock(root, ['rm', '-f', 'c1', 'c2', 'c3', 'c4', 'c5']).stdout).toBe('c1\nc2\nc3\nc4\nc5\n');
    expect(mydock(root, ['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('');
    expect(liveShims(ids)).toBe(0);
  });
});
