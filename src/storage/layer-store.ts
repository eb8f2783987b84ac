/**
 * The layer store: content-addressed layers on top of a storage driver, as
 * Docker's `layer` package keeps them under `<root>/image/<driver>/layerdb`.
 *
 * - A layer's *DiffID* is the sha256 of its uncompressed tar; its *ChainID*
 *   follows the OCI image spec: ChainID(L0) = DiffID(L0), ChainID(Ln) =
 *   sha256(ChainID(Ln-1) + " " + DiffID(Ln)). Two images whose first layers
 *   have the same DiffIDs share those layers on disk (stored once).
 * - `layerdb/sha256/<chain-id>/` holds `diff` (the DiffID), `size`,
 *   `cache-id` (the driver's layer id), `parent` (absent for a base layer) and
 *   `tar-split.json.gz` (the tar headers, so that export reproduces the very
 *   bytes that were imported and the DiffID stays true).
 * - A container's writable layer is a *mount*: `layerdb/mounts/<container-id>/`
 *   holds `mount-id`, `init-id` and `parent`. As in Docker, an init layer
 *   (`<mount-id>-init`: /etc/hosts, /etc/hostname, /etc/resolv.conf, /dev,
 *   /proc, /sys, /.dockerenv, /etc/mtab) sits between the image and the
 *   writable layer, so those files never show in `diff` or SIZE.
 *
 * The store keeps no reference counts: whether a layer is still used is
 * derived by the engine from the image and container records, so a crash can
 * never leave a counter wrong.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Change, DriverEvents, StorageDriver } from './driver.js';
import type { FsBackend } from './backend.js';

/** "sha256:<64 hex>" */
export type Digest = string;

export interface Layer {
  chainId: Digest;
  diffId: Digest;
  parent: Digest | null;
  /** The driver's layer id. */
  cacheId: string;
  /** Changeset size as Docker counts it (sum of file sizes in the diff). */
  size: number;
}

export interface RwLayer {
  containerId: string;
  /** The driver id of the writable layer. */
  mountId: string;
  /** The driver id of the init layer below it. */
  initId: string;
  /** The image's top ChainID, or null for an image with no layers (scratch). */
  parent: Digest | null;
}

export interface InitLayerSpec {
  hostname: string;
}

export interface LayerStore {
  readonly driver: StorageDriver;

  /**
   * Imports an uncompressed layer tar on `parent`. Returns the existing layer
   * when its ChainID is already stored (the tar is then only hashed).
   */
  register(tar: Readable, parent: Digest | null): Promise<Layer>;
  get(chainId: Digest): Layer | null;
  list(): Layer[];
  /** Removes the layer's record and driver directory; the caller checks it is unused. */
  remove(chainId: Digest): void;
  /** The layer tar, byte for byte what was registered (sha256 = DiffID). */
  exportLayer(chainId: Digest): Readable;
  /** The ChainIDs from the base to `chainId`. */
  chain(chainId: Digest): Layer[];

  createRwLayer(containerId: string, parent: Digest | null, init: InitLayerSpec): RwLayer;
  getRwLayer(containerId: string): RwLayer | null;
  removeRwLayer(containerId: string): void;
  /** The container's filesystem (writable layer on init layer on image layers). */
  rwView(containerId: string, options?: { readOnly?: boolean; events?: DriverEvents }): FsBackend;
  /** `docker diff` of the writable layer. */
  rwChanges(containerId: string): Change[];
  /** SizeRw: the writable layer's diff size. */
  rwSize(containerId: string): number;
  /** The writable layer's changes as a layer tar (for commit). */
  exportRwLayer(containerId: string): Readable;
  /**
   * Optional: `register(exportRwLayer(containerId), parent)` for a container
   * about to be removed: the same layer, but the driver may move the files
   * rather than write them again, leaving the container layer empty.
   */
  commitRwLayer?(containerId: string, parent: Digest | null): Promise<Layer>;
}

/** The OCI ChainID rule, kept beside its documentation. */
export function chainIdOf(parentChainId: Digest | null, diffId: Digest): Digest {
  if (parentChainId === null) return diffId;
  const hex = createHash('sha256').update(`${parentChainId} ${diffId}`).digest('hex');
  return `sha256:${hex}`;
}
