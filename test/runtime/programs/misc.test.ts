import { describe, expect, it } from 'vitest';
import { run } from './helpers/run.js';

const BANNER = 'BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n';

interface Case {
  argv: string[];
  stdout?: string;
  stderr?: string | RegExp;
  status?: number;
  stdin?: string;
}

const cases: Case[] = [
  { argv: ['echo', 'a', 'b'], stdout: 'a b\n' },
  { argv: ['echo', '-n', 'a'], stdout: 'a' },
  { argv: ['echo', '-ne', 'a\\tb\\x41\\0101\\c', 'zz'], stdout: 'a\tbAA' },
  { argv: ['echo', '-x', '-n', 'a'], stdout: '-x -n a\n' },
  { argv: ['echo', '--', 'a'], stdout: '-- a\n' },
  { argv: ['echo', '--help'], stdout: '--help\n' },
  { argv: ['printf', '%s-%d\\n', 'a', '1', 'b', '2', 'c'], stdout: 'a-1\nb-2\nc-0\n', stderr: "printf: invalid number ''\n", status: 1 },
  { argv: ['printf', '%d\\n', 'abc', '3x'], stdout: '0\n3\n', stderr: "printf: invalid number 'abc'\nprintf: invalid number '3x'\n", status: 1 },
  { argv: ['printf', '%5.2f|%-4s|%04d|%x|%o|%c|%b|%%\\n', '3.14159', 'ab', '42', '255', '8', 'xyz', 'a\\tb'], stdout: ' 3.14|ab  |0042|ff|10|x|a\tb|%\n' },
  { argv: ['printf', '\\101\\n%q\\n', 'a'], stdout: 'A\n', stderr: 'printf: %q\\n: invalid format\n', status: 1 },
  { argv: ['printf', '%i %e %g %X\\n', '12', '1.5', '0.0001', '255'], stdout: '12 1.500000e+00 0.0001 FF\n' },
  { argv: ['printf', '%d\\n', "'A", '0x10', '010', '-5'], stdout: '65\n16\n8\n-5\n' },
  { argv: ['printf', 'hello'], stdout: 'hello' },
  { argv: ['printf'], stderr: `${BANNER}\nUsage: printf FORMAT [ARG]...\n\nFormat and print ARG(s) according to FORMAT (a-la C printf)\n`, status: 1 },
  { argv: ['true'], status: 0 },
  { argv: ['false'], status: 1 },
  { argv: ['seq', '3'], stdout: '1\n2\n3\n' },
  { argv: ['seq', '-s,', '1', '2', '7'], stdout: '1,3,5,7\n' },
  { argv: ['seq', '1', '0.5', '2'], stdout: '1.0\n1.5\n2.0\n' },
  { argv: ['seq', '-w', '8', '10'], stdout: '08\n09\n10\n' },
  { argv: ['seq', '5', '1'], stdout: '' },
  { argv: ['seq', '-1', '1'], stdout: '-1\n0\n1\n' },
  { argv: ['seq'], stderr: /^BusyBox.*\n\nUsage: seq/, status: 1 },
  { argv: ['sleep', 'x'], stderr: "sleep: invalid number 'x'\n", status: 1 },
  { argv: ['sleep'], stderr: /Usage: sleep \[N\]/, status: 1 },
  { argv: ['basename', '/a/b/c.txt', '.txt'], stdout: 'c\n' },
  { argv: ['basename', '/'], stdout: '/\n' },
  { argv: ['basename', 'a/b/'], stdout: 'b\n' },
  { argv: ['dirname', 'a/b/'], stdout: 'a\n' },
  { argv: ['dirname', 'a'], stdout: '.\n' },
  { argv: ['dirname', '/'], stdout: '/\n' },
  { argv: ['kill', '99999'], stderr: "kill: can't kill pid 99999: No such process\n", status: 1 },
  { argv: ['kill', '-9', '99999', '99998'], stderr: "kill: can't kill pid 99999: No such process\nkill: can't kill pid 99998: No such process\n", status: 2 },
  { argv: ['kill'], stderr: 'kill: you need to specify whom to kill\n', status: 1 },
  { argv: ['kill', '-ZZZ', '1'], stderr: "kill: bad signal name 'ZZZ'\n", status: 1 },
  { argv: ['kill', 'abc'], stderr: "kill: invalid number 'abc'\n", status: 1 },
  { argv: ['kill', '-l', '9'], stdout: 'KILL\n' },
  { argv: ['kill', '-l', 'KILL'], stdout: '9\n' },
  { argv: ['seq', '--help'], stderr: /^BusyBox v1.35.0 .*\n\nUsage: seq/, status: 0 },
];

describe('misc applets', () => {
  it.each(cases)('$argv', async (c) => {
    const r = await run(c.argv, { stdin: c.stdin ?? '' });
    expect(r.stdout).toBe(c.stdout ?? '');
    if (c.stderr instanceof RegExp) expect(r.stderr).toMatch(c.stderr);
    else expect(r.stderr).toBe(c.stderr ?? '');
    expect(r.status).toBe(c.status ?? 0);
  });

  it('sleep adds its arguments and suffixes', async () => {
    const r = await run(['sleep', '1.5', '1m', '0.5s']);
    expect(r.status).toBe(0);
    expect(r.slept).toBe(62_000);
  });

  it('yes stops with SIGPIPE when its reader goes away', async () => {
    const r = await run(['yes'], { stdoutLimit: 100_000 });
    expect(r.status).toBe(141);
    expect(r.stdout.startsWith('y\ny\n')).toBe(true);
  });

  it('kill -l lists the signals', async () => {
    const r = await run(['kill', '-l']);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([' 1) HUP', ' 2) INT']);
  });

  it('busybox lists and runs applets', async () => {
    const list = await run(['busybox', '--list']);
    expect(list.stdout.split('\n')).toContain('echo');
    const r = await run(['busybox', 'echo', 'hi']);
    expect(r.stdout).toBe('hi\n');
    const nf = await run(['busybox', 'nosuch']);
    expect(nf.stderr).toBe('nosuch: applet not found\n');
    expect(nf.status).toBe(127);
    const banner = await run(['busybox']);
    expect(banner.stdout.startsWith(BANNER)).toBe(true);
    expect(banner.stdout).toContain('Currently defined functions:\n\t');
  });
});
