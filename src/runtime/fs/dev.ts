/**
 * The container's /dev as Docker sets it up: a 64 MiB tmpfs (mode 755) with
 * the standard character devices, the stdio symlinks into /proc/self/fd,
 * and the mount points of /dev/pts, /dev/shm and /dev/mqueue.
 *
 *   console core fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero
 */
import { FsError, type OpenFlags } from '../../storage/backend.js';
import { STANDARD_DEVICES } from './devices.js';
import { MemoryTree } from './memory-tree.js';
import type { ProcessIdentity } from './stdio.js';

export const DEV_SIZE_BYTES = 65536 * 1024;

export function createDevTree(options: { clock?: () => number } = {}): MemoryTree {
  const dev = new MemoryTree({ kind: 'tmpfs', sizeLimit: DEV_SIZE_BYTES, rootMode: 0o755, clock: options.clock });
  for (const d of STANDARD_DEVICES) dev.addDevice('/' + d.name, d.rdev, d.opener, d.mode);
  dev.mkdir('/pts', 0o755);
  dev.mkdir('/shm', 0o1777);
  dev.mkdir('/mqueue', 0o1777);
  const links: [string, string][] = [
    ['core', '/proc/kcore'],
    ['fd', '/proc/self/fd'],
    ['ptmx', 'pts/ptmx'],
    ['stderr', '/proc/self/fd/2'],
    ['stdin', '/proc/self/fd/0'],
    ['stdout', '/proc/self/fd/1'],
  ];
  for (const [name, target] of links) dev.symlink(target, '/' + name);
  return dev;
}

/** /dev/pts: devpts with its ptmx node (opening it would allocate a pty, which this runtime has none of). */
export function createDevPts(): MemoryTree {
  const pts = new MemoryTree({ kind: 'devpts', rootMode: 0o755 });
  const noPty = (_flags: OpenFlags, _process: ProcessIdentity | null, path: string): never => {
    throw new FsError('EPERM', path, 'open');
  };
  pts.addDevice('/ptmx', { major: 5, minor: 2 }, noPty, 0o000);
  return pts;
}
