/**
 * Runs an applet against a MemFs with captured streams, a fake clock and a
 * spawn that runs other applets directly (no PATH lookup).
 */
import { Killed, type InputStream, type OutputStream, type ProcessContext, type SignalName } from '../../../../src/runtime/process.js';
import type { ProcessFs } from '../../../../src/runtime/fs/process-fs.js';
import { lookupApplet } from '../../../../src/runtime/programs/index.js';
import { MemFs } from './mem-fs.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
  /** Total milliseconds the program slept. */
  slept: number;
}

export function inputFrom(data: string | Buffer, isTTY = false): InputStream {
  let buf: Buffer | null = Buffer.from(data);
  let pos = 0;
  return {
    isTTY,
    async read() {
      if (!buf || pos >= buf.length) return null;
      const c = buf.subarray(pos, pos + 4096);
      pos += c.length;
      return c;
    },
    async readAll() {
      const rest = buf ? buf.subarray(pos) : Buffer.alloc(0);
      pos = buf ? buf.length : 0;
      return Buffer.from(rest);
    },
    async readLine() {
      if (!buf || pos >= buf.length) return null;
      const nl = buf.indexOf(0x0a, pos);
      const end = nl === -1 ? buf.length : nl;
      const line = buf.subarray(pos, end).toString('utf8');
      pos = nl === -1 ? buf.length : nl + 1;
      return line;
    },
  };
}

export class Collector implements OutputStream {
  chunks: Buffer[] = [];
  /** Bytes after which the reader "goes away" (a closed pipe). */
  constructor(
    readonly isTTY = false,
    private readonly limit = Infinity,
  ) {}
  async write(data: string | Uint8Array): Promise<void> {
    if (this.size() >= this.limit) throw new Killed('PIPE');
    this.chunks.push(Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
  }
  size(): number {
    return this.chunks.reduce((a, c) => a + c.length, 0);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface RunOptions {
  fs?: ProcessFs;
  stdin?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  tty?: boolean;
  user?: { uid: number; gid: number; name: string; home: string };
  now?: number;
  stdoutLimit?: number;
}

export async function run(argv: string[], options: RunOptions = {}): Promise<RunResult & { fs: ProcessFs }> {
  let fs = options.fs ?? MemFs.create();
  if (options.cwd) fs = fs.withCwd(options.cwd);
  const stdout = new Collector(options.tty ?? false, options.stdoutLimit);
  const stderr = new Collector(options.tty ?? false);
  const state = { slept: 0, now: options.now ?? Date.UTC(2024, 0, 15, 12, 0, 0) };
  const ctx: ProcessContext = {
    argv,
    env: options.env ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' },
    fs,
    stdin: inputFrom(options.stdin ?? ''),
    stdout,
    stderr,
    clock: {
      now: () => state.now,
      async sleep(ms) {
        state.slept += ms;
        state.now += ms;
      },
    },
    signals: {
      trap() {},
      send(_s: SignalName) {},
      wait: () => new Promise<never>(() => {}),
      check() {},
    },
    container: { id: 'c0ffee', name: 'test', hostname: 'c0ffee123456', image: 'busybox' },
    user: options.user ?? { uid: 0, gid: 0, name: 'root', home: '/root' },
    pid: 1,
    async spawn(args, so) {
      const name = args[0]!.slice(args[0]!.lastIndexOf('/') + 1);
      const main = lookupApplet(name);
      if (!main) {
        await (so?.stderr ?? stderr).write(`${args[0]}: applet not found\n`);
        return 127;
      }
      return main({ ...ctx, argv: args, env: so?.env ?? ctx.env, fs: so?.cwd ? ctx.fs.withCwd(so.cwd) : ctx.fs, stdin: so?.stdin ?? ctx.stdin, stdout: so?.stdout ?? ctx.stdout, stderr: so?.stderr ?? ctx.stderr });
    },
  };
  const main = lookupApplet(argv[0]!);
  if (!main) throw new Error(`no applet ${argv[0]}`);
  let status: number;
  try {
    status = await main(ctx);
  } catch (e) {
    if (e instanceof Killed) status = e.status;
    else throw e;
  }
  return { stdout: stdout.text(), stderr: stderr.text(), status, slept: state.slept, fs };
}

/** A tree most tests share: /etc/passwd, /etc/group, a few files. */
export function baseFs(): MemFs {
  const fs = MemFs.create();
  const t = Date.UTC(2024, 0, 10, 9, 30, 0);
  fs.put('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n', { mtimeMs: t });
  fs.put('/etc/group', 'root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n', { mtimeMs: t });
  fs.mkdir('/tmp', { mode: 0o1777 });
  fs.mkdir('/root', { mode: 0o700 });
  fs.put('/data/a.txt', 'alpha\nbeta\ngamma\n', { mtimeMs: t });
  fs.put('/data/b.txt', 'one two three\nfour five\n', { mtimeMs: t });
  return fs;
}
