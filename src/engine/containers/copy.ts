/**
 * `docker cp`, both directions. The container side is read and written
 * through the container's ProcessFs, so symlinks resolve inside the
 * container (never on the host) and writes copy up like any other write.
 *
 * Docker's rules (cli/command/container/cp.go + pkg/archive CopyInfo):
 * - SRC a file: DEST missing -> DEST is the new file; DEST a directory ->
 *   DEST/basename(SRC); DEST ending in "/" but missing -> error.
 * - SRC a directory: DEST missing -> created with SRC's contents; DEST a
 *   directory -> DEST/basename(SRC), or SRC's contents when SRC ends in "/.".
 * - `-L` follows a symlink named as SRC; without it the link itself is copied.
 * - `-a` keeps uid/gid; otherwise files copied in belong to root (0:0),
 *   files copied out to the user running mydock.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import { ClientError, DaemonError } from '../errors.js';

export interface CopyOptions {
  followLink?: boolean;
  archive?: boolean;
}

export const noSuchDirectory = () => new ClientError('no such directory', 'NO_SUCH_DIRECTORY');

export const noSuchPathInContainer = (p: string, container: string) =>
  new DaemonError(`Could not find the file ${p} in container ${container}`, 'NO_SUCH_PATH', { path: p, container });

function cleanContainerPath(p: string): string {
  return path.posix.isAbsolute(p) ? p : `/${p}`;
}

/** Where a copy lands and whether the source's contents (not the source) are copied. */
function destinationFor(srcIsDir: boolean, srcPath: string, destExists: boolean, destIsDir: boolean, dest: string, join: (a: string, b: string) => string): string {
  const base = srcPath.replace(/\/+$/, '').split('/').pop() || '/';
  if (destExists && destIsDir) {
    if (srcIsDir && /\/\.$/.test(srcPath)) return dest;
    return join(dest, base);
  }
  return dest;
}

/** The size of one entry in the tar Docker streams for a copy: a header block and the content padded to blocks. */
function tarEntrySize(contentBytes: number): number {
  return 512 + Math.ceil(contentBytes / 512) * 512;
}

/** The two zero blocks that end a tar. */
const TAR_TRAILER = 1024;

/** Container -> host. Returns the size of the archive Docker would have streamed (what "Successfully copied" reports). */
export function copyOut(pfs: ProcessFs, src: string, hostDest: string, containerName: string, options: CopyOptions = {}): number {
  const srcPath = cleanContainerPath(src);
  const st = options.followLink ? pfs.tryStat(srcPath) : pfs.tryLstat(srcPath);
  if (!st) throw noSuchPathInContainer(srcPath.replace(/\/\.$/, ''), containerName);
  let destStat: fs.Stats | null = null;
  try {
    destStat = fs.statSync(hostDest);
  } catch {
    destStat = null;
  }
  if (!destStat && /\/$/.test(hostDest) && st.type !== 'dir') {
    throw new ClientError(`destination directory ${hostDest} does not exist`, 'CP_DEST');
  }
  const target = destinationFor(st.type === 'dir', srcPath, destStat !== null, destStat?.isDirectory() ?? false, hostDest, path.join);
  let bytes = TAR_TRAILER;
  const walk = (from: string, to: string, follow: boolean): void => {
    const s = follow ? pfs.stat(from) : pfs.lstat(from);
    bytes += tarEntrySize(s.type === 'file' ? s.size : 0);
    if (s.type === 'dir') {
      fs.mkdirSync(to, { recursive: true, mode: s.mode });
      for (const name of pfs.readdir(from)) walk(`${from === '/' ? '' : from}/${name}`, path.join(to, name), false);
      fs.chmodSync(to, s.mode);
    } else if (s.type === 'symlink') {
      fs.rmSync(to, { force: true });
      fs.symlinkSync(pfs.readlink(from), to);
    } else if (s.type === 'file') {
      const data = pfs.readFile(from);
      fs.writeFileSync(to, data, { mode: s.mode });
      fs.chmodSync(to, s.mode);
    }
    // Devices and fifos are not copied out (no root here).
    if (s.type !== 'symlink') fs.utimesSync(to, s.atimeMs / 1000, s.mtimeMs / 1000);
  };
  walk(srcPath.replace(/\/\.$/, '') || '/', target, options.followLink === true);
  return bytes;
}

/** Host -> container. Returns the size of the archive Docker would have streamed. */
export function copyIn(pfs: ProcessFs, hostSrc: string, dest: string, containerName: string, options: CopyOptions = {}): number {
  let st: fs.Stats;
  try {
    st = options.followLink ? fs.statSync(hostSrc) : fs.lstatSync(hostSrc);
  } catch {
    throw new ClientError(`lstat ${path.resolve(hostSrc)}: no such file or directory`, 'CP_SRC');
  }
  const destPath = cleanContainerPath(dest);
  const destStat = pfs.tryStat(destPath);
  // docker/cli stats a destination that ends in "/" first, and names no path when it is missing.
  if (/\/$/.test(destPath) && (!destStat || destStat.type !== 'dir')) throw noSuchDirectory();
  const parent = path.posix.dirname(destPath.replace(/\/+$/, '') || '/');
  if (!destStat && !pfs.exists(parent)) throw noSuchPathInContainer(parent, containerName);
  if (st.isDirectory() && destStat && destStat.type !== 'dir') throw new ClientError('cannot copy directory', 'CP_DIR_ON_FILE');
  const target = destinationFor(st.isDirectory(), hostSrc, destStat !== null, destStat?.type === 'dir', destPath, (a, b) => path.posix.join(a, b));
  let bytes = TAR_TRAILER;
  const own = (p: string, s: fs.Stats): void => {
    if (options.archive) pfs.chown(p, s.uid, s.gid, { noFollow: true });
    else pfs.chown(p, 0, 0, { noFollow: true });
  };
  const walk = (from: string, to: string, follow: boolean): void => {
    const s = follow ? fs.statSync(from) : fs.lstatSync(from);
    bytes += tarEntrySize(s.isFile() ? s.size : 0);
    if (s.isDirectory()) {
      if (!pfs.exists(to)) pfs.mkdir(to, { mode: s.mode & 0o7777 });
      for (const name of fs.readdirSync(from).sort()) walk(path.join(from, name), path.posix.join(to, name), false);
      pfs.chmod(to, s.mode & 0o7777);
    } else if (s.isSymbolicLink()) {
      if (pfs.tryLstat(to)) pfs.rm(to, { force: true });
      pfs.symlink(fs.readlinkSync(from), to);
    } else if (s.isFile()) {
      const data = fs.readFileSync(from);
      pfs.writeFile(to, data, { mode: s.mode & 0o7777 });
      pfs.chmod(to, s.mode & 0o7777);
    } else return;
    own(to, s);
    if (!s.isSymbolicLink()) pfs.utimes(to, s.atimeMs, s.mtimeMs);
  };
  walk(hostSrc.replace(/\/\.$/, '') || '/', target, options.followLink === true);
  return bytes;
}
