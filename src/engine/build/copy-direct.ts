/**
 * The fast half of COPY: a source directory written into a directory of the
 * writable layer that the step has just created, through a backend onto the
 * layer's own tree (BuildContainer.directTree). The operations and their
 * order are the ones `performCopy` does through the container filesystem
 * (mkdir, chmod, chown, children, then the directory's time; a file's
 * content, mode, owner and time; a symlink and its owner), so the layer,
 * and with it the DiffID, comes out the same; what goes is the
 * per-entry path resolution through mounts and layers, which for a large
 * context cost more than the writes.
 */
import type { HostDirBackend } from '../../storage/host-dir.js';
import type { SourceTree } from './sources.js';

export interface DirectCopyOptions {
  uid: number;
  gid: number;
  /** `--chmod`, replacing every entry's permissions. */
  chmod: number | null;
}

const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;
const child = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);
const srcChild = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

/** Copies the children of source directory `src` into `dst` ("/" is the backend's root, an empty new directory). */
export function copyChildrenDirect(target: HostDirBackend, tree: SourceTree, src: string, options: DirectCopyOptions): void {
  const write = (from: string, to: string): void => {
    const e = tree.get(from)!;
    const mode = options.chmod ?? e.mode;
    if (e.type === 'dir') {
      target.mkdir(to, mode);
      target.chown(to, options.uid, options.gid);
      for (const name of tree.children(from)) write(srcChild(from, name), child(to, name));
      target.utimes(to, seconds(e.mtimeMs), seconds(e.mtimeMs));
      return;
    }
    if (e.type === 'symlink') {
      target.symlink(e.linkname, to);
      target.chown(to, options.uid, options.gid);
      return;
    }
    const data = tree.read(from);
    const fh = target.open(to, { write: true, create: true, exclusive: true, mode });
    try {
      let off = 0;
      while (off < data.length) off += fh.write(data, off, data.length - off, off);
    } finally {
      fh.close();
    }
    // The created file already has `mode`; chmod again anyway: setuid bits can be dropped by create.
    target.chmod(to, mode);
    target.chown(to, options.uid, options.gid);
    target.utimes(to, seconds(e.mtimeMs), seconds(e.mtimeMs));
  };
  // One read and one write of the owner sidecar for the whole tree, not one per entry.
  target.owners.batch(() => {
    for (const name of tree.children(src)) write(srcChild(src, name), child('/', name));
  });
}
