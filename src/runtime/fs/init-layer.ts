/**
 * Docker's init layer (`<id>-init`, between the image and the container's
 * writable layer): the mount points of the standard mounts and of the files
 * Docker bind-mounts, created as empty entries so that they never show up in
 * `docker diff`. Same list as moby's daemon/initlayer.
 */
import type { FsBackend } from '../../storage/backend.js';

type InitEntry = { path: string; type: 'dir' | 'file' } | { path: string; type: 'symlink'; target: string };

export const INIT_LAYER_ENTRIES: readonly InitEntry[] = [
  { path: '/dev/pts', type: 'dir' },
  { path: '/dev/shm', type: 'dir' },
  { path: '/proc', type: 'dir' },
  { path: '/sys', type: 'dir' },
  { path: '/.dockerenv', type: 'file' },
  { path: '/etc/resolv.conf', type: 'file' },
  { path: '/etc/hosts', type: 'file' },
  { path: '/etc/hostname', type: 'file' },
  { path: '/dev/console', type: 'file' },
  { path: '/etc/mtab', type: 'symlink', target: '/proc/mounts' },
];

/**
 * Creates the entries (and missing parent directories, mode 755) in a layer's
 * backend, leaving existing ones alone. Returns the paths created.
 */
export function populateInitLayer(layer: FsBackend): string[] {
  const created: string[] = [];
  for (const e of INIT_LAYER_ENTRIES) {
    const parts = e.path.slice(1).split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      if (layer.lstat(dir) === null) {
        layer.mkdir(dir, 0o755);
        created.push(dir);
      }
    }
    if (layer.lstat(e.path) !== null) continue;
    if (e.type === 'dir') layer.mkdir(e.path, 0o755);
    else if (e.type === 'file') layer.open(e.path, { write: true, create: true, mode: 0o755 }).close();
    else if (e.type === 'symlink') layer.symlink(e.target, e.path);
    created.push(e.path);
  }
  return created;
}
