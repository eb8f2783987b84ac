/**
 * Differential test: each command line runs under the real busybox, chrooted
 * into a temporary tree, and under mydock's applet against the same tree
 * loaded into memory; stdout, stderr, status and (for commands that change
 * the tree) the resulting tree must match.
 *
 * Needs root (chroot) and a statically linked /bin/busybox (Debian's
 * busybox-static); it is skipped, with the reason in its title, otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemFs } from './helpers/mem-fs.js';
import { run } from './helpers/run.js';
import type { ProcessFs } from '../../../src/runtime/fs/process-fs.js';
import { CASES, type DiffCase } from './differential-cases.js';

const CHROOT = ['/usr/sbin/chroot', '/sbin/chroot', '/usr/bin/chroot'].find((p) => fs.existsSync(p));

function skipReason(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root for chroot';
  if (!CHROOT) return 'needs chroot(8)';
  if (!fs.existsSync('/bin/busybox')) return 'needs /bin/busybox (apt-get install busybox-static)';
  const file = spawnSync('file', ['-L', '/bin/busybox'], { encoding: 'utf8' });
  if (file.status === 0 && !/statically linked|static-pie/.test(file.stdout)) return 'needs a statically linked /bin/busybox';
  return null;
}

const reason = skipReason();
/** All tree files carry this mtime: more than six months old, so ls -l prints the year in both. */
const OLD = new Date(Date.UTC(2024, 0, 10, 9, 30, 0));

function makeTemplate(dir: string): void {
  const w = (p: string, data: string | Buffer, mode = 0o644): void => {
    const full = path.join(dir, p);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, data);
    fs.chmodSync(full, mode);
  };
  fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  w('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  w('etc/group', 'root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n');
  w('data/a.txt', 'alpha\nbeta\ngamma\nalpha beta\n');
  w('data/b.txt', 'one two three\nfour five\n\nsix\n');
  w('data/nums.txt', '10\n9\n100\n-3\n2.5\n9\n1k\n2M\n');
  w('data/words.txt', 'pear\napple\nPear\nbanana\napple\napple\ncherry\n');
  w('data/csv.txt', 'id,name,age\n1,ann,31\n2,bob,27\n3,cy,45\n');
  w('data/tabs.txt', 'a\tb\tc\nd\te\tf\n');
  w('data/noeol.txt', 'no newline at end');
  w('data/big.bin', Buffer.alloc(200_000, 7));
  w('data/script.sh', '#!/bin/sh\necho hi\n', 0o755);
  w('data/.hidden', 'h\n');
  w('data/sub/deep/x.txt', 'x\n');
  w('data/sub/y.log', 'y\n');
  fs.symlinkSync('a.txt', path.join(dir, 'data/link'));
  fs.symlinkSync('nowhere', path.join(dir, 'data/dangling'));
  fs.mkdirSync(path.join(dir, 'empty'));
  fs.mkdirSync(path.join(dir, 'root'), { mode: 0o700 });
  fs.mkdirSync(path.join(dir, 'bin'));
  const walk = (p: string): void => {
    for (const n of fs.readdirSync(p)) {
      const full = path.join(p, n);
      if (fs.lstatSync(full).isDirectory()) walk(full);
      fs.lutimesSync(full, OLD, OLD);
    }
  };
  walk(dir);
  // Archives for the tar cases, written by the reference busybox itself (explicit members: no readdir order).
  if (fs.existsSync('/bin/busybox')) {
    fs.mkdirSync(path.join(dir, 'arch'));
    const members = ['data/sub/deep', 'data/link', 'data/a.txt', 'data/script.sh'];
    execFileSync('/bin/busybox', ['tar', 'cf', path.join(dir, 'arch/t.tar'), '-C', dir, ...members]);
    execFileSync('/bin/busybox', ['tar', 'czf', path.join(dir, 'arch/t.tgz'), '-C', dir, ...members]);
    for (const f of ['arch/t.tar', 'arch/t.tgz', 'arch']) fs.utimesSync(path.join(dir, f), OLD, OLD);
  }
  fs.utimesSync(dir, OLD, OLD);
}

/** A comparable picture of a tree: path, type, mode, owner, size, content (never times). */
function hostTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string, rel: string): void => {
    for (const n of fs.readdirSync(p).sort()) {
      if (rel === '' && n === 'bin') continue;
      const full = path.join(p, n);
      const r = `${rel}/${n}`;
      const st = fs.lstatSync(full);
      const kind = st.isSymbolicLink() ? `l->${fs.readlinkSync(full)}` : st.isDirectory() ? 'd' : `f:${fs.readFileSync(full).toString('base64').slice(0, 64)}:${st.size}`;
      out.push(`${r} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`);
      if (st.isDirectory()) walk(full, r);
    }
  };
  walk(dir, '');
  return out;
}

function memTree(mfs: ProcessFs): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    for (const n of mfs.readdir(p)) {
      if (p === '/' && n === 'bin') continue;
      const r = p === '/' ? `/${n}` : `${p}/${n}`;
      const st = mfs.lstat(r);
      const kind = st.type === 'symlink' ? `l->${mfs.readlink(r)}` : st.type === 'dir' ? 'd' : `f:${mfs.readFile(r).toString('base64').slice(0, 64)}:${st.size}`;
      out.push(`${r} ${kind} ${st.mode.toString(8)} ${st.uid}:${st.gid}`);
      if (st.type === 'dir') walk(r);
    }
  };
  walk('/');
  return out;
}

describe.skipIf(reason !== null)(`differential against real busybox${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let base = '';
  let template = '';
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'bbdiff-'));
    template = path.join(base, 'template');
    fs.mkdirSync(template);
    makeTemplate(template);
  });
  afterAll(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  let n = 0;
  it.each(CASES.map((c) => [c.argv.join(' '), c] as const))('%s', async (_title, c: DiffCase) => {
    const dir = path.join(base, `case${n++}`);
    execFileSync('cp', ['-a', template, dir]);
    const memfs = MemFs.fromHost(dir);
    // What a command finds at /bin/busybox; mydock never reads the binary itself.
    memfs.put('/bin/busybox', 'busybox', { mode: 0o755 });
    fs.copyFileSync('/bin/busybox', path.join(dir, 'bin/busybox'));
    const cwd = c.cwd ?? '/';
    const real = spawnSync(CHROOT!, [dir, '/bin/busybox', 'sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', cwd, '/bin/busybox', ...c.argv], {
      input: c.stdin ?? '',
      env: { PATH: '/bin', TZ: 'UTC', LANG: 'C' },
    });
    expect(real.error).toBeUndefined();
    const mine = await run(c.argv, { fs: memfs, stdin: c.stdin ?? '', cwd, now: Date.now(), env: { PATH: '/bin' } });
    expect({ stdout: mine.stdout, stderr: mine.stderr, status: mine.status }).toEqual({
      stdout: real.stdout.toString('utf8'),
      stderr: real.stderr.toString('utf8'),
      status: real.status,
    });
    if (c.tree) expect(memTree(memfs)).toEqual(hostTree(dir));
  });
});
