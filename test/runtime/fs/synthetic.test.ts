import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsError, type FileHandle } from '../../../src/storage/backend.js';
import { ContainerFs } from '../../../src/runtime/fs/container-fs.js';
import { setupInitLayer } from '../../../src/storage/layer-db.js';
import { MemoryTree } from '../../../src/runtime/fs/memory-tree.js';
import { standardMounts } from '../../../src/runtime/fs/standard-mounts.js';
import { bufferedInputHandle } from '../../../src/runtime/fs/stdio.js';
import type { ProcessFs } from '../../../src/runtime/fs/process-fs.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
  return 'ok';
}

/** An in-memory sink handle standing in for the runtime's stdout. */
function sink(): FileHandle & { text(): string } {
  const chunks: Buffer[] = [];
  const h = bufferedInputHandle(new Uint8Array());
  return {
    ...h,
    write(b, o = 0, l = b.length - o) {
      chunks.push(Buffer.from(b.subarray(o, o + l)));
      return l;
    },
    text: () => Buffer.concat(chunks).toString(),
  };
}

const SYSTEM = {
  cpus: [{ model: 'Test CPU', mhz: 2000 }],
  memTotalKb: 1000000,
  memFreeKb: 500000,
  kernelRelease: '6.8.0-test',
  kernelVersion: '#1 SMP',
  uptimeSeconds: () => 123.45,
  loadavg: () => [0.5, 0.25, 0.125] as const,
};

let root: MemoryTree;
let cfs: ContainerFs;
let out: ReturnType<typeof sink>;
let p: ProcessFs;

beforeEach(() => {
  root = new MemoryTree({ kind: 'overlay2' });
  root.mkdir('/etc', 0o755);
  root.mkdir('/bin', 0o755);
  setupInitLayer(root);
  const volume = new MemoryTree({ kind: 'volume' });
  cfs = new ContainerFs({ backend: root, options: 'relatime,lowerdir=/l/A:/l/B,upperdir=/x/diff,workdir=/x/work' }, [
    ...standardMounts({ system: SYSTEM, processes: () => [{ pid: 1, argv: ['sh', '-c', 'sleep 1'] }] }),
    { target: '/data', backend: volume, readOnly: false, kind: 'volume', source: '/dev/sda1' },
  ]);
  expect(cfs.prepareMountpoints()).toEqual(['/data']);
  out = sink();
  p = cfs.forProcess('/', { pid: 7, argv: ['cat', '/dev/stdin'], stdio: { stdin: bufferedInputHandle(Buffer.from('input\n')), stdout: out } });
});
afterEach(() => undefined);

describe('/dev', () => {
  it('lists what a Docker container has', () => {
    expect(p.readdir('/dev')).toEqual(['console', 'core', 'fd', 'full', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']);
    expect(p.stat('/dev/null')).toMatchObject({ type: 'char', mode: 0o666, rdev: { major: 1, minor: 3 } });
    expect(p.readlink('/dev/stdout')).toBe('/proc/self/fd/1');
  });

  it('/dev/null discards and reads EOF, even opened with truncate', () => {
    p.writeFile('/dev/null', 'gone');
    p.writeFile('/dev/null', 'gone', { append: true });
    expect(p.readFile('/dev/null').length).toBe(0);
    expect(p.stat('/dev/null').type).toBe('char');
  });

  it('/dev/zero reads zeros, /dev/urandom random bytes, /dev/full ENOSPC', () => {
    const h = p.open('/dev/zero', { read: true });
    const buf = Buffer.alloc(4096, 7);
    expect(h.read(buf, 0, 4096)).toBe(4096);
    expect(buf.every((b) => b === 0)).toBe(true);
    h.close();
    const r = p.open('/dev/urandom', { read: true });
    const rb = Buffer.alloc(64);
    r.read(rb, 0, 64);
    expect(rb.some((b) => b !== 0)).toBe(true);
    expect(code(() => p.writeFile('/dev/full', 'x'))).toBe('ENOSPC');
  });

  it('is a writable tmpfs; /dev/shm is sticky', () => {
    p.writeFile('/dev/mine', 'x');
    expect(p.readFile('/dev/mine').toString()).toBe('x');
    expect(p.mountOf('/dev/mine')).toMatchObject({ target: '/dev', totalBytes: 65536 * 1024 });
    expect(p.stat('/dev/shm').mode).toBe(0o1777);
    p.writeFile('/dev/shm/seg', 'y');
    expect(p.mountOf('/dev/shm/seg').target).toBe('/dev/shm');
  });

  it('/dev/stdout and /dev/stdin reach the process streams', () => {
    p.writeFile('/dev/stdout', 'hello\n');
    p.writeFile('/proc/self/fd/1', 'again\n', { append: true });
    expect(out.text()).toBe('hello\nagain\n');
    expect(p.readFile('/dev/stdin').toString()).toBe('input\n');
    expect(p.realpath('/dev/stdout')).toBe('/proc/7/fd/1');
    // With fd 2 closed, O_CREAT in /proc/self/fd fails as in Linux (procfs has no create).
    expect(code(() => p.writeFile('/dev/stderr', 'x'))).toBe('EACCES');
    expect(code(() => p.readFile('/dev/stderr'))).toBe('ENOENT');
    expect(code(() => p.open('/dev/tty', { write: true }))).toBe('EPERM');
  });

  it('lets a non-root process reach its own stdout', () => {
    const mine = sink();
    const user = cfs.forProcess('/', { pid: 12, argv: ['sh'], user: { uid: 1000, gid: 1000 }, stdio: { stdout: mine } });
    user.writeFile('/dev/stdout', 'as user\n');
    expect(mine.text()).toBe('as user\n');
    expect(user.stat('/proc/self/fd').uid).toBe(1000);
    expect(code(() => user.readdir('/proc/1/fd'))).toBe('EACCES');
  });
});

describe('/proc', () => {
  it('has self, pids and cmdline', () => {
    expect(p.readlink('/proc/self')).toBe('7');
    expect(p.readdir('/proc')).toEqual(expect.arrayContaining(['1', '7', 'self', 'mounts', 'cpuinfo', 'meminfo', 'version', 'uptime', 'loadavg']));
    expect(p.readFile('/proc/1/cmdline').toString()).toBe('sh\0-c\0sleep 1\0');
    expect(p.readFile('/proc/self/cmdline').toString()).toBe('cat\0/dev/stdin\0');
    expect(p.readFile('/proc/self/comm').toString()).toBe('cat\n');
    expect(p.readFile('/proc/1/stat').toString()).toMatch(/^1 \(sh\) S 0 /);
    const other = cfs.forProcess('/', { pid: 9, argv: ['ls'] });
    expect(other.readlink('/proc/self')).toBe('9');
    expect(other.readdir('/proc/self/fd')).toEqual([]);
  });

  it('prints /proc/mounts like a Docker container', () => {
    expect(p.readFile('/proc/mounts').toString().split('\n')).toEqual([
      'overlay / overlay rw,relatime,lowerdir=/l/A:/l/B,upperdir=/x/diff,workdir=/x/work 0 0',
      'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
      'tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755,inode64 0 0',
      'devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666 0 0',
      'sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0',
      'cgroup /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0',
      'mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec,relatime 0 0',
      'shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k,inode64 0 0',
      '/dev/sda1 /data ext4 rw,relatime 0 0',
      '',
    ]);
    expect(p.readFile('/etc/mtab').toString()).toBe(p.readFile('/proc/mounts').toString());
  });

  it('has the machine files', () => {
    expect(p.readFile('/proc/meminfo').toString()).toContain('MemTotal:        1000000 kB\n');
    expect(p.readFile('/proc/version').toString()).toMatch(/^Linux version 6\.8\.0-test /);
    expect(p.readFile('/proc/uptime').toString()).toMatch(/^123\.45 /);
    expect(p.readFile('/proc/loadavg').toString()).toBe('0.50 0.25 0.13 1/2 7\n');
    expect(p.readFile('/proc/cpuinfo').toString()).toContain('model name\t: Test CPU');
    expect(p.stat('/proc/version').size).toBe(0);
  });

  it('refuses writes; /sys is read-only', () => {
    expect(code(() => p.writeFile('/proc/version', 'x'))).toBe('EACCES');
    expect(code(() => p.mkdir('/proc/x'))).toBe('EACCES');
    expect(p.readdir('/sys')).toEqual(['fs']);
    expect(code(() => p.mkdir('/sys/x'))).toBe('EROFS');
  });
});

describe('init layer', () => {
  it('holds the standard mount points so only user mounts are created in the container layer', () => {
    expect(root.lstat('/.dockerenv')?.type).toBe('file');
    expect(root.readlink('/etc/mtab')).toBe('/proc/mounts');
    expect(root.lstat('/data')?.type).toBe('dir');
  });
});
