/**
 * The daemon's container prune filter (`container prune`, and the container
 * step of `system prune`): until, label, label!; any other name is refused
 * with Docker's `Invalid filter` text.
 */
import { invalidFilter } from '../errors.js';
import type { FilterArgs } from '../filters.js';
import { matchLabels, parseUntil } from '../filters.js';
import { compareTime } from '../go-time-order.js';
import type { Container } from './types.js';

/** Which stopped containers a prune may remove. */
export function containerPruneFilter(filters: FilterArgs, now: Date): (c: Container) => boolean {
  for (const key of Object.keys(filters)) if (!['until', 'label', 'label!'].includes(key)) throw invalidFilter(key);
  const until = filters.until?.length ? parseUntil(filters.until[filters.until.length - 1]!, now) : null;
  const label = filters.label ?? [];
  const labelNot = filters['label!'] ?? [];
  return (c) => {
    const labels = c.record.Config.Labels ?? {};
    if (until !== null && compareTime(c.record.Created, until) > 0) return false;
    if (label.length > 0 && !matchLabels(label, labels)) return false;
    if (labelNot.length > 0 && matchLabels(labelNot, labels)) return false;
    return true;
  };
}
