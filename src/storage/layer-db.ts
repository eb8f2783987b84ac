/**
 * The layer store (layer-store.ts) on disk, as Docker's layer package keeps
 * it under `<root>/image/<driver>/layerdb/`:
 *
 *   sha256/<chain-id hex>/diff               "sha256:<DiffID>"
 *   sha256/<chain-id hex>/size               changeset size, decimal
 *   sha256/<chain-id hex>/cache-id           the driver's layer id
 *   sha256/<chain-id hex>/parent             "sha256:<parent ChainID>" (absent for a base)
 *   sha256/<chain-id hex>/tar-split.json.gz  the tar minus file bodies (tar/split.ts)
 *   mounts/<container-id>/{mount-id,init-id,parent}
 *   tmp/                                     records being written
 *
 * Records are written into `tmp/` and renamed into place, so a crash leaves
 * either a whole record or none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FsBackend } from './backend.js';
import type { Change, DriverEvents, StorageDriver } from './driver.js';
import { StorageError } from './errors.js';
import { chainIdOf, type Digest, type InitLayerSpec, type Layer, type LayerStore, type RwLayer } from './layer-store.js';
import { readText } from './layout.js';
import { cleanEntryName } from './tar/apply.js';
import { TarParser } from './tar/reader.js';
import { assembleTar, TarSplitRecorder } from './tar/split.js';
import { writeFileAtomic } from './atomic.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The most layers an image may have: Docker's layer store refuses to register
 * a layer on a parent this deep (layer.maxLayerDepth), before the tar is read,
 * so the 125th RUN on a one-layer base fails when its container is committed.
 */
export const MAX_LAYER_DEPTH = 125;

/** Docker's ErrMaxDepthExceeded: the message is the whole error, as Docker prints it. */
export class MaxDepthError extends Error {
  readonly code = 'MAX_DEPTH';
  constructor() {
    super('max depth exceeded');
    this.name = 'MaxDepthError';
  }
}

/**
 * What Docker's init layer holds (daemon/initlayer): every container gets
 * these fresh, so that the image's versions never show in `docker diff`.
 * Files are empty with mode 0755, as Docker creates them; their contents come
 * from bind mounts the engine adds.
 */
export const INIT_LAYER_ENTRIES: readonly (readonly [string, 'dir' | 'file' | string])[] = [
  ['/dev/pts', 'dir'],
  ['/dev/shm', 'dir'],
  ['/proc', 'dir'],
  ['/sys', 'dir'],
  ['/.dockerenv', 'file'],
  ['/etc/resolv.conf', 'file'],
  ['/etc/hosts', 'file'],
  ['/etc/hostname', 'file'],
  ['/dev/console', 'file'],
  ['/etc/mtab', '/proc/mounts'],
];

function hex(digest: Digest): string {
  if (!DIGEST.test(digest)) throw new StorageError('LAYER_NOT_FOUND', `invalid layer digest ${JSON.stringify(digest)}`);
  return digest.slice('sha256:'.length);
}

function randomId(): string {
  return randomBytes(32).toString('hex');
}

function writeRecordDir(tmpRoot: string, files: Record<string, string | Buffer>, final: string): boolean {
  fs.mkdirSync(tmpRoot, { recursive: true, mode: 0o700 });
  const tmp = fs.mkdtempSync(path.join(tmpRoot, 'write-set-'));
  try {
    for (const [name, data] of Object.entries(files)) writeFileAtomic(path.join(tmp, name), data);
    fs.mkdirSync(path.dirname(final), { recursive: true, mode: 0o700 });
    try {
      fs.renameSync(tmp, final);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') return false;
      throw err;
    }
    return true;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

class DiskLayerStore implements LayerStore {
  private readonly db: string;

  constructor(
    root: string,
    readonly driver: StorageDriver,
  ) {
    this.db = path.join(root, 'image', driver.name, 'layerdb');
    fs.mkdirSync(path.join(this.db, 'sha256'), { recursive: true, mode: 0o700 });
  }

  private layerDir(chainId: Digest): string {
    return path.join(this.db, 'sha256', hex(chainId));
  }

  async register(tar: Readable, parent: Digest | null): Promise<Layer> {
    return this.store(tar, parent, (cacheId, stream) => this.driver.applyDiff(cacheId, stream));
  }

  async commitRwLayer(containerId: string, parent: Digest | null): Promise<Layer> {
    const rw = this.needRw(containerId);
    const driver = this.driver;
    if (!driver.adoptDiff) return this.register(this.exportRwLayer(containerId), parent);
    return this.store(this.exportRwLayer(containerId), parent, async (cacheId, stream) => {
      // The tar is only hashed and recorded; the files move instead of being written again.
      for await (const chunk of stream) void chunk;
      return driver.adoptDiff!(cacheId, rw.mountId);
    });
  }

  /** A layer from a tar on `parent`: `fill` puts the tar's changes into the new driver layer and returns its size. */
  private async store(tar: Readable, parent: Digest | null, fill: (cacheId: string, tar: Readable) => Promise<number>): Promise<Layer> {
    const parentLayer = parent === null ? null : this.get(parent);
    if (parent !== null && !parentLayer) throw new StorageError('LAYER_NOT_FOUND', `layer ${parent} does not exist`, { chainId: parent });
    if (parent !== null && this.depth(parent) >= MAX_LAYER_DEPTH) {
      tar.resume();
      throw new MaxDepthError();
    }
    const cacheId = randomId();
    this.driver.create(cacheId, parentLayer?.cacheId ?? null);
    const hash = createHash('sha256');
    const split = new TarSplitRecorder();
    const recorder = new TarParser(split);
    async function* tee(): AsyncGenerator<Buffer> {
      for await (const c of tar) {
        const chunk = Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array);
        hash.update(chunk);
        recorder.write(chunk);
        yield chunk;
      }
      recorder.end();
    }
    let size: number;
    try {
      size = await fill(cacheId, Readable.from(tee()));
    } catch (err) {
      this.driver.remove(cacheId);
      throw err;
    }
    const diffId = `sha256:${hash.digest('hex')}`;
    const chainId = chainIdOf(parent, diffId);
    const existing = this.get(chainId);
    if (existing) {
      this.driver.remove(cacheId);
      return existing;
    }
    this.driver.freeze(cacheId);
    const files: Record<string, string | Buffer> = {
      diff: diffId,
      size: String(size),
      'cache-id': cacheId,
      'tar-split.json.gz': split.finish(),
    };
    if (parent !== null) files['parent'] = parent;
    if (!writeRecordDir(path.join(this.db, 'tmp'), files, this.layerDir(chainId))) {
      // Someone registered the same layer meanwhile: theirs stands.
      this.driver.remove(cacheId);
      return this.get(chainId)!;
    }
    return { chainId, diffId, parent, cacheId, size };
  }

  get(chainId: Digest): Layer | null {
    const dir = this.layerDir(chainId);
    const diffId = readText(path.join(dir, 'diff'));
    const cacheId = readText(path.join(dir, 'cache-id'));
    const size = readText(path.join(dir, 'size'));
    if (diffId === null || cacheId === null || size === null) return null;
    const parent = readText(path.join(dir, 'parent'));
    return { chainId, diffId: diffId.trim(), parent: parent ? parent.trim() : null, cacheId: cacheId.trim(), size: Number(size) };
  }

  list(): Layer[] {
    const out: Layer[] = [];
    for (const name of fs.readdirSync(path.join(this.db, 'sha256')).sort()) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const l = this.get(`sha256:${name}`);
      if (l) out.push(l);
    }
    return out;
  }

  remove(chainId: Digest): void {
    const layer = this.get(chainId);
    if (!layer) throw new StorageError('LAYER_NOT_FOUND', `layer ${chainId} does not exist`, { chainId });
    const dir = this.layerDir(chainId);
    const tmpRoot = path.join(this.db, 'tmp');
    fs.mkdirSync(tmpRoot, { recursive: true, mode: 0o700 });
    const doomed = path.join(tmpRoot, `remove-${hex(chainId)}-${randomBytes(4).toString('hex')}`);
    fs.renameSync(dir, doomed);
    this.driver.remove(layer.cacheId);
    fs.rmSync(doomed, { recursive: true, force: true });
  }

  exportLayer(chainId: Digest): Readable {
    const layer = this.get(chainId);
    if (!layer) throw new StorageError('LAYER_NOT_FOUND', `layer ${chainId} does not exist`, { chainId });
    const split = fs.readFileSync(path.join(this.layerDir(chainId), 'tar-split.json.gz'));
    const view = this.driver.view(layer.cacheId, { readOnly: true });
    return Readable.from(assembleTar(split, (name, size) => readBody(view, name, size)));
  }

  /** How many layers `chainId` stands on, itself included (a base layer is 1). */
  private depth(chainId: Digest): number {
    let n = 0;
    for (let cur: Digest | null = chainId; cur !== null; n++) {
      const parent = readText(path.join(this.layerDir(cur), 'parent'));
      cur = parent ? parent.trim() : null;
    }
    return n;
  }

  chain(chainId: Digest): Layer[] {
    const out: Layer[] = [];
    let cur: Digest | null = chainId;
    while (cur !== null) {
      const l = this.get(cur);
      if (!l) throw new StorageError('LAYER_NOT_FOUND', `layer ${cur} does not exist`, { chainId: cur });
      out.unshift(l);
      cur = l.parent;
    }
    return out;
  }

  private mountDir(containerId: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(containerId)) throw new StorageError('LAYER_NOT_FOUND', `invalid container id ${JSON.stringify(containerId)}`);
    return path.join(this.db, 'mounts', containerId);
  }

  createRwLayer(containerId: string, parent: Digest | null, _init: InitLayerSpec): RwLayer {
    const parentLayer = parent === null ? null : this.get(parent);
    if (parent !== null && !parentLayer) throw new StorageError('LAYER_NOT_FOUND', `layer ${parent} does not exist`, { chainId: parent });
    const dir = this.mountDir(containerId);
    if (fs.existsSync(dir)) throw new StorageError('LAYER_EXISTS', `container layer for ${containerId} already exists`, { containerId });
    const mountId = randomId();
    const initId = `${mountId}-init`;
    this.driver.create(initId, parentLayer?.cacheId ?? null);
    try {
      setupInitLayer(this.driver.view(initId));
      this.driver.freeze(initId);
      this.driver.create(mountId, initId);
      const files: Record<string, string> = { 'mount-id': mountId, 'init-id': initId };
      if (parent !== null) files['parent'] = parent;
      if (!writeRecordDir(path.join(this.db, 'tmp'), files, dir)) {
        throw new StorageError('LAYER_EXISTS', `container layer for ${containerId} already exists`, { containerId });
      }
    } catch (err) {
      if (this.driver.exists(mountId)) this.driver.remove(mountId);
      this.driver.remove(initId);
      throw err;
    }
    return { containerId, mountId, initId, parent };
  }

  getRwLayer(containerId: string): RwLayer | null {
    const dir = this.mountDir(containerId);
    const mountId = readText(path.join(dir, 'mount-id'));
    const initId = readText(path.join(dir, 'init-id'));
    if (mountId === null || initId === null) return null;
    const parent = readText(path.join(dir, 'parent'));
    return { containerId, mountId: mountId.trim(), initId: initId.trim(), parent: parent ? parent.trim() : null };
  }

  private needRw(containerId: string): RwLayer {
    const rw = this.getRwLayer(containerId);
    if (!rw) throw new StorageError('LAYER_NOT_FOUND', `no container layer for ${containerId}`, { containerId });
    return rw;
  }

  removeRwLayer(containerId: string): void {
    const rw = this.needRw(containerId);
    this.driver.remove(rw.mountId);
    this.driver.remove(rw.initId);
    fs.rmSync(this.mountDir(containerId), { recursive: true, force: true });
  }

  rwView(containerId: string, options?: { readOnly?: boolean; events?: DriverEvents }): FsBackend {
    return this.driver.view(this.needRw(containerId).mountId, options);
  }

  rwChanges(containerId: string): Change[] {
    return this.driver.changes(this.needRw(containerId).mountId);
  }

  rwSize(containerId: string): number {
    return this.driver.diffSize(this.needRw(containerId).mountId);
  }

  exportRwLayer(containerId: string): Readable {
    return this.driver.exportDiff(this.needRw(containerId).mountId);
  }
}

function* readBody(view: FsBackend, name: string, size: number): Generator<Buffer> {
  const p = cleanEntryName(name);
  if (p === null) throw new StorageError('CORRUPT', `tar-split names ${JSON.stringify(name)} outside the layer`);
  const fh = view.open(p, { read: true });
  try {
    let pos = 0;
    while (pos < size) {
      const buf = Buffer.alloc(Math.min(1 << 20, size - pos));
      const n = fh.read(buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    fh.close();
  }
}

/** Docker's initlayer.Setup, through the union view of the init layer. */
export function setupInitLayer(fsb: FsBackend): void {
  for (const [p, type] of INIT_LAYER_ENTRIES) {
    const parts = p.slice(1).split('/');
    // Docker unlinks every component first: image files in the way are replaced.
    for (let i = 1; i <= parts.length; i++) {
      const prefix = '/' + parts.slice(0, i).join('/');
      const st = fsb.lstat(prefix);
      if (st && st.type !== 'dir') fsb.unlink(prefix);
    }
    if (fsb.lstat(p)) continue;
    for (let i = 1; i < parts.length; i++) {
      const prefix = '/' + parts.slice(0, i).join('/');
      if (!fsb.lstat(prefix)) fsb.mkdir(prefix, 0o755);
    }
    if (type === 'dir') fsb.mkdir(p, 0o755);
    else if (type === 'file') fsb.open(p, { create: true, write: true, mode: 0o755 }).close();
    else fsb.symlink(type, p);
  }
}

export function openLayerStore(root: string, driver: StorageDriver): LayerStore {
  return new DiskLayerStore(root, driver);
}
