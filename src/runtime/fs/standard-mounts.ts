/**
 * The mounts Docker gives every container before the user's own, in the
 * order the runtime mounts them (and /proc/mounts lists them):
 * /proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue, /dev/shm.
 * Volumes, binds, tmpfs and the /etc/hostname, /etc/hosts, /etc/resolv.conf
 * file mounts come after, supplied by the engine.
 */
import { createDevPts, createDevTree, DEV_SIZE_BYTES } from './dev.js';
import { MemoryTree } from './memory-tree.js';
import type { Mount } from './mount-table.js';
import { createProcTree, type ProcOptions } from './proc.js';
import { SyntheticTree, type SynthNode } from './synthetic-tree.js';

export interface StandardMountOptions extends ProcOptions {
  /** --shm-size; Docker's default is 64 MiB. */
  shmSizeBytes?: number;
  clock?: () => number;
}

const emptyDir = (entries: Record<string, SynthNode> = {}): SynthNode => ({ type: 'dir', entries: () => entries, mode: 0o755 });

export function standardMounts(options: StandardMountOptions = {}): Mount[] {
  const shmSize = options.shmSizeBytes ?? DEV_SIZE_BYTES;
  const boot = options.bootTimeMs ?? Date.now();
  return [
    { target: '/proc', backend: createProcTree(options), readOnly: false, kind: 'proc', source: 'proc', noexec: true },
    { target: '/dev', backend: createDevTree({ clock: options.clock }), readOnly: false, kind: 'dev', source: 'tmpfs' },
    { target: '/dev/pts', backend: createDevPts(), readOnly: false, kind: 'devpts', source: 'devpts', noexec: true },
    {
      target: '/sys',
      backend: new SyntheticTree('sysfs', () => emptyDir({ fs: emptyDir({ cgroup: emptyDir() }) }), boot),
      readOnly: true,
      kind: 'sysfs',
      source: 'sysfs',
      noexec: true,
    },
    { target: '/sys/fs/cgroup', backend: new SyntheticTree('cgroup2', () => emptyDir(), boot), readOnly: true, kind: 'cgroup', source: 'cgroup', noexec: true },
    { target: '/dev/mqueue', backend: new MemoryTree({ kind: 'mqueue', rootMode: 0o1777, clock: options.clock }), readOnly: false, kind: 'mqueue', source: 'mqueue', noexec: true },
    {
      target: '/dev/shm',
      backend: new MemoryTree({ kind: 'tmpfs', rootMode: 0o1777, sizeLimit: shmSize, clock: options.clock }),
      readOnly: false,
      kind: 'tmpfs',
      source: 'shm',
      options: `nosuid,nodev,noexec,relatime,size=${Math.floor(shmSize / 1024)}k,inode64`,
      noexec: true,
    },
  ];
}
