/**
 * /proc/mounts lines as a Docker container shows them (busybox image,
 * overlay2, a volume on /data):
 *
 *   overlay / overlay rw,relatime,lowerdir=...,upperdir=...,workdir=... 0 0
 *   proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
 *   tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755,inode64 0 0
 *   devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666 0 0
 *   sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0
 *   cgroup /sys/fs/cgroup cgroup2 ro,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0
 *   mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec,relatime 0 0
 *   shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k,inode64 0 0
 *   /dev/sda1 /data ext4 rw,relatime 0 0
 *   /dev/sda1 /etc/resolv.conf ext4 rw,relatime 0 0
 *
 * A mount's `fsType` and `options` override the defaults per kind (the
 * engine passes the overlay's lowerdir/upperdir/workdir for the root).
 */
import type { Mount, MountKind } from './mount-table.js';

const DEFAULTS: Record<MountKind, { fsType: string; options: string }> = {
  root: { fsType: 'overlay', options: 'relatime' },
  proc: { fsType: 'proc', options: 'nosuid,nodev,noexec,relatime' },
  dev: { fsType: 'tmpfs', options: 'nosuid,size=65536k,mode=755,inode64' },
  devpts: { fsType: 'devpts', options: 'nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666' },
  sysfs: { fsType: 'sysfs', options: 'nosuid,nodev,noexec,relatime' },
  cgroup: { fsType: 'cgroup2', options: 'nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot' },
  mqueue: { fsType: 'mqueue', options: 'nosuid,nodev,noexec,relatime' },
  tmpfs: { fsType: 'tmpfs', options: 'nosuid,nodev,noexec,relatime,inode64' },
  bind: { fsType: 'ext4', options: 'relatime' },
  volume: { fsType: 'ext4', options: 'relatime' },
  file: { fsType: 'ext4', options: 'relatime' },
};

/** The kernel escapes space, tab, newline and backslash in mount fields as octal. */
function escapeField(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

export function mountLine(m: Mount): string {
  const d = DEFAULTS[m.kind];
  const options = m.options ?? d.options;
  const flags = (m.readOnly ? 'ro' : 'rw') + (options ? ',' + options : '');
  return `${escapeField(m.source)} ${escapeField(m.target)} ${m.fsType ?? d.fsType} ${flags} 0 0`;
}

export function procMounts(mounts: readonly Mount[]): string {
  return mounts.map((m) => mountLine(m) + '\n').join('');
}
