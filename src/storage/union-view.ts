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
import { checkNames, FsError, type FileHandle, type FsBackend, type FsStat, type OpenFlags } from './backend.js';
import { NO_EVENTS, type DriverEvents } from './driver.js';
import { HostDirBackend } from './host-dir.js';
import type { OwnerStore } from './owners.js';
import { baseName, childPath, compareBytes, joinPath, parentOf, splitPath } from './paths.js';
import { WHITEOUT_OPAQUE_DIR, WHITEOUT_PREFIX, whitedOutName, whiteoutFor } from './whiteout.js';
import { SETTLE_MS } from '../state/file-identity.js';

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

interface Step {
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
    this.layerDirs = layers.map((l) => path.resolve(l.dir));
    this.frozen = layers.map(() => new Map());
    this.backends = layers.map(
      (l, i) =>
        // Lower layers are frozen; the top one is shared with the container's other processes.
        new HostDirBackend(l.dir, { kind: 'overlay2', owners: l.owners, readOnly: i > 0 || options.readOnly, rememberDirs: i > 0 }),
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
  private readonly frozen: Map<string, fs.Stats | null>[];
  private frozenCount = 0;

  /** lstat of `key` (a backend path without its leading '/') in layer `k`: asked afresh in the top layer, remembered below. */
  private layerStat(k: number, key: string): fs.Stats | null {
    if (k === 0) return lstatOrNull(this.layerDirs[0]! + '/' + key);
    const memo = this.frozen[k]!;
    let st = memo.get(key);
    if (st === undefined) {
      st = lstatOrNull(this.layerDirs[k]! + '/' + key);
      // A walk over a whole big image would otherwise keep every answer.
      if (++this.frozenCount > 262144) {
        for (const m of this.frozen) m.clear();
        this.frozenCount = 1;
      }
      memo.set(key, st);
    }
    return st;
  }

  /** Each layer's directory, absolute and without a trailing slash: a backend path appended to it is the host path. */
  private readonly layerDirs: string[];

  /** The layers that make up the root (a layer whose root is opaque hides those below); found once, a view never makes a root opaque. */
  private rootLayers: number[] | null = null;

  /**
   * Whether a top-layer directory holds the opaque marker, remembered with
   * the directory's inode and ctime: adding or removing the marker (or
   * replacing the directory) changes them, so the answer stands while they
   * do, whichever process of the container made the change. A directory
   * replaced by another process (`rm -rf d; mkdir d`) often gets the same
   * inode back, and on a coarse kernel clock the same ctime too, so only a
   * directory unchanged for SETTLE_MS when its answer was found is
   * remembered (the rule of state/file-identity.ts). This view's own changes
   * forget the answers at once (`changed`).
   */
  private readonly topOpaque = new Map<string, { ino: number; ctimeMs: number; opaque: boolean }>();

  private isOpaque(k: number, key: string, host: string, st: fs.Stats): boolean {
    if (k > 0) return !!this.layerStat(k, key + '/' + WHITEOUT_OPAQUE_DIR);
    const known = this.topOpaque.get(key);
    if (known && known.ino === st.ino && known.ctimeMs === st.ctimeMs) return known.opaque;
    const opaque = !!lstatOrNull(host + '/' + WHITEOUT_OPAQUE_DIR);
    if (st.ctimeMs < Date.now() - SETTLE_MS) {
      if (this.topOpaque.size >= 65536) this.topOpaque.clear();
      this.topOpaque.set(key, { ino: st.ino, ctimeMs: st.ctimeMs, opaque });
    }
    return opaque;
  }

  /** `p` was removed, replaced, hidden or re-composed in the top layer by this view: forget what was remembered of it and all under it. */
  private changed(p: string): void {
    if (this.topOpaque.size === 0) return;
    const key = splitPath(p).join('/');
    if (key === '') {
      this.topOpaque.clear();
      return;
    }
    const under = key + '/';
    for (const k of this.topOpaque.keys()) if (k === key || k.startsWith(under)) this.topOpaque.delete(k);
  }

  /**
   * Looks `parts` up from the root, one component at a time, as far as
   * directories go. The top layer is asked afresh at every component: it is
   * shared with the container's other processes, and this lstat of each
   * directory on the way is also what keeps the walk from following a
   * symlink put there behind this view's back (a swapped directory is seen
   * as the symlink it now is). The lower layers are frozen, their answers
   * remembered. Returns the step of the last component looked at: the last
   * one, or the first that is missing or not a directory. `visit` sees each
   * step.
   */
  private walk(parts: readonly string[], visit?: (step: Step, index: number) => void): { step: Step; index: number } {
    let dirLayers = (this.rootLayers ??= this.findRootLayers());
    let key = '';
    for (let i = 0; ; i++) {
      const name = parts[i]!;
      const parentKey = key;
      key = i === 0 ? name : key + '/' + name;
      let entry: Found | null = null;
      let lower: Found | null = null;
      const childLayers: number[] = [];
      let visibleDone = false;
      let lowerDone = false;
      // The top layer's whiteout matters only if a lower layer has the name: looked for then.
      let topMissing = false;
      const whiteout = (parentKey === '' ? '' : parentKey + '/') + whiteoutFor(name);
      for (const k of dirLayers) {
        const st = this.layerStat(k, key);
        if (st && topMissing) {
          topMissing = false;
          if (this.layerStat(0, whiteout)) visibleDone = true;
        }
        if (st) {
          const host = this.layerDirs[k]! + '/' + key;
          if (!visibleDone) {
            if (!entry) entry = { layer: k, host, st };
            if (entry.st.isDirectory() && st.isDirectory()) {
              childLayers.push(k);
              if (this.isOpaque(k, key, host, st)) visibleDone = true;
            } else if (entry.layer !== k || !st.isDirectory()) visibleDone = true;
          }
          if (k > 0 && !lowerDone && !lower) {
            lower = { layer: k, host, st };
            lowerDone = true;
          }
        } else if (k === 0) {
          topMissing = true;
        } else if (this.layerStat(k, whiteout)) {
          visibleDone = true;
          lowerDone = true;
        }
        if (visibleDone && (lowerDone || k > 0)) break;
      }
      const step: Step = { parentLayers: dirLayers, entry, lower, dirLayers: entry?.st.isDirectory() ? childLayers : [] };
      visit?.(step, i);
      if (i === parts.length - 1 || !entry?.st.isDirectory()) return { step, index: i };
      dirLayers = childLayers;
    }
  }

  private findRootLayers(): number[] {
    const all = this.layers.map((_, i) => i);
    const opaqueRoot = all.findIndex((i) => this.layerStat(i, WHITEOUT_OPAQUE_DIR));
    return opaqueRoot >= 0 ? all.slice(0, opaqueRoot + 1) : all;
  }

  private resolve(p: string, syscall: string, emit = true): Step {
    const parts = splitPath(p);
    if (parts.length === 0) {
      const st = fs.lstatSync(this.layerDirs[0]!);
      return { parentLayers: [], entry: { layer: 0, host: this.layerDirs[0]!, st }, lower: null, dirLayers: (this.rootLayers ??= this.findRootLayers()) };
    }
    const { step, index } = this.walk(parts);
    if (index < parts.length - 1) throw new FsError(step.entry ? 'ENOTDIR' : 'ENOENT', p, syscall);
    if (emit) {
      this.events.emit({ type: 'lookup', layer: this.layers[0]!.id, path: p, depth: step.entry ? step.entry.layer : this.layers.length, found: !!step.entry });
    }
    return step;
  }

  /** The backend's stat of a step's entry: the top layer's as the walk just saw it; a lower one asked again when it is the answer (its atime moves on reads). */
  private statOf(entry: Found, p: string, fresh: boolean): FsStat | null {
    const b = this.backends[entry.layer]!;
    const st = entry.layer > 0 && fresh ? b.lstat(p) : b.statOf(entry.host, entry.st);
    if (st) st.layer = { id: this.layers[entry.layer]!.id, depth: entry.layer };
    return st;
  }

  private mutable(p: string, syscall: string): void {
    if (this.readOnly) throw new FsError('EROFS', p, syscall);
  }

  lstat(p: string): FsStat | null {
    let r: Step;
    try {
      r = this.resolve(p, 'lstat');
    } catch (err) {
      if (err instanceof FsError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) return null;
      throw err;
    }
    return r.entry ? this.statOf(r.entry, p, true) : null;
  }

  /**
   * lstat of `dir/names[0]`, `dir/names[0]/names[1]`, … in one walk (see
   * FsBackend), up to the first that is missing or not a directory.
   */
  lstatWalk(dir: string, names: readonly string[]): (FsStat | null)[] {
    if (names.length === 0) return [];
    checkNames(names);
    const base = splitPath(dir);
    const parts = [...base, ...names];
    const steps: Step[] = [];
    this.walk(parts, (step, i) => {
      if (i >= base.length) steps.push(step);
    });
    // `dir` itself is no longer a directory: nothing below it exists.
    if (steps.length === 0) return [null];
    return steps.map((step, j) => {
      // One lookup per name answered, as lstat of each prefix reports them.
      if (this.events !== NO_EVENTS) {
        const path = joinPath(parts.slice(0, base.length + j + 1));
        this.events.emit({ type: 'lookup', layer: this.layers[0]!.id, path, depth: step.entry ? step.entry.layer : this.layers.length, found: !!step.entry });
      }
      if (!step.entry) return null;
      const last = j === steps.length - 1;
      return this.statOf(step.entry, last ? joinPath(parts.slice(0, base.length + j + 1)) : '', last);
    });
  }

  readdir(p: string): string[] {
    const r = this.resolve(p, 'scandir');
    if (!r.entry) throw new FsError('ENOENT', p, 'scandir');
    if (!r.entry.st.isDirectory()) throw new FsError('ENOTDIR', p, 'scandir');
    const parts = splitPath(p);
    const seen = new Set<string>();
    const names: string[] = [];
    for (const k of r.dirLayers) {
      const raw = fs.readdirSync(parts.length === 0 ? this.layerDirs[k]! : this.layerDirs[k]! + p);
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
    const created: { p: string; st: FsStat; from: number }[] = [];
    for (let i = 1; i <= parts.length; i++) {
      const p = joinPath(parts.slice(0, i));
      const up = lstatOrNull(this.layerDirs[0]! + p);
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
    for (const c of created.reverse()) {
      this.top.chown(c.p, c.st.uid, c.st.gid);
      this.top.chmod(c.p, c.st.mode);
      this.top.utimes(c.p, c.st.atimeMs, c.st.mtimeMs);
      this.events.emit({ type: 'copy-up', layer: this.layers[0]!.id, path: c.p, bytes: 0, fromLayer: this.layers[c.from]!.id, depth: c.from });
    }
  }

  /** The first change to a lower entry: copy it whole into the top layer. */
  private copyUp(p: string, syscall: string): Step {
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
    if (write || flags.create) this.mutable(p, 'open');
    // An entry already in the top layer is opened as it is, without a lookup
    // through the layers: the common case of a file the container wrote.
    if (p !== '/' && !(flags.create && flags.exclusive)) {
      const host = this.top.checkedHostPath(p);
      const h = host === null ? null : this.top.openExisting(host, p, flags);
      if (h) {
        if (this.events !== NO_EVENTS) this.events.emit({ type: 'lookup', layer: this.layers[0]!.id, path: p, depth: 0, found: true });
        return h;
      }
    }
    if (!write && !flags.create) {
      const r = this.resolve(p, 'open');
      if (!r.entry) throw new FsError('ENOENT', p, 'open');
      return this.openEntry(r.entry, p, flags);
    }
    // (A write or create: mutable was checked above.)
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
    let r: Step;
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
    if (lstatOrNull(this.layerDirs[0]! + p)) return true;
    return !!lstatOrNull(this.layerDirs[0]! + childPath(parentOf(p), whiteoutFor(parts[parts.length - 1]!)));
  }
}
