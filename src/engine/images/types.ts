/**
 * The image engine's public types. Vocabulary:
 * - an *image* is a config (its ID is the sha256 of the config bytes) plus
 *   the layers its `rootfs.diff_ids` name, stored once in the layer store;
 * - its *top layer* is the ChainID of its last DiffID (null for an image
 *   with no layers);
 * - its *parent* is the image it was built on, recorded only for images
 *   built or committed here (pulled and loaded images have none), which is
 *   why `history` shows `<missing>` below a pulled image;
 * - a *reference* names an image: a tag ("alpine:latest") or a digest
 *   ("alpine@sha256:…"); an image without references is *dangling* unless it
 *   has children (then it is an *intermediate* image, hidden by `images`).
 */
import type { Digest } from '../../storage/layer-store.js';
import type { ImageConfig } from './config.js';

export interface Image {
  /** "sha256:<hex>". */
  id: string;
  config: ImageConfig;
  /** The exact config bytes (their sha256 is `id`). */
  rawConfig: Buffer;
  /** Parent image ID, or null. */
  parent: string | null;
  /** Go time string of the last tag, or null (inspect shows 0001-01-01T00:00:00Z). */
  lastTagTime: string | null;
  /** ChainID of the top layer, or null for an image without layers. */
  topLayer: Digest | null;
}

/**
 * What the containers engine tells the image engine, so that `rmi` and
 * `prune` respect containers without the image engine knowing containers.
 */
export interface ImageUsage {
  /** Full IDs of the containers created from the image, split by state. */
  isImageUsed(imageId: string): { running: string[]; stopped: string[] };
  /**
   * The ChainIDs containers' writable layers sit on (each container's image
   * top layer at creation). Those layers stay while the container exists,
   * even when its image is deleted with `rmi -f`.
   */
  layersInUse(): Iterable<Digest>;
}

export const NO_USAGE: ImageUsage = {
  isImageUsed: () => ({ running: [], stopped: [] }),
  layersInUse: () => [],
};

/** One line of `rmi` / `image prune` output: "Untagged: x" or "Deleted: sha256:…". */
export type DeleteRecord = { untagged: string } | { deleted: string };

/** A row of `docker images`. */
export interface ImageSummary {
  id: string;
  parentId: string;
  repoTags: string[];
  repoDigests: string[];
  /** Unix seconds, as the API reports. */
  created: number;
  /** The config's `created`, full precision. */
  createdAt: string;
  size: number;
  virtualSize: number;
  sharedSize: number;
  labels: Record<string, string> | null;
  containers: number;
}

/** A row of `docker history`. */
export interface HistoryRow {
  /** Image ID or "<missing>". */
  id: string;
  /** Unix seconds. */
  created: number;
  createdAt: string;
  createdBy: string;
  tags: string[];
  size: number;
  comment: string;
}

export interface ImageFilters {
  dangling?: boolean;
  /** Glob patterns on familiar names (path.Match), any may match. */
  reference?: string[];
  /** Image references or IDs. */
  before?: string;
  since?: string;
  /** "key" or "key=value"; all must match. */
  label?: string[];
}

export interface PruneResult {
  deleted: DeleteRecord[];
  spaceReclaimed: number;
}
