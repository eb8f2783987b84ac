/**
 * The vfs driver, laid out as Docker lays it out under `/var/lib/docker/vfs`:
 * `<home>/dir/<id>/` is a complete, standalone tree. `create` copies the
 * parent's whole tree (that cost is the lesson vfs teaches); nothing is
 * shared and nothing is copied up later. Changes are found by comparing the
 * tree with the parent's, as Docker's naive diff does.
 *
 * Docker keeps no metadata beside the trees; mydock needs the parent, the
 * frozen state and, without root, the owners, and keeps them outside the
 * trees under `<home>/meta/<id>/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FsBackend } from '../backend.js';
import type { Change, DriverEvents, GraphDriverData, StorageDriver } from '../driver.js';
import { NO_EVENTS } from '../driver.js';
import { StorageError } from '../errors.js';
import { HostDirBackend } from '../host-dir.js';
import { allocatedBytes, checkLayerId, readText } from '../layout.js';
import { defaultOwnershipMode, ownerStore, type OwnerStore, type OwnershipMode } from '../owners.js';
import { applyTar } from '../tar/apply.js';
import { exportChangeList, toStream } from '../tar/export.js';
import { treeChanges } from '../tree-changes.js';
import { tempSibling, writeFileAtomic } from '../atomic.js';
import { copyTree } from '../copy-tree.js';
import type { DriverOptions } from './overlay2.js';

export class VfsDriver implements StorageDriver {
  readonly name = 'vfs' as const;
  readonly home: string;
  private readonly ownership: OwnershipMode;
  private readonly ownerStores = new Map<string, OwnerStore>();

  constructor(root: string, options: DriverOptions = {}) {
    this.home = path.join(root, 'vfs');
    this.ownership = options.ownership ?? defaultOwnershipMode();
    fs.mkdirSync(path.join(this.home, 'dir'), { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.join(this.home, 'meta'), { recursive: true, mode: 0o700 });
  }

  private tree(id: string): string {
    checkLayerId(id);
    return path.join(this.home, 'dir', id);
  }

  private meta(id: string): string {
    checkLayerId(id);
    return path.join(this.home, 'meta', id);
  }

  private need(id: string): string {
    const t = this.tree(id);
    if (!fs.existsSync(t)) throw new StorageError('LAYER_NOT_FOUND', `layer ${id} does not exist`, { id });
    return t;
  }

  owners(id: string): OwnerStore {
    let s = this.ownerStores.get(id);
    if (!s) {
      s = ownerStore(this.ownership, path.join(this.meta(id), 'owners.json'));
      this.ownerStores.set(id, s);
    }
    return s;
  }

  create(id: string, parent: string | null, options: { events?: DriverEvents } = {}): void {
    const final = this.tree(id);
    if (fs.existsSync(final)) throw new StorageError('LAYER_EXISTS', `layer ${id} already exists`, { id });
    if (parent !== null) {
      this.need(parent);
      if (!this.isFrozen(parent)) throw new StorageError('LAYER_ACTIVE', `parent layer ${parent} is still active`, { id: parent });
    }
    const tmp = tempSibling(final);
    const meta = this.meta(id);
    try {
      fs.rmSync(meta, { recursive: true, force: true });
      fs.mkdirSync(meta, { recursive: true, mode: 0o700 });
      if (parent === null) {
        fs.mkdirSync(tmp, { mode: 0o755 });
      } else {
        const stats = copyTree(this.tree(parent), tmp, this.owners(parent), this.owners(id));
        (options.events ?? NO_EVENTS).emit({ type: 'full-copy', layer: id, fromLayer: parent, bytes: stats.bytes, files: stats.files });
        writeFileAtomic(path.join(meta, 'parent'), parent);
      }
      fs.renameSync(tmp, final);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(meta, { recursive: true, force: true });
      this.ownerStores.delete(id);
      throw err;
    }
  }

  exists(id: string): boolean {
    return fs.existsSync(this.tree(id));
  }

  parent(id: string): string | null {
    this.need(id);
    const p = readText(path.join(this.meta(id), 'parent'));
    return p ? p.trim() : null;
  }

  freeze(id: string): void {
    this.need(id);
    writeFileAtomic(path.join(this.meta(id), 'committed'), '', 0o600);
  }

  isFrozen(id: string): boolean {
    this.need(id);
    return fs.existsSync(path.join(this.meta(id), 'committed'));
  }

  remove(id: string): void {
    const t = this.tree(id);
    if (fs.existsSync(t)) {
      const doomed = tempSibling(t);
      fs.renameSync(t, doomed);
      fs.rmSync(doomed, { recursive: true, force: true });
    }
    fs.rmSync(this.meta(id), { recursive: true, force: true });
    this.ownerStores.delete(id);
  }

  view(id: string, options: { readOnly?: boolean; events?: DriverEvents } = {}): HostDirBackend {
    return new HostDirBackend(this.need(id), {
      kind: 'vfs',
      owners: this.owners(id),
      readOnly: options.readOnly === true || this.isFrozen(id),
    });
  }

  changes(id: string): Change[] {
    const parent = this.parent(id);
    const prev: FsBackend | null = parent === null ? null : this.view(parent, { readOnly: true });
    return treeChanges(this.view(id, { readOnly: true }), prev);
  }

  /** Docker's ChangesSize: sizes of the added and changed non-directories, hard links once. */
  diffSize(id: string): number {
    const v = this.view(id, { readOnly: true });
    const seen = new Set<number>();
    let total = 0;
    for (const c of this.changes(id)) {
      if (c.kind === 'D') continue;
      const st = v.lstat(c.path);
      if (!st || st.type === 'dir') continue;
      if (st.nlink > 1) {
        if (seen.has(st.ino)) continue;
        seen.add(st.ino);
      }
      total += st.size;
    }
    return total;
  }

  diskUsage(id: string): number {
    return allocatedBytes(this.need(id));
  }

  exportDiff(id: string): Readable {
    const v = this.view(id, { readOnly: true });
    return toStream(exportChangeList(v, this.changes(id)));
  }

  async applyDiff(id: string, tar: Readable): Promise<number> {
    if (this.isFrozen(id)) throw new StorageError('LAYER_FROZEN', `layer ${id} is frozen`, { id });
    const target = new HostDirBackend(this.need(id), { kind: 'vfs', owners: this.owners(id) });
    await applyTar(target, tar, { whiteouts: 'apply' });
    return this.diffSize(id);
  }

  graphData(_id: string): GraphDriverData {
    // Docker shows GraphDriver.Data as null for vfs.
    return {};
  }
}
