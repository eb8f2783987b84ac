/**
 * A container-like sandbox for shell tests: an in-memory filesystem with a
 * busybox-style /bin (an emulated busybox binary and links to it), run
 * through the real ProcessRunner.
 */
import { makeEmulatedBinary } from '../../../../src/runtime/binary-marker.js';
import { VirtualClock } from '../../../../src/runtime/clock.js';
import { ProcessRunner } from '../../../../src/runtime/exec.js';
import type { ProgramMain } from '../../../../src/runtime/process.js';
import { lookupApplet } from '../../../../src/runtime/programs/index.js';
import { BufferInput, CollectorOutput } from '../../../../src/runtime/streams.js';
import { MemFs } from '../../programs/helpers/mem-fs.js';

export const LINKED_APPLETS = ['sh', 'ash', 'cat', 'echo', 'printf', 'ls', 'mkdir', 'rm', 'touch', 'chmod', 'head', 'tail', 'wc', 'tee', 'true', 'false', 'test', '[', 'sleep', 'yes', 'env', 'seq', 'tr', 'sort', 'grep', 'cut', 'basename', 'dirname', 'ln', 'cp', 'mv', 'kill', 'pwd'];

export function sandboxFs(): MemFs {
  const fs = MemFs.create();
  fs.put('/bin/busybox', makeEmulatedBinary('busybox', 4096), { mode: 0o755 });
  for (const a of LINKED_APPLETS) fs.symlink('busybox', `/bin/${a}`);
  fs.put('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  fs.mkdir('/tmp', { mode: 0o1777 });
  fs.mkdir('/root', { mode: 0o700 });
  fs.mkdir('/usr/bin', { recursive: true });
  return fs;
}

export interface ShellResult {
  stdout: string;
  stderr: string;
  status: number;
}

export interface RunShellOptions {
  fs?: MemFs;
  stdin?: string;
  tty?: boolean;
  env?: Record<string, string>;
  /** Extra programs by name (stubs), consulted before the applets. */
  programs?: Record<string, ProgramMain>;
  argv?: string[];
  cwd?: string;
}

export function makeRunner(fs: MemFs, programs: Record<string, ProgramMain> = {}): ProcessRunner {
  return new ProcessRunner({
    forProcess: (cwd) => fs.withCwd(cwd),
    container: { id: 'c0ffee', name: 'test', hostname: 'c0ffee123456', image: 'busybox' },
    clock: new VirtualClock(Date.UTC(2024, 0, 15, 12, 0, 0)),
    lookupProgram: (name) => programs[name] ?? lookupApplet(name),
  });
}

/** Runs `sh -c script` (or `argv`) as a container's main process. */
export async function runShell(script: string, options: RunShellOptions = {}): Promise<ShellResult> {
  const fs = options.fs ?? sandboxFs();
  const runner = makeRunner(fs, options.programs);
  const stdout = new CollectorOutput(options.tty ?? false);
  const stderr = new CollectorOutput(options.tty ?? false);
  const p = await runner.startMainProcess(options.argv ?? ['/bin/sh', '-c', script], {
    env: options.env ?? { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' },
    cwd: options.cwd ?? '/',
    stdin: new BufferInput(options.stdin ?? '', options.tty ?? false),
    stdout,
    stderr,
  });
  const { status } = await p.exited;
  return { stdout: stdout.text(), stderr: stderr.text(), status };
}

/** Runs one table case in a fresh sandbox. */
export async function runCase(c: { script: string; stdin?: string; files?: Record<string, string>; modes?: Record<string, number> }): Promise<ShellResult> {
  const fs = sandboxFs();
  for (const [p, content] of Object.entries(c.files ?? {})) fs.put(p, content, { mode: c.modes?.[p] ?? 0o644 });
  return runShell(c.script, { fs, ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
}
