/** Lifecycle statuses, exit codes and Docker's error texts, against the built binary. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, HAVE_BUSYBOX, mydock, rootWithBase } from './container-fixture.js';

describe.skipIf(!HAVE_BUSYBOX)('container lifecycle', () => {
  let root: string;
  beforeAll(async () => {
    root = await rootWithBase();
  });
  afterAll(() => cleanup(root));
  const status = (name: string) => mydock(root, ['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}']).stdout.trim();

  it('passes exit statuses through and records them', () => {
    expect(mydock(root, ['run', '--name', 'x3', 'bbase:1', 'sh', '-c', 'exit 3']).status).toBe(3);
    expect(status('x3')).toMatch(/^Exited \(3\) .* ago$/);
    expect(mydock(root, ['wait', 'x3']).stdout).toBe('3\n');
    const cat = mydock(root, ['run', '--rm', 'bbase:1', 'cat', '/no/such/file']);
    expect(cat).toMatchObject({ status: 1, stderr: "cat: can't open '/no/such/file': No such file or directory\n" });
  });

  it('gives 127, 126 and 125 with runc texts', () => {
    const nf = mydock(root, ['run', '--rm', 'bbase:1', 'no-such-command']);
    expect(nf.status).toBe(127);
    expect(nf.stderr).toBe(
      'mydock: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "no-such-command": executable file not found in $PATH: unknown\n\nRun \'mydock run --help\' for more information\n',
    );
    expect(mydock(root, ['run', '--rm', 'bbase:1', '/etc/passwd']).status).toBe(126);
    const none = mydock(root, ['run', '--rm', 'bbase:1']);
    expect(none.status).toBe(125);
    expect(none.stderr).toContain('Error response from daemon: No command specified');
  });

  it('run -d with a bad command prints the ID first and leaves the container Created', () => {
    const r = mydock(root, ['run', '-d', '--name', 'bogus', 'bbase:1', '--bogus-flag-after-image']);
    expect(r.status).toBe(127);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(status('bogus')).toBe('Created');
    expect(mydock(root, ['rm', 'bogus']).stdout).toBe('bogus\n');
  });

  it('stops a sleeping PID 1 with SIGKILL after the timeout: 137', () => {
    const id = mydock(root, ['run', '-d', '--name', 's1', 'bbase:1', 'sleep', '600']).stdout.trim();
    expect(status('s1')).toMatch(/^Up /);
    expect(mydock(root, ['kill', '-s', 'TERM', 's1']).stdout).toBe('s1\n');
    expect(status('s1')).toMatch(/^Up /);
    const rm = mydock(root, ['rm', 's1']);
    expect(rm).toMatchObject({
      status: 1,
      stderr: `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove\n`,
    });
    expect(mydock(root, ['pause', 's1']).stdout).toBe('s1\n');
    expect(status('s1')).toMatch(/^Up .* \(Paused\)$/);
    expect(mydock(root, ['exec', 's1', 'true']).stderr).toBe('Error response from daemon: Container s1 is paused, unpause the container before exec\n');
    expect(mydock(root, ['unpause', 's1']).stdout).toBe('s1\n');
    expect(mydock(root, ['stop', '-t', '1', 's1']).stdout).toBe('s1\n');
    expect(status('s1')).toMatch(/^Exited \(137\) /);
    expect(mydock(root, ['exec', 's1', 'true'])).toMatchObject({ status: 1, stderr: `Error response from daemon: Container ${id} is not running\n` });
    expect(mydock(root, ['kill', 's1']).stderr).toBe(`Error response from daemon: Cannot kill container: s1: Container ${id} is not running\n`);
    expect(mydock(root, ['start', 's1']).stdout).toBe('s1\n');
    expect(status('s1')).toMatch(/^Up /);
    expect(mydock(root, ['kill', 's1']).stdout).toBe('s1\n');
    expect(mydock(root, ['wait', 's1']).stdout).toBe('137\n');
  });

  it('a trapped SIGTERM ends the program with its own status; logs keep both streams', () => {
    mydock(root, ['run', '-d', '--name', 't1', 'bbase:1', 'sh', '-c', 'trap "echo bye; exit 5" TERM; echo hi; echo err >&2; while true; do sleep 1; done']);
    expect(mydock(root, ['stop', 't1']).stdout).toBe('t1\n');
    expect(mydock(root, ['wait', 't1']).stdout).toBe('5\n');
    const logs = mydock(root, ['logs', 't1']);
    expect(logs.stdout).toBe('hi\nbye\n');
    expect(logs.stderr).toBe('err\n');
    expect(mydock(root, ['logs', '--tail', '1', 't1']).stdout).toBe('bye\n');
    expect(mydock(root, ['logs', '-t', 't1']).stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z hi\n/);
  });

  it("says what Docker says about missing containers and names", () => {
    expect(mydock(root, ['exec', 'nosuch', 'echo', 'hi'])).toMatchObject({ status: 1, stderr: 'Error response from daemon: No such container: nosuch\n' });
    expect(mydock(root, ['stop', 'nosuch']).stderr).toBe('Error response from daemon: No such container: nosuch\n');
    expect(mydock(root, ['start', 'nosuch'])).toMatchObject({
      status: 1,
      stderr: 'Error response from daemon: No such container: nosuch\nError: failed to start containers: nosuch\n',
    });
    expect(mydock(root, ['rm', '-f', 'nosuch'])).toMatchObject({ status: 0, stderr: 'Error response from daemon: No such container: nosuch\n' });
    expect(mydock(root, ['container', 'inspect', 'nosuch'])).toMatchObject({ status: 1, stdout: '[]\n' });
    const id = mydock(root, ['create', '--name', 'n1', 'bbase:1', 'sh']).stdout.trim();
    expect(mydock(root, ['create', '--name', 'n1', 'bbase:1', 'sh'])).toMatchObject({
      status: 1,
      stderr: `Error response from daemon: Conflict. The container name "/n1" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.\n`,
    });
    expect(mydock(root, ['run', '--rm', '--name', 'a b', 'bbase:1', 'sh'])).toMatchObject({ status: 125 });
    expect(mydock(root, ['rename', 'n1', 'n2']).status).toBe(0);
    expect(mydock(root, ['rename', 'n2', 'n2']).stderr).toBe(
      'Error response from daemon: Renaming a container with the same name as its current name\nError: failed to rename container named n2\n',
    );
    expect(mydock(root, ['create', '--pull', 'never', 'nosuch:1'])).toMatchObject({ status: 1, stderr: 'Error response from daemon: No such image: nosuch:1\n' });
  });

  it('restarts by policy with back-off, and never after docker stop', async () => {
    mydock(root, ['run', '-d', '--name', 'rs1', '--restart', 'on-failure:2', 'bbase:1', 'sh', '-c', 'echo run; exit 3']);
    await new Promise((r) => setTimeout(r, 2500));
    expect(status('rs1')).toMatch(/^Exited \(3\) /);
    expect(mydock(root, ['container', 'inspect', '-f', '{{.RestartCount}}', 'rs1']).stdout).toBe('2\n');
    expect(mydock(root, ['logs', 'rs1']).stdout).toBe('run\nrun\nrun\n');
    mydock(root, ['run', '-d', '--name', 'rs2', '--restart', 'always', 'bbase:1', 'sh', '-c', 'sleep 1; exit 1']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mydock(root, ['stop', 'rs2']).stdout).toBe('rs2\n');
    await new Promise((r) => setTimeout(r, 1000));
    expect(status('rs2')).toMatch(/^Exited \(1\) /);
  });

  it('prunes stopped containers with Docker output', () => {
    const r = mydock(root, ['container', 'prune', '-f']);
    expect(r.stdout).toMatch(/^Deleted Containers:\n([0-9a-f]{64}\n)+\nTotal reclaimed space: \S+\n$/);
    expect(mydock(root, ['ps', '-aq']).stdout).toBe('');
  });
});
