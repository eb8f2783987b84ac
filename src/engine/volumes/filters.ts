/**
 * `--filter key=value` arguments, as Docker's filters.Args: repeated keys
 * are alternatives (OR), different keys must all match (AND); an unknown key
 * is refused with Docker's text.
 */
import { DaemonError } from '../errors.js';

export type Filters = Map<string, string[]>;

export const invalidFilter = (key: string) => new DaemonError(`invalid filter '${key}'`, 'INVALID_FILTER', { key });

export function parseFilters(args: readonly string[], allowed: readonly string[]): Filters {
  const out: Filters = new Map();
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq === -1) throw new DaemonError(`bad format of filter (expected name=value)`, 'BAD_FILTER', { filter: a });
    const key = a.slice(0, eq).trim().toLowerCase();
    if (!allowed.includes(key)) throw invalidFilter(key);
    out.set(key, [...(out.get(key) ?? []), a.slice(eq + 1)]);
  }
  return out;
}

/** `label=k` (present) or `label=k=v` (equal), against a label map. */
export function matchesLabel(labels: Record<string, string> | null | undefined, wanted: string): boolean {
  const eq = wanted.indexOf('=');
  const key = eq === -1 ? wanted : wanted.slice(0, eq);
  if (!labels || !(key in labels)) return false;
  return eq === -1 || labels[key] === wanted.slice(eq + 1);
}

export function parseBoolFilter(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new DaemonError(`invalid filter '${key}=${value}'`, 'INVALID_FILTER', { key });
}
