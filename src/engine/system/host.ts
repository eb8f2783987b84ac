/**
 * Facts about the host that `info` and `version` report and that mydock
 * cannot decide itself: read where Docker's daemon reads them (uname,
 * /etc/os-release, /proc/meminfo through `os`, statfs of the data root, the
 * cgroup mount), so that mydock shows the numbers Docker would on the same
 * machine. Every reader tolerates a host that lacks the file.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Go's GOARCH names for Node's `process.arch`. */
const GOARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function goArch(): string {
  return GOARCH[process.arch] ?? process.arch;
}

/** Go's GOOS for Node's `process.platform`. */
export function goOs(): string {
  return process.platform === 'win32' ? 'windows' : process.platform;
}

/** `uname -m`, as the daemon's Architecture. */
export function machine(): string {
  return typeof os.machine === 'function' ? os.machine() : process.arch;
}

/** `uname -r`. */
export function kernelVersion(): string {
  return os.release();
}

export interface OsRelease {
  prettyName: string;
  versionId: string;
}

/** PRETTY_NAME and VERSION_ID from /etc/os-release (the daemon's OperatingSystem and OSVersion). */
export function osRelease(file = '/etc/os-release'): OsRelease {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // A host without os-release: Docker falls back to "<unknown>".
  }
  const value = (key: string): string | null => {
    const m = new RegExp(`^${key}=(.*)$`, 'm').exec(text);
    if (!m) return null;
    return m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  };
  return { prettyName: value('PRETTY_NAME') ?? '<unknown>', versionId: value('VERSION_ID') ?? '' };
}

/** runtime.NumCPU: the CPUs this process may run on. */
export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** MemTotal from /proc/meminfo, in bytes. */
export function memTotal(): number {
  return os.totalmem();
}

/** statfs magic numbers the daemon names (graphdriver.FsNames). */
const FS_NAMES: ReadonlyMap<number, string> = new Map([
  [0xef53, 'extfs'],
  [0x58465342, 'xfs'],
  [0x01021994, 'tmpfs'],
  [0x9123683e, 'btrfs'],
  [0x794c7630, 'overlayfs'],
  [0x6969, 'nfs'],
  [0x2fc12fc1, 'zfs'],
  [0x65735546, 'fuse'],
  [0x5346544e, 'ntfs'],
  [0x4244, 'hfs'],
  [0x73717368, 'squashfs'],
  [0xf15f, 'ecryptfs'],
  [0x52654973, 'reiserfs'],
]);

/** The "Backing Filesystem" of the data root, as overlay2's Status reports it. */
export function backingFilesystem(dir: string): string {
  try {
    const type = Number(fs.statfsSync(dir).type);
    return FS_NAMES.get(type) ?? '<unknown>';
  } catch {
    return '<unknown>';
  }
}

/** "2" on a unified cgroup hierarchy, else "1", as the daemon detects it. */
export function cgroupVersion(): string {
  return fs.existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1';
}

/** Open file descriptors of this process (the daemon's NFd). */
export function openFds(): number {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}
