/**
 * The overlay2 driver, laid out as Docker lays it out under
 * `/var/lib/docker/overlay2`:
 *
 *   <home>/<id>/diff/       the layer's changes (whiteouts as `.wh.` files)
 *   <home>/<id>/link        the layer's 26-character short name
 *   <home>/<id>/lower       `l/<short>` of every ancestor, nearest first, ':'-separated
 *   <home>/<id>/work/       overlayfs's work dir (unused: mydock does not mount)
 *   <home>/<id>/merged/     the mount point (empty, same reason)
 *   <home>/<id>/committed   present once the layer is frozen (Docker writes it too)
 *   <home>/<id>/parent      the parent's id (mydock's; Docker derives it from `lower`)
 *   <home>/<id>/owners.json file owners when not running as root (owners.ts)
 *   <home>/l/<short>        symlink to ../<id>/diff
 *
 * A base layer has no `lower` file, as in Docker. A new layer is built under
 * a temporary name and renamed into place, so a crash never leaves half a layer.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FsBackend } from '../backend.js';
import type { Change, DriverEvents, GraphDriverData, StorageDriver } from '../driver.js';
import { NO_EVENTS } from '../driver.js';
import { StorageError } from '../errors.js';
import { HostDirBackend } from '../host-dir.js';
import { MaxDepthError } from '../layer-db.js';
import { allocatedBytes, checkLayerId, directorySize, readText, shortLinkId } from '../layout.js';
import { defaultOwnershipMode, ownerStore, type OwnerStore, type OwnershipMode } from '../owners.js';
import { normaliseAdoptedTree } from '../adopt-diff.js';
import { applyTar } from '../tar/apply.js';
import { exportLayerTree, toStream } from '../tar/export.js';
import { treeChanges } from '../tree-changes.js';
import { UnionView } from '../union-view.js';
import { tempSibling, writeFileAtomic } from '../atomic.js';

/**
 * The most lower layers a layer may have: Docker's overlay2 driver refuses to
 * create a layer whose `lower` would name more (overlay2 maxDepth), with the
 * same "max depth exceeded" its layer store gives for images deeper than 125.
 */
export const MAX_LOWER_DEPTH = 128;

export interface DriverOptions {
  ownership?: OwnershipMode;
}

export class Overlay2Driver implements StorageDriver {
  readonly name = 'overlay2' as const;
  readonly home: string;
  private readonly ownership: OwnershipMode;
  private readonly ownerStores = new Map<string, OwnerStore>();

  constructor(root: string, options: DriverOptions = {}) {
    this.home = path.join(root, 'overlay2');
    this.ownership = options.ownership ?? defaultOwnershipMode();
    fs.mkdirSync(path.join(this.home, 'l'), { recursive: true, mode: 0o710 });
  }

  private dir(id: string): string {
    checkLayerId(id);
    return path.join(this.home, id);
  }

  private diffDir(id: string): string {
    return path.join(this.dir(id), 'diff');
  }

  private need(id: string): string {
    const d = this.dir(id);
    if (!fs.existsSync(path.join(d, 'diff'))) throw new StorageError('LAYER_NOT_FOUND', `layer ${id} does not exist`, { id });
    return d;
  }

  owners(id: string): OwnerStore {
    let s = this.ownerStores.get(id);
    if (!s) {
      s = ownerStore(this.ownership, path.join(this.dir(id), 'owners.json'));
      this.ownerStores.set(id, s);
    }
    return s;
  }

  create(id: string, parent: string | null): void {
    const final = this.dir(id);
    if (fs.existsSync(final)) throw new StorageError('LAYER_EXISTS', `layer ${id} already exists`, { id });
    let lower = '';
    if (parent !== null) {
      const pdir = this.need(parent);
      if (!this.isFrozen(parent)) throw new StorageError('LAYER_ACTIVE', `parent layer ${parent} is still active`, { id: parent });
      const plink = readText(path.join(pdir, 'link'))!.trim();
      const plower = readText(path.join(pdir, 'lower'));
      lower = plower ? `l/${plink}:${plower}` : `l/${plink}`;
      if (lower.split(':').length > MAX_LOWER_DEPTH) throw new MaxDepthError();
    }
    const tmp = tempSibling(final);
    try {
      fs.mkdirSync(tmp, { mode: 0o710 });
      fs.mkdirSync(path.join(tmp, 'diff'), { mode: 0o755 });
      fs.mkdirSync(path.join(tmp, 'work'), { mode: 0o700 });
      fs.mkdirSync(path.join(tmp, 'merged'), { mode: 0o755 });
      const link = shortLinkId();
      fs.writeFileSync(path.join(tmp, 'link'), link, { mode: 0o644 });
      if (lower) fs.writeFileSync(path.join(tmp, 'lower'), lower, { mode: 0o644 });
      if (parent !== null) fs.writeFileSync(path.join(tmp, 'parent'), parent, { mode: 0o644 });
      fs.renameSync(tmp, final);
      fs.symlinkSync(path.join('..', id, 'diff'), path.join(this.home, 'l', link));
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  exists(id: string): boolean {
    return fs.existsSync(path.join(this.dir(id), 'diff'));
  }

  parent(id: string): string | null {
    const p = readText(path.join(this.need(id), 'parent'));
    return p ? p.trim() : null;
  }

  freeze(id: string): void {
    writeFileAtomic(path.join(this.need(id), 'committed'), '', 0o600);
  }

  isFrozen(id: string): boolean {
    return fs.existsSync(path.join(this.need(id), 'committed'));
  }

  remove(id: string): void {
    const d = this.dir(id);
    if (!fs.existsSync(d)) return;
    const link = readText(path.join(d, 'link'));
    if (link) fs.rmSync(path.join(this.home, 'l', link.trim()), { force: true });
    // Renamed away first, so that a crash mid-delete leaves no half layer under its id.
    const doomed = tempSibling(d);
    fs.renameSync(d, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
    this.ownerStores.delete(id);
  }

  /** The layer ids from `id` down to the base. */
  chain(id: string): string[] {
    const out: string[] = [];
    let cur: string | null = id;
    while (cur !== null) {
      out.push(cur);
      cur = this.parent(cur);
    }
    return out;
  }

  view(id: string, options: { readOnly?: boolean; events?: DriverEvents } = {}): UnionView {
    this.need(id);
    const layers = this.chain(id).map((l) => ({ id: l, dir: this.diffDir(l), owners: this.owners(l) }));
    return new UnionView(layers, {
      readOnly: options.readOnly === true || this.isFrozen(id),
      events: options.events ?? NO_EVENTS,
    });
  }

  /** The layer's own tree, whiteouts and all (what `diff/` holds). */
  rawTree(id: string, readOnly = true): HostDirBackend {
    return new HostDirBackend(this.diffDir(this.need(id) && id), { kind: 'overlay2', owners: this.owners(id), readOnly });
  }

  changes(id: string): Change[] {
    const next = this.view(id, { readOnly: true });
    const parent = this.parent(id);
    const prev: FsBackend | null = parent === null ? null : this.view(parent, { readOnly: true });
    return treeChanges(next, prev, (p) => next.touchedInTop(p));
  }

  diffSize(id: string): number {
    return directorySize(path.join(this.need(id), 'diff'));
  }

  diskUsage(id: string): number {
    return allocatedBytes(this.need(id));
  }

  exportDiff(id: string): Readable {
    return toStream(exportLayerTree(this.rawTree(id)));
  }

  async applyDiff(id: string, tar: Readable): Promise<number> {
    if (this.isFrozen(id)) throw new StorageError('LAYER_FROZEN', `layer ${id} is frozen`, { id });
    await applyTar(this.rawTree(id, false), tar, { whiteouts: 'store' });
    return this.diffSize(id);
  }

  /**
   * Moves the changes of active layer `from` into the new, empty active layer
   * `id`, leaving them as `applyDiff(id, exportDiff(from))` would (see
   * adopt-diff.ts); `from` is left with no changes. Returns the size.
   */
  adoptDiff(id: string, from: string): number {
    if (this.isFrozen(id) || this.isFrozen(from)) throw new StorageError('LAYER_FROZEN', `layer ${this.isFrozen(id) ? id : from} is frozen`, { id });
    const dst = this.diffDir(id);
    if (fs.readdirSync(dst).length > 0) throw new StorageError('LAYER_EXISTS', `layer ${id} already has changes`, { id });
    fs.rmdirSync(dst);
    fs.renameSync(this.diffDir(from), dst);
    fs.mkdirSync(this.diffDir(from), { mode: 0o755 });
    // Owners are keyed by inode, so the sidecar moves with the files.
    const owners = path.join(this.dir(from), 'owners.json');
    if (fs.existsSync(owners)) fs.renameSync(owners, path.join(this.dir(id), 'owners.json'));
    this.ownerStores.delete(from);
    this.ownerStores.delete(id);
    normaliseAdoptedTree(dst, this.owners(id));
    return this.diffSize(id);
  }

  graphData(id: string): GraphDriverData {
    const d = this.need(id);
    const data: GraphDriverData = {};
    const lower = this.chain(id).slice(1).map((l) => this.diffDir(l));
    if (lower.length) data['LowerDir'] = lower.join(':');
    data['MergedDir'] = path.join(d, 'merged');
    data['UpperDir'] = path.join(d, 'diff');
    data['WorkDir'] = path.join(d, 'work');
    return data;
  }
}
