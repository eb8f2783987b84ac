/**
 * `docker images`: which images show, with which names, newest first
 * (daemon/images/images.go in 20.10).
 *
 * - Untagged images with children are intermediate build steps: hidden
 *   unless `all`. Untagged images without children are dangling and show as
 *   `<none>:<none>`.
 * - `dangling=true` lists only those; `dangling=false` hides them.
 * - `reference=PATTERN` keeps the names matching a glob (on the familiar
 *   string or the familiar name) and drops images with no matching name.
 * - `before=` / `since=` compare creation times with another image's.
 * - `label=key` / `label=key=value` must all match the image's labels.
 */
import { familiarName, familiarString } from '../reference/index.js';
import { isCanonical, isTagged } from './reference-store.js';
import { pathMatch } from './glob.js';
import type { ImageStore } from './store.js';
import type { Image, ImageFilters, ImageSummary } from './types.js';
import { matchLabels } from '../filters.js';
import { compareTime, timeParts } from '../go-time-order.js';

export interface ListOptions {
  all?: boolean;
  filters?: ImageFilters;
  /**
   * `system df`: count each image's containers and its shared size (the
   * sizes of its layers that another listed image also uses). Without it,
   * both are -1, as in the API's image list.
   */
  withExtraAttrs?: boolean;
}

export function listImages(store: ImageStore, options: ListOptions = {}): ImageSummary[] {
  const filters = options.filters ?? {};
  const danglingOnly = filters.dangling === true;
  const before = filters.before !== undefined ? store.resolve(filters.before).config.created : null;
  const since = filters.since !== undefined ? store.resolve(filters.since).config.created : null;
  const patterns = filters.reference ?? [];

  const images = store.all();
  const hasChildren = new Set(images.map((i) => i.parent).filter((p): p is string => p !== null));
  const candidates = danglingOnly ? images.filter((i) => !hasChildren.has(i.id)) : images;

  const out: ImageSummary[] = [];
  for (const img of candidates) {
    if (before !== null && !(compareTime(img.config.created, before) < 0)) continue;
    if (since !== null && !(compareTime(img.config.created, since) > 0)) continue;
    if (filters.label && filters.label.length > 0) {
      if (!img.config.config || !matchLabels(filters.label, img.config.config.Labels ?? {})) continue;
    }
    let repoTags: string[] = [];
    let repoDigests: string[] = [];
    for (const ref of store.refs.references(img.id)) {
      if (patterns.length > 0 && !patterns.some((p) => pathMatch(p, familiarString(ref)) || pathMatch(p, familiarName(ref)))) {
        continue;
      }
      if (isCanonical(ref)) repoDigests.push(familiarString(ref));
      if (isTagged(ref)) repoTags.push(familiarString(ref));
    }
    if (repoTags.length === 0 && repoDigests.length === 0) {
      if (!(options.all || !hasChildren.has(img.id))) continue;
      if (filters.dangling === false) continue;
      if (patterns.length > 0) continue;
      repoTags = ['<none>:<none>'];
      repoDigests = ['<none>@<none>'];
    } else if (danglingOnly && repoTags.length > 0) {
      continue;
    }
    out.push(summarize(store, img, repoTags, repoDigests));
  }
  if (options.withExtraAttrs) addExtraAttrs(store, out);
  // Newest first; Docker compares whole seconds and leaves ties unordered, mydock breaks them by full time.
  return out.sort((a, b) => b.created - a.created || compareTime(b.createdAt, a.createdAt) || (a.id < b.id ? -1 : 1));
}

function addExtraAttrs(store: ImageStore, rows: ImageSummary[]): void {
  const chains = new Map<string, Array<{ chainId: string; size: number }>>();
  const refs = new Map<string, number>();
  for (const row of rows) {
    const img = store.get(row.id);
    const chain = img?.topLayer ? store.layers.chain(img.topLayer).map((l) => ({ chainId: l.chainId, size: l.size })) : [];
    chains.set(row.id, chain);
    for (const l of chain) refs.set(l.chainId, (refs.get(l.chainId) ?? 0) + 1);
    const used = store.usage.isImageUsed(row.id);
    row.containers = used.running.length + used.stopped.length;
  }
  for (const row of rows) {
    row.sharedSize = (chains.get(row.id) ?? []).reduce((s, l) => s + ((refs.get(l.chainId) ?? 0) > 1 ? l.size : 0), 0);
  }
}

function summarize(store: ImageStore, img: Image, repoTags: string[], repoDigests: string[]): ImageSummary {
  const size = store.size(img);
  return {
    id: img.id,
    parentId: img.parent ?? '',
    repoTags,
    repoDigests,
    created: unixSeconds(img.config.created),
    createdAt: img.config.created,
    size,
    virtualSize: size,
    sharedSize: -1,
    labels: img.config.config?.Labels ?? null,
    containers: -1,
  };
}

/** Go's Time.Unix(): whole seconds, rounding toward the past. */
export function unixSeconds(t: string | undefined): number {
  if (t === undefined || t === '') return -62135596800;
  return timeParts(t)[0];
}
