/**
 * `docker image prune` (daemon/images/image_prune.go): dangling images, or
 * with `all` every image no container uses. Intermediate images (untagged,
 * with children) are never candidates themselves: they go when their last
 * child does, through rmi's parent pruning. Conflicts are skipped silently.
 * The space reclaimed is the sum of the sizes of the layers deleted.
 */
import { MydockError } from '../errors.js';
import type { Digest } from '../../storage/layer-store.js';
import { familiarString } from '../reference/index.js';
import { deleteImage } from './delete.js';
import { matchLabels } from '../filters.js';
import { compareTime } from '../go-time-order.js';
import { isTagged } from './reference-store.js';
import type { ImageStore } from './store.js';
import type { DeleteRecord, PruneResult } from './types.js';

export interface PruneOptions {
  all?: boolean;
  /** Only images created before this Go time string. */
  until?: string;
  /** "key", "key=value": all must match. */
  label?: string[];
  /** `label!=`: images matching all of these are kept. */
  labelNot?: string[];
}

function labelsAllow(options: PruneOptions, labels: Record<string, string>): boolean {
  if (options.label && !matchLabels(options.label, labels)) return false;
  if (options.labelNot && options.labelNot.length > 0 && matchLabels(options.labelNot, labels)) return false;
  return true;
}

export function pruneImages(store: ImageStore, options: PruneOptions = {}): Promise<PruneResult> {
  return store.locked(async () => {
    const layerSizes = new Map<Digest, number>(store.layers.list().map((l) => [l.chainId, l.size]));
    const images = store.all();
    const parents = new Set(images.map((i) => i.parent).filter((p): p is string => p !== null));
    const candidates = images
      .filter((img) => (options.all ? true : !parents.has(img.id)))
      .filter((img) => !(store.refs.references(img.id).length === 0 && parents.has(img.id)))
      .filter((img) => options.until === undefined || compareTime(img.config.created, options.until) <= 0)
      .filter((img) => !img.config.config || labelsAllow(options, img.config.config.Labels ?? {}))
      // Newest first, so children go before the parents they hold.
      .sort((a, b) => compareTime(b.config.created, a.config.created));

    const deleted: DeleteRecord[] = [];
    for (const img of candidates) {
      if (!store.db.has(img.id)) continue;
      const refs = store.refs.references(img.id);
      const targets: string[] = [];
      if (refs.length > 0) {
        const shouldDelete = options.all || !refs.some(isTagged);
        if (shouldDelete) targets.push(...refs.map((r) => familiarString(r)));
      } else targets.push(img.id.slice('sha256:'.length));
      for (const target of targets) {
        try {
          deleted.push(...(await deleteImage(store, target, { force: false, prune: true })));
        } catch (err) {
          // Conflicts and images already gone are skipped, as Docker does.
          if (!(err instanceof MydockError)) throw err;
        }
      }
    }
    let spaceReclaimed = 0;
    for (const r of deleted) if ('deleted' in r) spaceReclaimed += layerSizes.get(r.deleted) ?? 0;
    return { deleted, spaceReclaimed };
  });
}
