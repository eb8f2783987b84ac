/**
 * Creating mount points, as the runtime does before it mounts anything.
 *
 * Docker (runc) takes the mounts in order and, for each, resolves the target
 * inside the container with symlinks confined to the container
 * (FollowSymlinkInScope), then creates whatever is missing: directories for
 * a directory mount, an empty file for a file mount. Those entries are real
 * entries of the filesystem underneath: of the container's writable layer
 * for a volume on /data (so `docker diff` shows `A /data`), or of an earlier
 * mount for a nested one (/data/sub inside the /data volume).
 *
 * The standard mount points (/proc, /dev, /sys, /etc/hostname ...) live in
 * Docker's init layer instead, so they never show in `docker diff`; a caller
 * that builds that layer first (storage's setupInitLayer) finds nothing created here
 * for them.
 *
 * A mount's read-only flag does not stop this step (the mount is not there
 * yet), but a read-only backend does: that is Docker's "read-only file
 * system" error for a mount point inside a `:ro` mount.
 */
import { FsError } from '../../storage/backend.js';
import type { Mount, MountTable } from './mount-table.js';
import { joinComponents, splitPath } from './path.js';
import { Resolver } from './resolver.js';

export interface PreparedMounts {
  /** The same mounts with canonical targets (a target reached through a symlink is mounted where it leads). */
  table: MountTable;
  /** Container paths created, in creation order. */
  created: string[];
}

export function prepareMountpoints(table: MountTable): PreparedMounts {
  const done: Mount[] = [];
  const created: string[] = [];
  for (const m of table.mountsOnly()) {
    const resolver = new Resolver(table.withMounts(done));
    const isFileMount = m.backend.lstat('/')?.type !== 'dir';
    const parts = splitPath(m.target);
    let canonical: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const r = resolver.resolve(joinComponents([...canonical, parts[i]]), [], { follow: true, allowMissing: true, syscall: 'mount' });
      const backend = r.mount.backend;
      if (r.stat === null) {
        if (last && isFileMount) backend.open(r.rel, { write: true, create: true, mode: 0o755 }).close();
        else backend.mkdir(r.rel, 0o755);
        created.push(r.path);
      } else if (last && isFileMount && r.stat.type === 'dir') {
        throw new FsError('EISDIR', m.target, 'mount');
      } else if ((!last || !isFileMount) && r.stat.type !== 'dir') {
        throw new FsError('ENOTDIR', m.target, 'mount');
      }
      canonical = r.components;
    }
    done.push({ ...m, target: joinComponents(canonical) });
  }
  return { table: table.withMounts(done), created };
}
