/**
 * Docker's volume pre-population: the first time an empty volume is mounted
 * where the image has files, those files are copied into the volume (unless
 * `nocopy`). A bind mount never gets this: it hides what the image has.
 * Copies through the FsBackend interface, so it works for any layer stack
 * and any volume storage, keeping modes, owners, times and symlinks.
 */
import type { FsBackend } from '../../storage/backend.js';

const CHUNK = 1 << 20;

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function copyTree(src: FsBackend, srcPath: string, dst: FsBackend, dstPath: string): number {
  const st = src.lstat(srcPath);
  if (!st) return 0;
  let bytes = 0;
  if (st.type === 'dir') {
    if (!dst.lstat(dstPath)) dst.mkdir(dstPath, st.mode);
    for (const name of src.readdir(srcPath)) bytes += copyTree(src, join(srcPath, name), dst, join(dstPath, name));
    dst.chmod(dstPath, st.mode);
  } else if (st.type === 'symlink') {
    dst.symlink(src.readlink(srcPath), dstPath);
  } else if (st.type === 'file') {
    const from = src.open(srcPath, { read: true });
    const to = dst.open(dstPath, { write: true, create: true, truncate: true, mode: st.mode });
    try {
      const buf = new Uint8Array(CHUNK);
      let pos = 0;
      for (;;) {
        const n = from.read(buf, 0, buf.length, pos);
        if (n === 0) break;
        to.write(buf, 0, n);
        pos += n;
      }
      bytes += pos;
    } finally {
      from.close();
      to.close();
    }
    dst.chmod(dstPath, st.mode);
  } else {
    return 0; // devices and fifos are not copied into volumes
  }
  dst.chown(dstPath, st.uid, st.gid);
  if (st.type !== 'symlink') dst.utimes(dstPath, st.atimeMs, st.mtimeMs);
  return bytes;
}

/**
 * Fills an empty volume from the image's content at `target` (the container's
 * root filesystem, before mounts). Returns the bytes copied (0 when nothing
 * applied: the volume had content, the image has nothing there, or nocopy).
 */
export function prepopulate(rootfs: FsBackend, target: string, volume: FsBackend, options: { noCopy: boolean }): number {
  if (options.noCopy) return 0;
  if (volume.readdir('/').length > 0) return 0;
  const st = rootfs.lstat(target);
  if (!st || st.type !== 'dir') return 0;
  let bytes = 0;
  for (const name of rootfs.readdir(target)) bytes += copyTree(rootfs, join(target, name), volume, `/${name}`);
  volume.chmod('/', st.mode);
  volume.chown('/', st.uid, st.gid);
  return bytes;
}
