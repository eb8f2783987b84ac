/**
 * `docker history` (daemon/images/image_history.go): one row per config
 * history entry, newest first. A row's size is its layer's size (0 for
 * `empty_layer` rows). IDs are filled from the top by walking the recorded
 * parents, one image per row, so rows below a pulled or loaded image (which
 * has no parent record) read `<missing>`.
 */
import { chainIdOf, type Digest } from '../../storage/layer-store.js';
import { familiarString } from '../reference/index.js';
import { isTagged } from './reference-store.js';
import { unixSeconds } from './list.js';
import type { ImageStore } from './store.js';
import type { HistoryRow } from './types.js';

export function imageHistory(store: ImageStore, refOrId: string): HistoryRow[] {
  const img = store.resolve(refOrId);
  const diffIds = img.config.rootfs?.diff_ids ?? [];
  const rows: HistoryRow[] = [];
  let chain: Digest | null = null;
  let layerIndex = 0;
  for (const h of img.config.history ?? []) {
    let size = 0;
    if (!h.empty_layer) {
      const diffId = diffIds[layerIndex];
      if (diffId === undefined) throw new Error('too many non-empty layers in History section');
      chain = chainIdOf(chain, diffId);
      size = store.layers.get(chain)?.size ?? 0;
      layerIndex++;
    }
    rows.unshift({
      id: '<missing>',
      created: unixSeconds(h.created),
      createdAt: h.created ?? '',
      createdBy: h.created_by ?? '',
      tags: [],
      size,
      comment: h.comment ?? '',
    });
  }
  let current: string | null = img.id;
  for (const row of rows) {
    if (current === null) break;
    row.id = current;
    row.tags = store.refs
      .references(current)
      .filter(isTagged)
      .map((r) => familiarString(r));
    const parentId: string | null = store.get(current)?.parent ?? null;
    current = parentId !== null && store.db.has(parentId) ? parentId : null;
  }
  return rows;
}
