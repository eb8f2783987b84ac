/**
 * COPY and ADD as the classic builder does them, in two halves:
 * - `planCopy` finds what the sources name (wildcards, directories, the
 *   context boundary) and computes the source hash that goes into the
 *   history row and the cache key, before any container exists;
 * - `performCopy` writes into the step's container: a directory's
 *   *contents* are copied; a file lands at the destination, or inside it
 *   when the destination ends with "/" or is an existing directory; missing
 *   parents are created 0755; everything is owned 0:0 unless `--chown`;
 *   mtimes and permissions are kept (`--chmod` replaces the permissions,
 *   as BuildKit does); ADD extracts a local tar archive (plain or gzip)
 *   with the owners the tar records. bzip2 and xz archives, which the
 *   daemon also extracts, are refused with a clear error: Node has no
 *   decoder for either.
 */
import { gunzipSync } from 'node:zlib';
import type { ProcessFs } from '../../runtime/fs/process-fs.js';
import type { HostDirBackend } from '../../storage/host-dir.js';
import { copyChildrenDirect } from './copy-direct.js';
import { cleanPath } from './context/ignore.js';
import { isGzip, looksLikeTar, readTarEntries } from './context/from-tar.js';
import { hashStringSlice } from './context/tarsum.js';
import { addUrlOffline, copyFailed, forbiddenPath, multiSourceDest, BuildStepError } from './errors.js';
import type { SourceTree } from './sources.js';

export interface CopyInfo {
  /** Resolved path in the source tree ("" is its root). */
  path: string;
  /** The name a single file keeps in a directory destination. */
  base: string;
  hash: string;
}

export interface CopyPlan {
  infos: CopyInfo[];
  /** `file:…`, `dir:…` or `multi:…`. */
  hash: string;
  /** The destination as written (after variable expansion), as the history shows it. */
  dest: string;
}

const hasWildcards = (p: string): boolean => /(^|[^\\])[*?[]/.test(p);

/** filepath.Match for one path against a glob (no "/" crossing). */
function globMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) return false;
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+()|{}$^]/g, '\\$&');
  }
  return new RegExp(re + '$').test(name);
}

function allPaths(tree: SourceTree, dir = ''): string[] {
  const out: string[] = [];
  for (const name of tree.children(dir)) {
    const p = dir === '' ? name : `${dir}/${name}`;
    out.push(p);
    if (tree.get(p)?.type === 'dir') out.push(...allPaths(tree, p));
  }
  return out;
}

export function planCopy(cmd: 'COPY' | 'ADD', tree: SourceTree, sources: readonly string[], dest: string, fromContext: boolean): CopyPlan {
  const infos: CopyInfo[] = [];
  for (const orig of sources) {
    if (cmd === 'ADD' && /^https?:\/\//i.test(orig)) throw addUrlOffline(orig);
    if (fromContext) {
      const c = cleanPath(orig);
      if (c === '..' || c.startsWith('../')) throw copyFailed(cmd, forbiddenPath(orig).message);
    }
    let p = orig.startsWith('/') && orig.length > 1 ? orig.slice(1) : orig;
    p = p.replace(/^\.\//, '');
    const cleaned = cleanPath(p === '' ? '.' : p);
    const rel = cleaned === '.' ? '' : cleaned.replace(/^(\.\.\/)+/, '').replace(/^\.\.$/, '');
    if (hasWildcards(rel)) {
      for (const candidate of allPaths(tree)) {
        if (!globMatch(rel, candidate)) continue;
        infos.push(infoFor(tree, candidate, candidate));
      }
      continue;
    }
    const resolved = tree.resolve(rel);
    if (resolved === null || tree.get(resolved) === null) {
      throw copyFailed(cmd, `file not found in build context or excluded by .dockerignore: stat ${rel === '' ? '.' : rel}: file does not exist`);
    }
    infos.push(infoFor(tree, rel, resolved));
  }
  if (infos.length === 0) throw copyFailed(cmd, 'no source files were specified');
  if (infos.length > 1 && !dest.endsWith('/')) throw multiSourceDest(cmd);
  const hash = infos.length === 1 ? infos[0]!.hash : hashStringSlice('multi', infos.map((i) => i.hash));
  return { infos, hash, dest };
}

function infoFor(tree: SourceTree, asWritten: string, resolved: string): CopyInfo {
  const target = tree.resolve(resolved) ?? resolved;
  return { path: target, base: asWritten.slice(asWritten.lastIndexOf('/') + 1), hash: tree.sourceHash(target) };
}

export interface CopyOptions {
  cmd: 'COPY' | 'ADD';
  /** The destination made absolute against WORKDIR, trailing "/" kept. */
  dest: string;
  owner: { uid: number; gid: number } | null;
  chmod: number | null;
  /**
   * A backend straight onto the writable layer at a directory the copy has
   * just created, or null: the contents of a source directory then go there
   * in bulk (copy-direct.ts) instead of entry by entry through `fs`.
   */
  direct?: (dir: string) => HostDirBackend | null;
}

const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

export async function performCopy(fs: ProcessFs, tree: SourceTree, plan: CopyPlan, options: CopyOptions): Promise<void> {
  const uid = options.owner?.uid ?? 0;
  const gid = options.owner?.gid ?? 0;
  const mkdirs = (dir: string): void => {
    const parts = dir.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += '/' + part;
      const st = fs.tryStat(cur);
      if (st) {
        if (st.type !== 'dir') throw new BuildStepError(`failed to copy files: mkdir ${cur}: not a directory`);
        continue;
      }
      fs.mkdir(cur, { mode: 0o755 });
      fs.chown(cur, uid, gid, { noFollow: true });
    }
  };
  /** The children of a directory this copy created, in bulk when the layer allows; false when it must go entry by entry. */
  const writeChildrenDirect = (src: string, dst: string, existed: boolean): boolean => {
    if (existed || !options.direct || tree.children(src).length === 0) return false;
    const target = options.direct(dst);
    if (!target) return false;
    copyChildrenDirect(target, tree, src, { uid, gid, chmod: options.chmod });
    return true;
  };
  const writeEntry = (src: string, dst: string): void => {
    const e = tree.get(src)!;
    const mode = options.chmod ?? e.mode;
    if (e.type === 'dir') {
      const st = fs.tryLstat(dst);
      if (!st || st.type !== 'dir') {
        if (st) fs.rm(dst, { recursive: true, force: true });
        fs.mkdir(dst, { mode });
      }
      fs.chmod(dst, mode);
      fs.chown(dst, uid, gid, { noFollow: true });
      if (!writeChildrenDirect(src, dst, st?.type === 'dir')) {
        for (const name of tree.children(src)) writeEntry(src === '' ? name : `${src}/${name}`, `${dst === '/' ? '' : dst}/${name}`);
      }
      fs.utimes(dst, seconds(e.mtimeMs), seconds(e.mtimeMs));
      return;
    }
    const existing = fs.tryLstat(dst);
    if (existing && (existing.type !== 'file' || e.type !== 'file')) fs.rm(dst, { recursive: true, force: true });
    if (e.type === 'symlink') {
      fs.symlink(e.linkname, dst);
      fs.chown(dst, uid, gid, { noFollow: true });
      return;
    }
    fs.writeFile(dst, tree.read(src), { mode });
    fs.chmod(dst, mode);
    fs.chown(dst, uid, gid, { noFollow: true });
    fs.utimes(dst, seconds(e.mtimeMs), seconds(e.mtimeMs));
  };

  for (const info of plan.infos) {
    const e = tree.get(info.path)!;
    const dest = options.dest;
    if (e.type === 'dir') {
      const target = cleanPath(dest);
      const existed = fs.tryLstat(target) !== null;
      mkdirs(target);
      if (writeChildrenDirect(info.path, target, existed)) continue;
      for (const name of tree.children(info.path)) {
        writeEntry(info.path === '' ? name : `${info.path}/${name}`, `${target === '/' ? '' : target}/${name}`);
      }
      continue;
    }
    if (options.cmd === 'ADD' && e.type === 'file') {
      const data = tree.read(info.path);
      if (await extractArchive(fs, data, cleanPath(dest), mkdirs)) continue;
    }
    let target = cleanPath(dest);
    const st = fs.tryStat(target);
    if (dest.endsWith('/') || st?.type === 'dir') target = `${target === '/' ? '' : target}/${info.base}`;
    mkdirs(target.slice(0, target.lastIndexOf('/')) || '/');
    writeEntry(info.path, target);
  }
}

/** ADD of a local archive: extracted into the destination directory. Returns false when `data` is no archive. */
async function extractArchive(fs: ProcessFs, data: Buffer, dest: string, mkdirs: (d: string) => void): Promise<boolean> {
  let tar = data;
  if (isGzip(data)) {
    try {
      tar = gunzipSync(data);
    } catch {
      return false;
    }
  } else if (data.subarray(0, 3).toString('latin1') === 'BZh' || data.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw copyFailed('ADD', 'mydock cannot decompress bzip2 or xz archives; use a plain or gzip-compressed tar');
  }
  if (!looksLikeTar(tar)) return false;
  let entries;
  try {
    entries = await readTarEntries(tar);
  } catch {
    return false;
  }
  mkdirs(dest);
  for (const e of entries) {
    const dst = `${dest === '/' ? '' : dest}/${e.path}`;
    mkdirs(dst.slice(0, dst.lastIndexOf('/')) || '/');
    const existing = fs.tryLstat(dst);
    if (e.type === 'dir') {
      if (!existing) fs.mkdir(dst, { mode: e.mode });
      else if (existing.type !== 'dir') {
        fs.rm(dst, { force: true });
        fs.mkdir(dst, { mode: e.mode });
      }
      fs.chmod(dst, e.mode);
    } else if (e.type === 'symlink') {
      if (existing) fs.rm(dst, { recursive: true, force: true });
      fs.symlink(e.linkname, dst);
    } else {
      if (existing && existing.type !== 'file') fs.rm(dst, { recursive: true, force: true });
      fs.writeFile(dst, e.data ?? Buffer.alloc(0), { mode: e.mode });
      fs.chmod(dst, e.mode);
    }
    // UntarPath keeps the tar's owners (as root does): --chown is not applied to an extracted archive.
    fs.chown(dst, e.uid ?? 0, e.gid ?? 0, { noFollow: true });
    // chown clears setuid and setgid bits: the tar's mode goes back on after it.
    if (e.type !== 'symlink') fs.chmod(dst, e.mode);
    if (e.type !== 'symlink') fs.utimes(dst, seconds(e.mtimeMs), seconds(e.mtimeMs));
  }
  return true;
}
