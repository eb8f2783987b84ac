/**
 * The image store: image configs, their parents and the references naming
 * them, on top of the layer store. Reads go to disk every time (records are
 * small), so several mydock processes always see each other's changes;
 * every change runs under the root lock the caller provides.
 *
 * Lookup (`resolve`) follows the 20.10 engine's GetImage: a full ID or
 * "sha256:<hex>" names an image; otherwise the argument is a reference
 * (":latest" when untagged) and, failing that, an ID prefix.
 */
import { digestTagRefused, noSuchImage, tagParseError } from '../errors.js';
import { chainIdOf, type Digest, type LayerStore } from '../../storage/layer-store.js';
import {
  ReferenceParseError,
  familiarString,
  parseAnyReference,
  parseDaemonReference,
  parseTagTarget,
  tagNameOnly,
  type NamedReference,
} from '../reference/index.js';
import { digestHex } from '../reference/digest.js';
import { diffIdsOf, marshalImageConfig, parseImageConfig, type ImageConfig } from './config.js';
import { goNow } from './gojson.js';
import { ImageDb } from './image-db.js';
import { ReferenceStore, isCanonical, isTagged } from './reference-store.js';
import { NO_USAGE, type Image, type ImageUsage } from './types.js';
import { VerifiedConfigs } from './verified-configs.js';

export type LockFn = <T>(fn: () => Promise<T> | T) => Promise<T>;

export interface ImageStoreOptions {
  /** `<root>/image/<driver>`. */
  imageDir: string;
  layers: LayerStore;
  /** Containers' use of images; none by default. */
  usage?: ImageUsage;
  /** Runs a change under the root's inter-process lock (e.g. `fn => withRootLock(root, fn)`). */
  lock?: LockFn;
  clock?: () => Date;
  /** Where verified configs are remembered between commands (see verified-configs.ts); none: every read hashes. */
  verifiedConfigsFile?: string;
}

export interface CreateOptions {
  /** The image this one was built on (builder, commit). */
  parent?: string | null;
}

export class ImageStore {
  readonly db: ImageDb;
  readonly refs: ReferenceStore;
  readonly layers: LayerStore;
  usage: ImageUsage;
  private readonly lockFn: LockFn;
  private readonly clock: () => Date;

  constructor(options: ImageStoreOptions) {
    this.refs = new ReferenceStore(options.imageDir);
    this.layers = options.layers;
    this.usage = options.usage ?? NO_USAGE;
    this.lockFn = options.lock ?? (async (fn) => fn());
    this.clock = options.clock ?? (() => new Date());
    this.db = new ImageDb(options.imageDir, options.verifiedConfigsFile ? new VerifiedConfigs(options.verifiedConfigsFile) : null, () => this.clock().getTime());
  }

  /** Runs `fn` under the root lock (re-entrant). */
  locked<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.lockFn(fn);
  }

  /** Go-format "now", for created and LastTagTime stamps. */
  now(): string {
    return goNow(this.clock);
  }

  // ---- create and read ------------------------------------------------------

  /**
   * Stores an image from its config bytes (kept exactly). Every layer the
   * config names must already be registered in the layer store. Returns the
   * existing image when the same bytes are stored already.
   */
  async create(configBytes: Uint8Array, options: CreateOptions = {}): Promise<Image> {
    const config = parseImageConfig(configBytes);
    const top = topLayerOf(config);
    if (top !== null && this.layers.get(top) === null) {
      throw new Error(`failed to create image: layer ${top} does not exist`);
    }
    return this.locked(() => {
      const id = this.db.write(configBytes);
      if (options.parent) {
        if (!this.db.has(options.parent)) throw new Error(`failed to set parent ${options.parent}: no such image`);
        this.db.setMetadata(id, 'parent', options.parent);
      }
      return this.get(id)!;
    });
  }

  /** Marshals `config` as Docker does and stores it. */
  createFromConfig(config: ImageConfig, options: CreateOptions = {}): Promise<Image> {
    return this.create(marshalImageConfig(config), options);
  }

  /** The image with this full ID ("sha256:…"), or null. */
  get(id: string): Image | null {
    const fullId = fullImageId(id);
    const read = this.db.readVerified(fullId);
    if (read === null) return null;
    const config = parseImageConfig(read.bytes);
    const topLayer = read.facts ? read.facts.topLayer : topLayerOf(config);
    if (!read.facts && read.identity !== null) this.db.remember(fullId, read.identity, { topLayer });
    return {
      id: fullId,
      config,
      rawConfig: read.bytes,
      parent: this.db.getMetadata(fullId, 'parent'),
      lastTagTime: this.db.getMetadata(fullId, 'lastUpdated'),
      topLayer,
    };
  }

  /** Every image. A damaged record is left out, as the engine skips it at restore, rather than hiding all the others. */
  all(): Image[] {
    return this.db.batch(() => {
      const out: Image[] = [];
      for (const id of this.db.ids()) {
        let img: Image | null = null;
        try {
          img = this.get(id);
        } catch {
          continue;
        }
        if (img) out.push(img);
      }
      return out;
    });
  }

  /**
   * GetImage: a name, "name:tag", "name@digest", a full ID, "sha256:<hex>" or
   * an unambiguous ID prefix. Throws Docker's errors ("No such image: x:latest",
   * or the engine's reference errors); returns null never.
   */
  resolve(refOrId: string): Image {
    const id = this.resolveId(refOrId);
    const img = id === null ? null : this.get(id);
    if (img) return img;
    const ref = parseDaemonReference(refOrId);
    throw noSuchImage(ref.kind === 'digest' ? ref.digest : familiarString(tagNameOnly(ref)));
  }

  /**
   * The ID of the image a name, "name:tag", "name@digest", full or short ID
   * names, in the daemon's lookup order (digest; reference; unambiguous ID
   * prefix), without reading its config: `resolve` reads it, `ps` only
   * compares IDs. Null when no image has it; throws on a bad reference.
   */
  resolveId(refOrId: string): string | null {
    const ref = parseDaemonReference(refOrId);
    if (ref.kind === 'digest') return this.db.has(ref.digest) ? fullImageId(ref.digest) : null;
    const byRef = this.refs.get(ref);
    if (byRef !== null && this.db.has(byRef)) return byRef;
    const byPrefix = this.searchId(refOrId);
    return byPrefix !== null && this.db.has(byPrefix) ? byPrefix : null;
  }

  /** The image a reference names, without the ID fallback; null when it names nothing. */
  lookupReference(ref: NamedReference): Image | null {
    const id = this.refs.get(ref);
    return id === null ? null : this.get(id);
  }

  /** digestset.Lookup: the one ID starting with `prefix` ("sha256:" optional); null if none or ambiguous. */
  searchId(prefix: string): string | null {
    const hex = prefix.startsWith('sha256:') ? prefix.slice(7) : prefix;
    if (!/^[a-f0-9]+$/.test(hex)) return null;
    const found = this.db.ids().filter((id) => id.slice(7).startsWith(hex));
    return found.length === 1 ? found[0]! : null;
  }

  // ---- relations ------------------------------------------------------------

  /** Images whose recorded parent is `id`. */
  children(id: string): string[] {
    return this.db.ids().filter((c) => this.db.getMetadata(c, 'parent') === id);
  }

  /** Tags ("alpine:latest") of an image, in Docker's order. */
  repoTags(id: string): string[] {
    return this.refs
      .references(id)
      .filter(isTagged)
      .map((r) => familiarString(r));
  }

  /** Digests ("alpine@sha256:…") of an image, in Docker's order. */
  repoDigests(id: string): string[] {
    return this.refs
      .references(id)
      .filter(isCanonical)
      .map((r) => familiarString(r));
  }

  /** Image size: the sum of its layers' sizes (the layers are shared, but each image counts them all). */
  size(img: Image): number {
    if (img.topLayer === null) return 0;
    return this.layers.chain(img.topLayer).reduce((sum, l) => sum + l.size, 0);
  }

  // ---- references -------------------------------------------------------------

  /**
   * `docker tag SOURCE TARGET`: the CLI's checks on both arguments, then the
   * engine's: the target may not carry a digest; LastTagTime is updated.
   */
  async tag(source: string, target: string): Promise<void> {
    try {
      parseAnyReference(source, 'client');
    } catch (err) {
      if (err instanceof ReferenceParseError) throw tagParseError(source, err.message);
      throw err;
    }
    const ref = parseTagTarget(target);
    if (ref.digest !== null) throw digestTagRefused();
    await this.locked(() => {
      const img = this.resolve(source);
      this.addReference(ref, img.id, { touch: true });
    });
  }

  /**
   * Points a reference at an image (pull, build -t, load, commit). `touch`
   * records LastTagTime, as TagImageWithReference does; pulls do not.
   */
  addReference(ref: NamedReference, imageId: string, options: { touch?: boolean } = {}): void {
    this.refs.add(ref, imageId);
    if (options.touch) this.db.setMetadata(imageId, 'lastUpdated', this.now());
  }

  // ---- deletion primitive -------------------------------------------------------

  /**
   * image.Store.Delete: removes the image record, unlinks its children, and
   * releases its layers that nothing else holds (no remaining image's chain,
   * no container's writable layer). Returns the released ChainIDs, top first.
   */
  deleteRecord(id: string): Digest[] {
    const img = this.get(id);
    if (!img) return [];
    for (const child of this.children(id)) this.db.deleteMetadata(child, 'parent');
    this.db.delete(id);
    if (img.topLayer === null) return [];
    const held = this.heldLayers();
    const released: Digest[] = [];
    for (const layer of [...this.layers.chain(img.topLayer)].reverse()) {
      if (held.has(layer.chainId)) break;
      this.layers.remove(layer.chainId);
      released.push(layer.chainId);
    }
    return released;
  }

  /** Every ChainID some image or container still needs. */
  heldLayers(): Set<Digest> {
    const held = new Set<Digest>();
    const hold = (top: Digest) => {
      if (held.has(top)) return;
      try {
        for (const l of this.layers.chain(top)) held.add(l.chainId);
      } catch {
        // A chain with a missing layer: hold what can be named, never delete on a guess.
        held.add(top);
      }
    };
    for (const img of this.all()) if (img.topLayer !== null) hold(img.topLayer);
    for (const top of this.usage.layersInUse()) hold(top);
    return held;
  }

  /**
   * What Docker's layer release does when a container is removed: walks
   * down from `top` (the container's image top layer) and removes each
   * layer nothing else holds, stopping at the first one still held. The
   * containers engine calls it after removing a container whose image was
   * force-deleted; returns the released ChainIDs, top first.
   */
  async releaseChain(top: Digest): Promise<Digest[]> {
    return this.locked(() => {
      if (this.layers.get(top) === null) return [];
      const held = this.heldLayers();
      const released: Digest[] = [];
      for (const layer of [...this.layers.chain(top)].reverse()) {
        if (held.has(layer.chainId)) break;
        this.layers.remove(layer.chainId);
        released.push(layer.chainId);
      }
      return released;
    });
  }

  /**
   * Removes every layer no image or container holds (a full sweep, for
   * repairs and prune). Layers are registered before their image exists, so
   * whoever registers layers (pull, build, load) must do it inside
   * `locked()` together with creating the image, as `pull` does.
   */
  async releaseUnusedLayers(): Promise<Digest[]> {
    return this.locked(() => {
      const held = this.heldLayers();
      const released: Digest[] = [];
      // Children before parents: a layer's chain is longer than its parent's.
      const loose = this.layers
        .list()
        .filter((l) => !held.has(l.chainId))
        .sort((a, b) => this.layers.chain(b.chainId).length - this.layers.chain(a.chainId).length);
      for (const l of loose) {
        this.layers.remove(l.chainId);
        released.push(l.chainId);
      }
      return released;
    });
  }
}

/** The ChainID of an image's last layer, from its DiffIDs. */
export function topLayerOf(config: ImageConfig): Digest | null {
  let chain: Digest | null = null;
  for (const diffId of diffIdsOf(config)) chain = chainIdOf(chain, diffId);
  return chain;
}

/** "sha256:abc…" → "abc…" (12 characters), as Docker prints IDs. */
export function short(id: string): string {
  return digestHex(id).slice(0, 12);
}

/** "sha256:<hex>" for an ID given with or without its algorithm. */
function fullImageId(id: string): string {
  return id.startsWith('sha256:') ? id : `sha256:${id}`;
}
