/**
 * Starting programs: a container's main process (Docker's "cannot start"
 * texts), classification of executables, `busybox APPLET`, #! scripts,
 * ctx.spawn, signals and PID 1.
 */
import { describe, expect, it } from 'vitest';
import { makeEmulatedBinary } from '../../src/runtime/binary-marker.js';
import { CannotStart, runnablePrograms } from '../../src/runtime/exec.js';
import type { ProgramMain } from '../../src/runtime/process.js';
import { BufferInput, CollectorOutput, createPipe } from '../../src/runtime/streams.js';
import { makeRunner, runShell, sandboxFs } from './shell/helpers/sandbox.js';

async function start(argv: string[], setup?: (fs: ReturnType<typeof sandboxFs>) => void, programs: Record<string, ProgramMain> = {}) {
  const fs = sandboxFs();
  setup?.(fs);
  const runner = makeRunner(fs, programs);
  const stdout = new CollectorOutput();
  const stderr = new CollectorOutput();
  try {
    const p = await runner.startMainProcess(argv, { env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root' }, stdout, stderr, stdin: new BufferInput('') });
    const { status, signal } = await p.exited;
    return { status, signal, stdout: stdout.text(), stderr: stderr.text() };
  } catch (err) {
    if (err instanceof CannotStart) return { error: err.message, status: err.status, reason: err.reason };
    throw err;
  }
}

describe('startMainProcess', () => {
  it('runs a program found on PATH', async () => {
    expect(await start(['echo', 'hi'])).toMatchObject({ status: 0, stdout: 'hi\n' });
  });
  it('runs the shell through /bin/sh -> busybox', async () => {
    expect(await start(['/bin/sh', '-c', 'echo $0; exit 4'])).toMatchObject({ status: 4, stdout: '/bin/sh\n' });
  });
  it('reports a command missing from PATH as Docker does', async () => {
    expect(await start(['no-such-command'])).toEqual({ error: 'exec: "no-such-command": executable file not found in $PATH', status: 127, reason: 'not-found' });
  });
  it('reports a missing absolute path', async () => {
    expect(await start(['/nope'])).toEqual({ error: 'exec: "/nope": stat /nope: no such file or directory', status: 127, reason: 'not-found' });
  });
  it('reports a file without execute permission', async () => {
    expect(await start(['/etc/passwd'])).toEqual({ error: 'exec: "/etc/passwd": permission denied', status: 126, reason: 'permission' });
  });
  it('reports a text file without #! as an exec format error', async () => {
    const r = await start(['/run.sh'], (fs) => fs.put('/run.sh', 'echo hi\n', { mode: 0o755 }));
    expect(r).toEqual({ error: 'exec /run.sh: exec format error', status: 126, reason: 'format' });
  });
  it('refuses native binaries with a pointer to what it can run', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200)]);
    const r = await start(['/usr/bin/native'], (fs) => fs.put('/usr/bin/native', elf, { mode: 0o755 }));
    expect(r).toMatchObject({ status: 126, reason: 'native' });
    expect((r as { error: string }).error).toContain('busybox --list');
    expect(runnablePrograms()).toContain('sh');
    expect(runnablePrograms()).toContain('ls');
  });
  it('runs #! scripts with their interpreter and argument', async () => {
    const r = await start(['/s.sh', 'x'], (fs) => fs.put('/s.sh', '#!/bin/sh -e\necho "$0 $1 $-"\nfalse\necho not\n', { mode: 0o755 }));
    expect(r).toMatchObject({ status: 1, stdout: '/s.sh x e\n' });
  });
  it('reports a #! script whose interpreter is missing', async () => {
    const r = await start(['/s.sh'], (fs) => fs.put('/s.sh', '#!/bin/bash\necho\n', { mode: 0o755 }));
    expect(r).toEqual({ error: 'exec: "/s.sh": no such file or directory', status: 127, reason: 'not-found' });
  });
  it('runs `busybox APPLET args` and applets by link name', async () => {
    expect(await start(['busybox', 'echo', 'multi'])).toMatchObject({ status: 0, stdout: 'multi\n' });
    expect(await start(['busybox', 'sh', '-c', 'echo in-sh'])).toMatchObject({ status: 0, stdout: 'in-sh\n' });
  });
  it('runs emulated programs through the registry', async () => {
    const hello: ProgramMain = async (ctx) => {
      await ctx.stdout.write(`hello from ${ctx.argv[0]} pid ${ctx.pid}\n`);
      return 7;
    };
    const r = await start(['hello'], (fs) => fs.put('/usr/bin/hello', makeEmulatedBinary('hello', 512), { mode: 0o755 }), { hello });
    expect(r).toMatchObject({ status: 7, stdout: 'hello from hello pid 1\n' });
  });
});

describe('spawn and signals', () => {
  it('ctx.spawn runs programs with busybox exec failure messages', async () => {
    const parent: ProgramMain = async (ctx) => {
      const a = await ctx.spawn(['echo', 'child']);
      const b = await ctx.spawn(['nosuch']);
      await ctx.stdout.write(`${a} ${b}\n`);
      return 0;
    };
    const r = await start(['parent'], (fs) => fs.put('/usr/bin/parent', makeEmulatedBinary('parent', 300), { mode: 0o755 }), { parent });
    expect(r).toMatchObject({ status: 0, stdout: 'child\n0 127\n', stderr: "parent: can't execute 'nosuch': No such file or directory\n" });
  });

  it('TERM ends a sleeping shell with 143; PID 1 ignores it unless trapped', async () => {
    const fs = sandboxFs();
    const runner = makeRunner(fs);
    const p = await runner.startMainProcess(['/bin/sh', '-c', 'while :; do sleep 1; done'], { env: { PATH: '/bin' } });
    setTimeout(() => p.signals.send('TERM'), 20);
    expect(await p.exited).toEqual({ status: 143, signal: 'TERM' });

    const p1 = await runner.startMainProcess(['/bin/sh', '-c', 'trap "echo stopping; exit 0" TERM; while :; do sleep 1; done'], { env: { PATH: '/bin' }, pid1: true, stdout: new CollectorOutput() });
    setTimeout(() => p1.signals.send('TERM'), 20);
    expect((await p1.exited).status).toBe(0);

    const p2 = await runner.startMainProcess(['/bin/sh', '-c', 'while :; do sleep 1; done'], { env: { PATH: '/bin' }, pid1: true, stdout: new CollectorOutput() });
    setTimeout(() => p2.signals.send('TERM'), 10);
    setTimeout(() => p2.signals.send('KILL'), 40);
    expect(await p2.exited).toEqual({ status: 137, signal: 'KILL' });
  });

  it('kill $! stops a background job', async () => {
    const r = await runShell('while :; do sleep 1; done & kill $!; wait $!; echo $?');
    expect(r).toMatchObject({ stdout: '143\n', status: 0 });
  });
});

describe('streams', () => {
  it('a pipe blocks the writer and signals SIGPIPE when the reader leaves', async () => {
    const { reader, writer } = createPipe(4);
    const w = writer.write('abcdefgh');
    expect(Buffer.from((await reader.read()) ?? []).toString()).toBe('abcdefgh');
    await w;
    reader.close();
    await expect(writer.write('x')).rejects.toMatchObject({ name: 'Killed', signal: 'PIPE' });
  });
  it('readLine and read share one buffer', async () => {
    const input = new BufferInput('one\ntwo\nthree');
    expect(await input.readLine()).toBe('one');
    expect((await input.read())?.toString()).toBe('two\nthree');
    expect(await input.read()).toBeNull();
  });
});

describe('interactive shell', () => {
  it('prompts with PS1 on a terminal and reads commands line by line', async () => {
    const r = await runShell('', { argv: ['/bin/sh'], tty: true, stdin: 'cd /tmp\necho "a\nb"\nif true\nthen echo yes\nfi\nexit 3\n' });
    expect(r.stdout).toBe('a\nb\nyes\n');
    expect(r.stderr).toBe('/ # /tmp # > /tmp # > > /tmp # ');
    expect(r.status).toBe(3);
  });
  it('reads a script from stdin without a prompt when stdin is not a terminal', async () => {
    const r = await runShell('', { argv: ['/bin/sh'], stdin: 'echo one\nread x\nline two\necho "got $x"\n' });
    expect(r).toEqual({ stdout: 'one\ngot line two\n', stderr: '', status: 0 });
  });
});

describe('the exec builtin replaces the shell', () => {
  /** A stand-in service: prints its pid, handles TERM by exiting 0 (as nginx does), else waits. */
  const service: ProgramMain = async (ctx) => {
    await ctx.stdout.write(`service pid ${ctx.pid} argv ${ctx.argv.join(' ')} FOO=${ctx.env.FOO ?? ''}\n`);
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    ctx.signals.trap('TERM', () => stop());
    await Promise.race([stopped, ctx.signals.wait()]);
    await ctx.stdout.write('service got TERM\n');
    return 0;
  };
  const withService = (fs: ReturnType<typeof sandboxFs>): void => {
    fs.put('/usr/bin/service', makeEmulatedBinary('service', 256), { mode: 0o755 });
    fs.put('/entry.sh', '#!/bin/sh\nset -e\ntrap "echo trap ran" EXIT TERM\necho "shell pid $$"\nexec "$@"\n', { mode: 0o755 });
  };

  it('keeps the pid; TERM sent to PID 1 reaches the program, not the shell; no EXIT trap', async () => {
    const fs = sandboxFs();
    withService(fs);
    const runner = makeRunner(fs, { service });
    const stdout = new CollectorOutput();
    const p = await runner.startMainProcess(['/entry.sh', 'service', '-x'], { env: { PATH: '/usr/bin:/bin', FOO: 'bar' }, pid1: true, stdout });
    for (let i = 0; i < 100 && !stdout.text().includes('service pid'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(runner.list()).toEqual([{ pid: 1, argv: ['service', '-x'] }]);
    p.signals.send('TERM');
    expect(await p.exited).toEqual({ status: 0, signal: null });
    expect(stdout.text()).toBe('shell pid 1\nservice pid 1 argv service -x FOO=bar\nservice got TERM\n');
  });

  it('a program that handles nothing as PID 1 ignores TERM; KILL ends it with 137', async () => {
    const fs = sandboxFs();
    fs.put('/usr/bin/waiter', makeEmulatedBinary('waiter', 256), { mode: 0o755 });
    const waiter: ProgramMain = async (ctx) => ctx.signals.wait();
    const runner = makeRunner(fs, { waiter });
    const p = await runner.startMainProcess(['/bin/sh', '-c', 'trap "echo no" TERM; exec waiter'], { env: { PATH: '/usr/bin:/bin' }, pid1: true, stdout: new CollectorOutput() });
    await new Promise((r) => setTimeout(r, 20));
    p.signals.send('TERM');
    await new Promise((r) => setTimeout(r, 20));
    p.signals.send('KILL');
    expect(await p.exited).toEqual({ status: 137, signal: 'KILL' });
  });

  it('passes assignments, keeps the traps when the program cannot start, and works in a background job', async () => {
    expect(await runShell('FOO=1 exec env | grep FOO')).toMatchObject({ stdout: 'FOO=1\n' });
    const r = await runShell('trap "echo bye" EXIT; exec /etc/passwd');
    expect(r).toMatchObject({ stdout: 'bye\n', status: 126 });
    expect(await runShell('(exec sh -c "exit 3"); echo $?')).toMatchObject({ stdout: '3\n' });
    expect(await runShell('exec sh -c "exit 5" & wait $!; echo $?')).toMatchObject({ stdout: '5\n' });
  });
});

describe('dash', () => {
  it('a /bin/sh that links to dash words errors as dash: "$0: LINE: msg", -c lines from 1', async () => {
    const setup = (fs: ReturnType<typeof sandboxFs>): void => {
      fs.put('/bin/dash', makeEmulatedBinary('sh', 1024), { mode: 0o755 });
      fs.unlink('/bin/sh');
      fs.symlink('dash', '/bin/sh');
    };
    expect(await start(['sh', '-c', 'make /app'], setup)).toMatchObject({ status: 127, stderr: 'sh: 1: make: not found\n' });
    expect(await start(['/bin/sh', '-c', 'true\nmake /app'], setup)).toMatchObject({ status: 127, stderr: '/bin/sh: 2: make: not found\n' });
    expect(await start(['/bin/sh', '-c', 'cd /nope'], setup)).toMatchObject({ status: 2, stderr: "/bin/sh: 1: cd: can't cd to /nope\n" });
    // busybox ash, for contrast.
    expect(await start(['sh', '-c', 'make /app'])).toMatchObject({ status: 127, stderr: 'sh: make: not found\n' });
  });
});
