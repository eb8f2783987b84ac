/**
 * A full disk and a read-only or foreign-owned root: commands that must
 * write fail at once with the file named and what to do (exit 1, or 125
 * for `run`), leave no temporary record files, and the root checks clean
 * once the problem is gone. The disk is a small tmpfs mounted for the test;
 * without the right to mount (not root, or no tmpfs) the tests are skipped
 * and say why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, type CliResult } from '../helpers/cli.js';

function tryMount(dir: string, size: string): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (mounting a small tmpfs needs it)';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `cannot mount a tmpfs: ${(e as Error).message.split('\n')[0]}`;
  }
}

const remount = (dir: string, opts: string) => execFileSync('mount', ['-o', `remount,${opts}`, dir], { stdio: 'pipe' });

/** Temporary files of record writes (`.<name>.tmp-<pid>-<hex>`) anywhere in the root. */
function recordTemps(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 6) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (/\.tmp-\d+-[0-9a-f]+$/.test(e.name)) out.push(path.join(d, e.name));
      else if (e.isDirectory() && !/^(diff|_data|merged|work)$/.test(e.name)) walk(path.join(d, e.name), depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

describe('full disk, read-only and foreign-owned roots', () => {
  let dir: string;
  let mnt: string;
  let root: string;
  let skip: string | null;
  const md = (args: string[], opts: { uid?: number } = {}): CliResult => {
    const cmd = opts.uid === undefined ? process.execPath : 'setpriv';
    const argv = [BIN, '--root', root, ...args];
    const full = opts.uid === undefined ? argv : ['--reuid', String(opts.uid), '--regid', String(opts.uid), '--clear-groups', process.execPath, ...argv];
    const r = spawnSync(cmd, full, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' }, cwd: os.tmpdir() });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  };

  beforeAll(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-resources-'));
    // Readable by others, so that the foreign-owner case fails inside the root, not at its door.
    fs.chmodSync(dir, 0o755);
    mnt = path.join(dir, 'fs');
    fs.mkdirSync(mnt);
    skip = tryMount(mnt, '24m');
    if (!skip) fs.chmodSync(mnt, 0o755);
    if (skip) console.warn(`skipped: ${skip}`);
    root = path.join(mnt, 'root');
  });
  afterAll(() => {
    if (!skip) spawnSync('umount', [mnt]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ENOSPC: a clear message naming the file, no temporary files, the root clean after space is freed', (ctx) => {
    if (skip) return ctx.skip();
    expect(md(['pull', 'alpine']).status).toBe(0);
    const fill = md(['run', '--name', 'full', 'alpine', 'dd', 'if=/dev/zero', 'of=/big', 'bs=1M', 'count=64']);
    expect(fill.status).not.toBe(0);

    const vol = md(['volume', 'create', 'v1']);
    expect(vol.status).toBe(1);
    expect(vol.stderr).toMatch(new RegExp(`^Error response from daemon: write ${root}/\\S+: no space left on device: free space on the filesystem that holds the root, then run 'mydock system check'\\n$`));
    const run = md(['run', '-d', 'alpine', 'sleep', '5']);
    expect(run.status).toBe(125);
    expect(run.stderr).toContain('no space left on device: free space');
    expect(md(['images']).status).toBe(0);
    expect(recordTemps(root)).toEqual([]);
    // Reading commands still work on the full disk, and removing frees space.
    for (const args of [['ps', '-a'], ['ps', '-s'], ['inspect', 'full'], ['logs', 'full'], ['system', 'df']]) {
      const r = md(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const rm = md(['rm', '-f', 'full']);
    expect(rm.status, rm.stderr).toBe(0);

    remount(mnt, 'size=96m');
    md(['system', 'check', '--repair']);
    const check = md(['system', 'check']);
    const lines = check.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([]);
    expect(md(['run', '--rm', 'alpine', 'true']).status).toBe(0);
  });

  it('read-only root: reads work, writes fail at once with what to do', (ctx) => {
    if (skip) return ctx.skip();
    expect(md(['pull', 'alpine']).status).toBe(0);
    remount(mnt, 'ro');
    try {
      expect(md(['images']).status).toBe(0);
      expect(md(['ps', '-a']).status).toBe(0);
      const t0 = Date.now();
      for (const [args, status] of [
        [['volume', 'create', 'v2'], 1],
        [['rmi', 'alpine'], 1],
        [['run', '--rm', 'alpine', 'true'], 125],
      ] as const) {
        const r = md([...args]);
        expect(r.status, r.stderr).toBe(status);
        expect(r.stderr).toMatch(/write \S+: read-only file system: mount the root read-write or choose another --root/);
      }
      // Each used to wait for the lock for minutes.
      expect(Date.now() - t0).toBeLessThan(20_000);
    } finally {
      remount(mnt, 'rw');
    }
    expect(md(['images', '-q']).stdout.trim()).not.toBe('');
  });

  it('a root owned by another user: writes fail with "permission denied" and what to do', (ctx) => {
    if (skip) return ctx.skip();
    const nobody = 65534;
    expect(md(['pull', 'alpine']).status).toBe(0);
    const r = md(['volume', 'create', 'v3'], { uid: nobody });
    if (r.stderr.includes('setpriv')) return ctx.skip();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/permission denied: run as the owner of the root or fix its permissions/);
  });
});
