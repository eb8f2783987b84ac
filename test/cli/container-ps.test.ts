/**
 * `ps`'s default table is built without the template interpreter: it must
 * read exactly as the default template does. `ps` reads the records through
 * the container list snapshot: what other processes change must show.
 */
import fs from 'node:fs';
import path from 'node:path';
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
    for (let attempt = 0; attempt < 8; attempt++) {
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

  // As docker 28 against Engine 20.10: the CLI refuses a filter without "=", the daemon unknown names and values.
  it('refuses bad filters as docker does', () => {
    expect(mydock(root, ['ps', '--filter', 'foo'])).toMatchObject({
      stdout: '',
      stderr: `invalid argument "foo" for "-f, --filter" flag: bad format of filter (expected name=value)\n\nUsage:  mydock ps [OPTIONS]\n\nRun 'mydock ps --help' for more information\n`,
      status: 125,
    });
    expect(mydock(root, ['ps', '--filter', 'foo=1'])).toMatchObject({ stderr: "Error response from daemon: Invalid filter 'foo'\n", status: 1 });
    expect(mydock(root, ['ps', '--filter', 'status=bogus'])).toMatchObject({ stderr: "Error response from daemon: Invalid filter 'status=bogus'\n", status: 1 });
  });

  it('matches labels a container has, not names every object answers to', () => {
    expect(mydock(root, ['ps', '-a', '--filter', 'label=constructor', '--format', '{{.Names}}'])).toMatchObject({ stdout: '', status: 0 });
  });

  it('shows each writable layer size once per row', () => {
    const sizes = mydock(root, ['ps', '-a', '-s', '--format', '{{.Names}} {{.Size}}']).stdout;
    expect(sizes).toMatch(/^wrote 8B \(virtual /m);
    expect(sizes).toMatch(/^big 123kB \(virtual /m);
    expect(sizes).toMatch(/^short 0B \(virtual /m);
  });

  // The snapshot keeps only records changed more than two seconds before a listing (see list-snapshot.ts).
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));
  const snapshotFile = () => path.join(root, 'mydock', 'container-list.json');
  const configOf = (name: string) => {
    const id = mydock(root, ['inspect', '--format', '{{.Id}}', name]).stdout.trim();
    return path.join(root, 'containers', id, 'config.v2.json');
  };

  it('shows what other processes changed behind the snapshot: a rename, a record rewritten by hand, a removal', async () => {
    await settle();
    const before = mydock(root, ['ps', '-a', '--format', '{{.Names}}']).stdout;
    expect(fs.existsSync(snapshotFile())).toBe(true);
    expect(before).toMatch(/^short$/m);

    expect(mydock(root, ['rename', 'short', 'short2']).status).toBe(0);
    const file = configOf('quoted');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Name":"/quoted"', '"Name":"/QUOTED"'));
    mydock(root, ['create', '--name', 'fresh', 'bbase:1', 'true']);
    mydock(root, ['rm', 'wrote']);
    const after = mydock(root, ['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').filter(Boolean).sort();
    expect(after).toEqual(['QUOTED', 'big', 'fresh', 'short2', 'up']);
  });

  it('lists the same from a damaged snapshot, a foreign one, or none', () => {
    const expected = () => {
      fs.rmSync(snapshotFile(), { recursive: true, force: true });
      return mydock(root, ['ps', '-a', '-s', '--no-trunc']).stdout;
    };
    for (const damage of ['garbage \u0000', '{"format":"mydock container list","version":1,"entries":[{"ino":"1"', '[]', JSON.stringify({ format: 'other' })]) {
      let listed = '';
      let wanted = '';
      // CREATED and STATUS may cross a second between two commands.
      for (let attempt = 0; attempt < 3 && (listed === '' || listed !== wanted); attempt++) {
        wanted = expected();
        fs.writeFileSync(snapshotFile(), damage);
        const r = mydock(root, ['ps', '-a', '-s', '--no-trunc']);
        expect(r.stderr).toBe('');
        listed = r.stdout;
      }
      expect(listed).toBe(wanted);
    }
    // Cannot be written (a directory in its place): listed all the same.
    fs.rmSync(snapshotFile(), { force: true });
    fs.mkdirSync(snapshotFile());
    expect(mydock(root, ['ps', '-a', '--format', '{{.Names}}']).status).toBe(0);
    fs.rmSync(snapshotFile(), { recursive: true, force: true });
  });
  it('shows the short ID for a container created by image ID, as docker/cli does, and the name otherwise', () => {
    const id = mydock(root, ['images', '-q', '--no-trunc', 'bbase:1']).stdout.trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    mydock(root, ['create', '--name', 'byid', id, 'true']);
    mydock(root, ['create', '--name', 'byhex', id.slice(7, 19), 'true']);
    mydock(root, ['create', '--name', 'byname', 'bbase:1', 'true']);
    const listed = (extra: string[]) => mydock(root, ['ps', '-a', '--filter', 'name=^by', ...extra, '--format', '{{.Names}} {{.Image}}']).stdout;
    expect(listed([])).toBe(`byname bbase:1\nbyhex ${id.slice(7, 19)}\nbyid ${id.slice(7, 19)}\n`);
    expect(listed(['--no-trunc'])).toBe(`byname bbase:1\nbyhex ${id.slice(7, 19)}\nbyid ${id}\n`);
    mydock(root, ['rm', 'byid', 'byhex', 'byname']);
  });
});
