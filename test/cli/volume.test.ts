import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../helpers/cli.js';

let t: TempRoot;
beforeAll(() => {
  ensureBuilt();
  t = new TempRoot();
});
afterAll(() => t.cleanup());

describe('mydock volume', () => {
  it('create / ls / inspect / rm as Docker prints them', () => {
    expect(t.run(['volume', 'create', '--label', 'orc.scenario=e', 'orc_e_vol'])).toMatchObject({ stdout: 'orc_e_vol\n', status: 0 });
    expect(t.run(['volume', 'create', 'orc_e_vol']).stdout).toBe('orc_e_vol\n');
    expect(t.run(['volume', 'inspect', '--format', '{{.Driver}} {{.Name}} {{.Mountpoint}}', 'orc_e_vol']).stdout).toBe(
      `local orc_e_vol ${t.root}/volumes/orc_e_vol/_data\n`,
    );
    expect(t.run(['volume', 'ls', '--filter', 'name=orc_e_']).stdout).toBe('DRIVER    VOLUME NAME\nlocal     orc_e_vol\n');
    expect(t.run(['volume', 'ls', '-q']).stdout).toBe('orc_e_vol\n');
    expect(t.run(['volume', 'rm', 'orc_e_vol'])).toMatchObject({ stdout: 'orc_e_vol\n', status: 0 });
    expect(t.run(['volume', 'rm', 'orc_e_vol'])).toMatchObject({ stderr: 'Error response from daemon: get orc_e_vol: no such volume\n', status: 1 });
    expect(t.run(['volume', 'rm', '-f', 'orc_e_vol'])).toMatchObject({ stdout: 'orc_e_vol\n', status: 0 });
    expect(t.run(['volume', 'inspect', 'orc_e_vol'])).toMatchObject({
      stdout: '[]\n',
      stderr: 'Error response from daemon: get orc_e_vol: no such volume\n',
      status: 1,
    });
  });

  it('refuses bad names, drivers and options with Docker texts', () => {
    expect(t.run(['volume', 'create', 'a/b']).status).toBe(1);
    expect(t.run(['volume', 'create', '-d', 'bogus', 'x3']).stderr).toBe(
      'Error response from daemon: create x3: error looking up volume plugin bogus: plugin "bogus" not found\n',
    );
    expect(t.run(['volume', 'create', '-o', 'bogus=1', 'x2']).stderr).toBe('Error response from daemon: create x2: invalid option: "bogus"\n');
    expect(t.run(['volume', 'create', 'a', 'b'])).toMatchObject({ status: 1 });
    expect(t.run(['volume', 'ls', '--filter', 'bogus=1'])).toMatchObject({ status: 1, stderr: "Error response from daemon: Invalid filter 'bogus'\n" });
    const bad = t.run(['volume', 'ls', '--filter', 'nokey']);
    expect(bad.status).toBe(125);
    expect(bad.stderr).toBe(
      'invalid argument "nokey" for "-f, --filter" flag: bad format of filter (expected name=value)\n\nUsage:  mydock volume ls [OPTIONS]\n\nRun \'mydock volume ls --help\' for more information\n',
    );
  });

  it('prune asks first and reports what it freed', () => {
    t.run(['volume', 'create', 'keep_me']);
    const asked = t.run(['volume', 'prune'], { input: 'n\n' });
    expect(asked.stdout).toBe(
      'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ',
    );
    expect(t.run(['volume', 'prune', '-f']).stdout).toBe('Total reclaimed space: 0B\n');
    expect(t.run(['volume', 'prune', '-a', '-f']).stdout).toBe('Deleted Volumes:\nkeep_me\n\nTotal reclaimed space: 0B\n');
  });
});
