/**
 * The overlay2 union view: a stack of layer directories, each holding its
 * changes in the OCI form, seen as one tree (what overlayfs shows in
 * `merged/`). Index 0 is the top layer; only it is ever written.
 *
 * Lookup goes down from the top, one path component at a time. A lower layer
 * is consulted for a component only while no layer above has a whiteout for
 * it, a non-directory at it, or an opaque directory at it. Writes follow
 * overlayfs: the first change to a lower entry copies it up whole (content,
 * mode, owner, times; missing parent directories are created in the upper
 * layer with the lower directories' metadata); deleting a lower entry leaves
 * a whiteout; a directory created where a whiteout was is opaque; renaming a
 * lower (or merged) directory fails with EXDEV, as overlayfs without
 * redirect_dir does, and callers fall back to copying (busybox mv does).
 */
import fs from 'node:fs';
import path from 'node:path';
import { FsError, type FileHandle, type FsBackend, type FsStat, type OpenFlags } from './backend.js';
import type { DriverEvents } from './driver.js';
import { HostDirBackend } from './host-dir.js';
import type { OwnerStore } from './owners.js';
import { baseName, childPath, compareBytes, joinPath, parentOf, splitPath } from './paths.js';
import { WHITEOUT_OPAQUE_DIR, WHITEOUT_PREFIX, whitedOutName, whiteoutFor } from './whiteout.js';

export interface UnionLayer {
  id: string;
  /** The host directory holding the layer's changes (`<id>/diff`). */
  dir: string;
  owners: OwnerStore;
}

interface Found {
  layer: number;
  host: string;
  st: fs.Stats;
}

interface Resolved {
  /** Layers that make up the parent directory, top first. */
  parentLayers: number[];
  /** The visible entry, if any. */
  entry: Found | null;
  /** The top-most entry in the layers below the top one, ignoring the top layer (what a deletion must hide). */
  lower: Found | null;
  /** For a directory: the layers that make it up. */
  dirLayers: number[];
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    // Most lookups miss (a path is looked for in every layer): no exception for those.
    return fs.lstatSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

export class UnionView implements FsBackend {
  readonly kind = 'overlay2';
  readonly readOnly: boolean;
  private readonly backends: HostDirBackend[];

  constructor(
    private readonly layers: readonly UnionLayer[],
    options: { readOnly: boolean; events: DriverEvents },
  ) {
    this.readOnly = options.readOnly;
    this.events = options.events;
    this.backends = layers.map(
      (l, i) =>
        // Lower layers are frozen; the top one is shared with the container's other processes.
        new HostDirBackend(l.dir, { kind: 'overlay2', owners: l.owners, readOnly: i > 0 || options.readOnly, rememberDirs: i > 0 ? true : 'recheck' }),
    );
  }

  private readonly events: DriverEvents;

  private get top(): HostDirBackend {
    return this.backends[0]!;
  }

  /**
   * Lookups in the layers below the top one, remembered for the view's life:
   * those layers are frozen (the driver never lets an active layer be a
   * parent), so an answer never goes stale. Only the top layer is asked
   * every time. A shell loop touching the same paths pays for the lower
   * layers once.
   */
  private readonly frozenStats = new Map<string, fs.Stats | null>();

  private layerStat(k: number, host: string): fs.Stats | null {
    if (k === 0) return lstatOrNull(host);
    let st = this.frozenStats.get(host);
    if (st === undefined) {
      st = lstatOrNull(host);
      this.frozenStats.set(host, st);
    }
    return st;
  }

  /**
   * Directories of the union already resolved (key: the path without its
   * leading '/'), with the layers that make each up. Every component of such
   * a path was lstat'ed, one at a time, in each of those layers, so the layer
   * backends are told too (`noteVerifiedDir`) and check nothing again under it.
   * An entry stands while all its ancestors do: every change that can remove,
   * replace, hide or re-compose a directory forgets the path and everything
   * under it (`changed`). A lookup whose parent is here costs one lstat per
   * layer instead of one per component and layer, so deep trees stay cheap.
   */
  private readonly dirs = new Map<string, number[]>();

  private rememberDir(key: string, layers: number[]): void {
    if (this.dirs.size >= 65536) {
      const root = this.dirs.get('');
      this.dirs.clear();
      if (root) this.dirs.set('', root);
    }
    this.dirs.set(key, layers);
    const p = '/' + key;
    for (const k of layers) this.backends[k]!.noteVerifiedDir(p);
  }

  /** `p` was removed, replaced, hidden or re-composed in the top layer: forget it and all under it. */
  private changed(p: string): void {
    this.top.forgetDirs(p);
    if (this.dirs.size === 0) return;
    const key = splitPath(p).join('/');
    if (key === '') {
      this.dirs.clear();
      return;
    }
    const under = key + '/';
    for (const k of this.dirs.keys()) if (k === key || k.startsWith(under)) this.dirs.delete(k);
  }

  private resolve(p: string, syscall: string, emit = true): Resolved {
    const parts = splitPath(p);
    let start = 0;
    let dirLayers: number[];
    // The root's own entry is '' (its composition is found once: a layer root is never made opaque through a view).
    const parentKey = parts.length > 1 ? parts.slice(0, -1).join('/') : '';
    let known = this.dirs.get(parentKey);
    // The top layer can change under us (an `exec` beside the main program):
    // a remembered directory made partly of it is used only if still real there.
    if (known && parentKey !== '' && known.includes(0) && !this.top.verifiedPrefixIsCurrent('/' + parentKey)) {
      this.changed('/' + parentKey);
      known = undefined;
    }
    if (known) {
      dirLayers = known;
      start = Math.max(0, parts.length - 1);
    } else {
      dirLayers = this.layers.map((_, i) => i);
      // A layer whose root is opaque hides everything below it.
      const opaqueRoot = dirLayers.findIndex((i) => this.layerStat(i, path.join(this.layers[i]!.dir, WHITEOUT_OPAQUE_DIR)));
      if (opaqueRoot >= 0) dirLayers = dirLayers.slice(0, opaqueRoot + 1);
      this.dirs.set('', dirLayers);
    }
    if (parts.length === 0) {
      const st = fs.lstatSync(this.layers[0]!.dir);
      return { parentLayers: [], entry: { layer: 0, host: this.layers[0]!.dir, st }, lower: null, dirLayers };
    }
    for (let i = start; i < parts.length; i++) {
      const name = parts[i]!;
      const rel = parts.slice(0, i + 1);
      let entry: Found | null = null;
      let lower: Found | null = null;
      const childLayers: number[] = [];
      let visibleDone = false;
      let lowerDone = false;
      for (const k of dirLayers) {
        const host = path.join(this.layers[k]!.dir, ...rel);
        const st = this.layerStat(k, host);
        if (st) {
          if (!visibleDone) {
            if (!entry) entry = { layer: k, host, st };
            if (entry.st.isDirectory() && st.isDirectory()) {
              childLayers.push(k);
              if (this.layerStat(k, path.join(host, WHITEOUT_OPAQUE_DIR))) visibleDone = true;
            } else if (entry.layer !== k || !st.isDirectory()) visibleDone = true;
          }
          if (k > 0 && !lowerDone && !lower) {
            lower = { layer: k, host, st };
            lowerDone = true;
          }
        } else if (this.layerStat(k, path.join(path.dirname(host), whiteoutFor(name)))) {
          visibleDone = true;
          if (k > 0) lowerDone = true;
        }
        if (visibleDone && (lowerDone || k > 0)) break;
      }
      if (i === parts.length - 1) {
        if (entry?.st.isDirectory()) this.rememberDir(rel.join('/'), childLayers);
        if (emit) {
          this.events.emit({ type: 'lookup', layer: this.layers[0]!.id, path: p, depth: entry ? entry.layer : this.layers.length, found: !!entry });
        }
        return { parentLayers: dirLayers, entry, lower, dirLayers: entry?.st.isDirectory() ? childLayers : [] };
      }
      if (!entry) throw new FsError('ENOENT', p, syscall);
      if (!entry.st.isDirectory()) throw new FsError('ENOTDIR', p, syscall);
      dirLayers = childLayers;
      this.rememberDir(rel.join('/'), childLayers);
    }
    throw new FsError('ENOENT', p, syscall);
  }

  private mutable(p: string, syscall: string): void {
    if (this.readOnly) throw new FsError('EROFS', p, syscall);
  }

  lstat(p: string): FsStat | null {
    let r: Resolved;
    try {
      r = this.resolve(p, 'lstat');
    } catch (err) {
      if (err instanceof FsError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return null;
      throw err;
    }
    if (!r.entry) return null;
    // The top layer's entry was lstat'ed just now, by the walk; a lower one is asked again (its atime moves on reads).
    const st = r.entry.layer === 0 ? this.top.statOf(r.entry.host, r.entry.st) : this.backends[r.entry.layer]!.lstat(p);
    if (!st) return null;
    st.layer = { id: this.layers[r.entry.layer]!.id, depth: r.entry.layer };
    return st;
  }

  readdir(p: string): string[] {
    const r = this.resolve(p, 'scandir');
    if (!r.entry) throw new FsError('ENOENT', p, 'scandir');
    if (!r.entry.st.isDirectory()) throw new FsError('ENOTDIR', p, 'scandir');
    const parts = splitPath(p);
    const seen = new Set<string>();
    const names: string[] = [];
    for (const k of r.dirLayers) {
      const raw = fs.readdirSync(path.join(this.layers[k]!.dir, ...parts));
      const hidden: string[] = [];
      for (const name of raw) {
        if (name.startsWith(WHITEOUT_PREFIX)) {
          const w = whitedOutName(name);
          if (w !== null) hidden.push(w);
          continue;
        }
        if (seen.has(name)) continue;
        seen.add(name);
        names.push(name);
      }
      for (const h of hidden) seen.add(h);
    }
    return names.sort(compareBytes);
  }

  readlink(p: string): string {
    const r = this.resolve(p, 'readlink');
    if (!r.entry) throw new FsError('ENOENT', p, 'readlink');
    return this.backends[r.entry.layer]!.readlink(p);
  }

  /** Makes `dirPath` (and its parents) exist in the top layer, copying lower directories' metadata. */
  private ensureUpperDir(dirPath: string): void {
    const parts = splitPath(dirPath);
    if (parts.length > 0 && this.top.isVerifiedDir(dirPath)) return;
    const created: { p: string; st: FsStat; from: number }[] = [];
    for (let i = 1; i <= parts.length; i++) {
      const p = joinPath(parts.slice(0, i));
      const up = lstatOrNull(path.join(this.layers[0]!.dir, ...parts.slice(0, i)));
      if (up?.isDirectory()) continue;
      const r = this.resolve(p, 'copyup', false);
      if (!r.entry) throw new FsError('ENOENT', p, 'copyup');
      if (!r.entry.st.isDirectory()) throw new FsError('ENOTDIR', p, 'copyup');
      const st = this.backends[r.entry.layer]!.lstat(p)!;
      this.top.mkdir(p, st.mode);
      created.push({ p, st, from: r.entry.layer });
    }
    // The copied-up directories are made of one more layer now.
    if (created.length > 0) this.changed(created[0]!.p);
    // Each prefix is now a real directory in the top layer, checked in order.
    if (parts.length > 0) this.top.noteVerifiedDir(dirPath);
    for (const c of created.reverse()) {
      this.top.chown(c.p, c.st.uid, c.st.gid);
      this.top.chmod(c.p, c.st.mode);
      this.top.utimes(c.p, c.st.atimeMs, c.st.mtimeMs);
      this.events.emit({ type: 'copy-up', layer: this.layers[0]!.id, path: c.p, bytes: 0, fromLayer: this.layers[c.from]!.id, depth: c.from });
    }
  }

  /** The first change to a lower entry: copy it whole into the top layer. */
  private copyUp(p: string, syscall: string): Resolved {
    const r = this.resolve(p, syscall);
    if (!r.entry) throw new FsError('ENOENT', p, syscall);
    if (r.entry.layer === 0) return r;
    if (r.entry.st.isDirectory()) {
      this.ensureUpperDir(p);
      return this.resolve(p, syscall, false);
    }
    this.ensureUpperDir(parentOf(p));
    const src = this.backends[r.entry.layer]!;
    const st = src.lstat(p)!;
    const dst = this.top.hostPath(p, syscall);
    if (st.type === 'file') {
      // EXCL: the copy never replaces a file, and libuv then skips its ftruncate(0), which on ext4
      // (auto_da_alloc) would start writing the whole copy back at close and stall the next fsync.
      fs.copyFileSync(r.entry.host, dst, fs.constants.COPYFILE_EXCL);
      this.top.owners.created(dst, fs.lstatSync(dst));
    } else if (st.type === 'symlink') {
      this.top.symlink(src.readlink(p), p);
    } else if (st.type === 'dir') {
      this.top.mkdir(p, st.mode);
    } else if (st.type === 'fifo' || st.type === 'char' || st.type === 'block') {
      this.top.mknod(p, st.type, st.mode, st.rdev);
    } else {
      throw new FsError('EPERM', p, syscall);
    }
    // chown first: it clears setuid and setgid bits, which chmod then restores.
    this.top.chown(p, st.uid, st.gid);
    if (st.type !== 'symlink') this.top.chmod(p, st.mode);
    this.top.utimes(p, st.atimeMs, st.mtimeMs);
    this.events.emit({
      type: 'copy-up',
      layer: this.layers[0]!.id,
      path: p,
      bytes: st.type === 'file' || st.type === 'symlink' ? st.size : 0,
      fromLayer: this.layers[r.entry.layer]!.id,
      depth: r.entry.layer,
    });
    return this.resolve(p, syscall, false);
  }

  /** Removes the whiteout for `p` from the top layer; true if there was one. */
  private dropWhiteout(p: string): boolean {
    const wh = childPath(parentOf(p), whiteoutFor(baseName(p)));
    if (this.top.lstat(wh)) {
      this.changed(p);
      this.top.unlink(wh);
      return true;
    }
    return false;
  }

  private writeWhiteout(p: string): void {
    this.changed(p);
    this.ensureUpperDir(parentOf(p));
    const wh = childPath(parentOf(p), whiteoutFor(baseName(p)));
    this.top.open(wh, { write: true, create: true, truncate: true, mode: 0o600 }).close();
    this.events.emit({ type: 'whiteout', layer: this.layers[0]!.id, path: p });
  }

  private makeOpaque(p: string): void {
    this.changed(p);
    this.top.open(childPath(p, WHITEOUT_OPAQUE_DIR), { write: true, create: true, truncate: true, mode: 0o600 }).close();
    this.events.emit({ type: 'opaque', layer: this.layers[0]!.id, path: p });
  }

  /** Prepares the top layer for a new entry at `p`; returns whether a whiteout was there. */
  private prepareCreate(p: string, syscall: string): boolean {
    this.mutable(p, syscall);
    const r = this.resolve(p, syscall);
    if (r.entry) throw new FsError('EEXIST', p, syscall);
    this.ensureUpperDir(parentOf(p));
    return this.dropWhiteout(p);
  }

  /**
   * Opens a resolved entry. In the top layer the walk that found it has just
   * checked each directory above it and lstat'ed it, which is all the layer
   * backend's `open` would check again first.
   */
  private openEntry(entry: Found, p: string, flags: OpenFlags): FileHandle {
    if (entry.layer === 0) return this.top.openChecked(entry.host, p, flags, entry.st);
    return this.backends[entry.layer]!.open(p, flags);
  }

  open(p: string, flags: OpenFlags): FileHandle {
    const write = !!(flags.write || flags.append || flags.truncate);
    if (!write && !flags.create) {
      const r = this.resolve(p, 'open');
      if (!r.entry) throw new FsError('ENOENT', p, 'open');
      return this.openEntry(r.entry, p, flags);
    }
    this.mutable(p, 'open');
    const r = this.resolve(p, 'open');
    if (r.entry) {
      if (flags.create && flags.exclusive) throw new FsError('EEXIST', p, 'open');
      if (r.entry.st.isSymbolicLink()) throw new FsError('ELOOP', p, 'open');
      if (r.entry.st.isDirectory()) {
        if (write) throw new FsError('EISDIR', p, 'open');
        return this.openEntry(r.entry, p, { read: true });
      }
      if (!write || r.entry.layer === 0) return this.openEntry(r.entry, p, { ...flags, create: false });
      this.copyUp(p, 'open');
      return this.top.open(p, { ...flags, create: false });
    }
    if (!flags.create) throw new FsError('ENOENT', p, 'open');
    this.ensureUpperDir(parentOf(p));
    this.dropWhiteout(p);
    return this.top.open(p, flags);
  }

  mkdir(p: string, mode: number): void {
    const hadWhiteout = this.prepareCreate(p, 'mkdir');
    this.top.mkdir(p, mode);
    if (hadWhiteout) this.makeOpaque(p);
    // Nothing below shows through a new directory (it was neither visible nor a directory below).
    this.rememberDir(splitPath(p).join('/'), [0]);
  }

  rmdir(p: string): void {
    this.mutable(p, 'rmdir');
    const r = this.resolve(p, 'rmdir');
    if (!r.entry) throw new FsError('ENOENT', p, 'rmdir');
    if (!r.entry.st.isDirectory()) throw new FsError('ENOTDIR', p, 'rmdir');
    if (p === '/') throw new FsError('EBUSY', p, 'rmdir');
    if (this.readdir(p).length > 0) throw new FsError('ENOTEMPTY', p, 'rmdir');
    this.changed(p);
    if (r.entry.layer === 0) this.removeUpper(p);
    if (r.lower) this.writeWhiteout(p);
  }

  /** Removes an entry from the top layer only (a directory with its whiteouts). */
  private removeUpper(p: string): void {
    const st = this.top.lstat(p);
    if (!st) return;
    if (st.type === 'dir') {
      for (const name of this.top.readdir(p)) this.removeUpper(childPath(p, name));
      this.top.rmdir(p);
    } else this.top.unlink(p);
  }

  unlink(p: string): void {
    this.mutable(p, 'unlink');
    const r = this.resolve(p, 'unlink');
    if (!r.entry) throw new FsError('ENOENT', p, 'unlink');
    if (r.entry.st.isDirectory()) throw new FsError('EISDIR', p, 'unlink');
    if (r.entry.layer === 0) this.top.unlink(p);
    if (r.lower) this.writeWhiteout(p);
  }

  symlink(target: string, p: string): void {
    this.prepareCreate(p, 'symlink');
    this.top.symlink(target, p);
  }

  link(existingPath: string, newPath: string): void {
    this.mutable(newPath, 'link');
    const src = this.resolve(existingPath, 'link');
    if (!src.entry) throw new FsError('ENOENT', existingPath, 'link');
    if (src.entry.st.isDirectory()) throw new FsError('EPERM', existingPath, 'link');
    if (this.resolve(newPath, 'link', false).entry) throw new FsError('EEXIST', newPath, 'link');
    this.copyUp(existingPath, 'link');
    this.prepareCreate(newPath, 'link');
    this.top.link(existingPath, newPath);
  }

  rename(from: string, to: string): void {
    this.mutable(from, 'rename');
    const rf = this.resolve(from, 'rename');
    if (!rf.entry) throw new FsError('ENOENT', from, 'rename');
    if (from === '/' || to === '/') throw new FsError('EBUSY', from, 'rename');
    if (from === to) return;
    const isDir = rf.entry.st.isDirectory();
    if (isDir && (to + '/').startsWith(from + '/')) throw new FsError('EINVAL', to, 'rename');
    const rt = this.resolve(to, 'rename');
    if (rt.entry) {
      const tDir = rt.entry.st.isDirectory();
      if (tDir && !isDir) throw new FsError('EISDIR', to, 'rename');
      if (!tDir && isDir) throw new FsError('ENOTDIR', to, 'rename');
      if (tDir && this.readdir(to).length > 0) throw new FsError('ENOTEMPTY', to, 'rename');
    }
    // overlayfs without redirect_dir cannot move a directory that has lower parts.
    if (isDir && (rf.entry.layer > 0 || rf.lower)) throw new FsError('EXDEV', from, 'rename');
    if (!isDir) this.copyUp(from, 'rename');
    this.ensureUpperDir(parentOf(to));
    if (rt.entry && rt.entry.layer === 0) this.removeUpper(to);
    const hadWhiteout = this.dropWhiteout(to);
    this.changed(from);
    this.changed(to);
    fs.renameSync(this.top.hostPath(from, 'rename'), this.top.hostPath(to, 'rename'));
    if (isDir && (rt.lower || hadWhiteout)) this.makeOpaque(to);
    if (rf.lower) this.writeWhiteout(from);
  }

  chmod(p: string, mode: number): void {
    this.mutable(p, 'chmod');
    this.copyUp(p, 'chmod');
    this.top.chmod(p, mode);
  }

  chown(p: string, uid: number, gid: number): void {
    this.mutable(p, 'chown');
    this.copyUp(p, 'chown');
    this.top.chown(p, uid, gid);
  }

  utimes(p: string, atimeMs: number, mtimeMs: number): void {
    this.mutable(p, 'utimes');
    this.copyUp(p, 'utimes');
    this.top.utimes(p, atimeMs, mtimeMs);
  }

  mknod(p: string, type: 'char' | 'block' | 'fifo', mode: number, rdev?: { major: number; minor: number }): void {
    this.prepareCreate(p, 'mknod');
    this.top.mknod(p, type, mode, rdev);
  }

  statfs(): { totalBytes: number; freeBytes: number } | null {
    return this.top.statfs();
  }

  /**
   * The top layer's own directory at `p` as a backend of its own, for bulk
   * writes (the builder's COPY of a directory): only when `p` is a directory
   * that exists in the top layer alone (new there, or opaque), so nothing
   * below can show through anywhere under it and writing straight into it is
   * what writing through the union would do: no copy-up or whiteout can be
   * due. Null otherwise, or when the view is read-only.
   */
  exclusiveSubtree(p: string): HostDirBackend | null {
    if (this.readOnly) return null;
    let r: Resolved;
    try {
      r = this.resolve(p, 'open', false);
    } catch {
      return null;
    }
    if (!r.entry || r.entry.layer !== 0 || !r.entry.st.isDirectory()) return null;
    if (r.dirLayers.length !== 1 || r.dirLayers[0] !== 0) return null;
    return this.top.subtree(p);
  }

  /** Does the top layer hold anything at `p` (an entry, or a whiteout of it)? */
  touchedInTop(p: string): boolean {
    if (p === '/') return true;
    const parts = splitPath(p);
    const host = path.join(this.layers[0]!.dir, ...parts);
    if (lstatOrNull(host)) return true;
    return !!lstatOrNull(path.join(path.dirname(host), whiteoutFor(parts[parts.length - 1]!)));
  }
}
