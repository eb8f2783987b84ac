/**
 * Runs shell snippets under real busybox sh, chrooted into a scratch tree
 * that mirrors the test sandbox (busybox and its applet links in /bin,
 * /etc/passwd, /tmp, /root, /dev/null, /proc). Needs root and /bin/busybox.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LINKED_APPLETS } from './sandbox.js';
import type { ShellCase } from '../cases.js';
import type { ShellResult } from './sandbox.js';

export const BUSYBOX = '/bin/busybox';

/** Why the reference cannot run here, or null when it can. */
export function referenceUnavailable(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root (chroot needs root)';
  if (!fs.existsSync(BUSYBOX)) return `${BUSYBOX} missing (apt-get install busybox-static)`;
  return null;
}

export class BusyboxChroot {
  readonly dir: string;
  private procMounted = false;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-bbref-'));
    const bin = path.join(this.dir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.copyFileSync(BUSYBOX, path.join(bin, 'busybox'));
    fs.chmodSync(path.join(bin, 'busybox'), 0o755);
    for (const a of LINKED_APPLETS) fs.symlinkSync('busybox', path.join(bin, a));
    fs.mkdirSync(path.join(this.dir, 'etc'));
    fs.writeFileSync(path.join(this.dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
    fs.mkdirSync(path.join(this.dir, 'usr/bin'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'dev'));
    execFileSync('mknod', ['-m', '666', path.join(this.dir, 'dev/null'), 'c', '1', '3']);
    fs.mkdirSync(path.join(this.dir, 'proc'));
    // busybox re-executes itself through /proc/self/exe (a script without #!).
    try {
      execFileSync('mount', ['-t', 'proc', 'proc', path.join(this.dir, 'proc')], { stdio: 'ignore' });
      this.procMounted = true;
    } catch {
      this.procMounted = false;
    }
  }

  private reset(c: ShellCase): void {
    for (const d of ['tmp', 'root']) {
      fs.rmSync(path.join(this.dir, d), { recursive: true, force: true });
      fs.mkdirSync(path.join(this.dir, d), { mode: d === 'tmp' ? 0o1777 : 0o700 });
      fs.chmodSync(path.join(this.dir, d), d === 'tmp' ? 0o1777 : 0o700);
    }
    for (const [p, content] of Object.entries(c.files ?? {})) {
      fs.writeFileSync(path.join(this.dir, p), content, { mode: c.modes?.[p] ?? 0o644 });
    }
  }

  run(c: ShellCase): ShellResult {
    this.reset(c);
    const r = spawnSync('chroot', [this.dir, '/bin/sh', '-c', c.script], {
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' },
      input: c.stdin ?? '',
      cwd: '/',
      timeout: 10_000,
      encoding: 'utf8',
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 + 9 };
  }

  get hasProc(): boolean {
    return this.procMounted;
  }

  close(): void {
    if (this.procMounted) spawnSync('umount', [path.join(this.dir, 'proc')]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
