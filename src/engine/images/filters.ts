/**
 * `--filter` arguments for `images` and `image prune`, as Docker's daemon
 * validates them (filters.Args: each key maps to a set of values). The CLI
 * splits "key=value" flags; this turns the sets into typed filters or
 * Docker's errors:
 *
 *   Invalid filter 'foo'                 an unknown key
 *   Invalid filter 'dangling=[maybe]'    dangling is "true" or "false"
 *   failed to parse value as time or duration: "xyz"   (prune until=)
 */
import { invalidFilter } from '../errors.js';
import { parseUntil } from '../filters.js';
import type { ImageFilters } from './types.js';
import type { PruneOptions } from './prune.js';

export type FilterArgs = Readonly<Record<string, readonly string[]>>;


function check(args: FilterArgs, accepted: readonly string[]): void {
  for (const key of Object.keys(args)) if (!accepted.includes(key)) throw invalidFilter(key);
}

function dangling(args: FilterArgs): boolean | undefined {
  const values = args.dangling;
  if (values === undefined) return undefined;
  if (values.includes('true')) return true;
  if (values.includes('false')) return false;
  throw invalidFilter('dangling', values);
}

/** `docker images --filter …`. */
export function imageFiltersFromArgs(args: FilterArgs): ImageFilters {
  check(args, ['dangling', 'label', 'before', 'since', 'reference']);
  const out: ImageFilters = {};
  const d = dangling(args);
  if (d !== undefined) out.dangling = d;
  if (args.reference) out.reference = [...args.reference];
  if (args.label) out.label = [...args.label];
  if (args.before?.length) out.before = args.before[args.before.length - 1]!;
  if (args.since?.length) out.since = args.since[args.since.length - 1]!;
  return out;
}

/** `docker image prune [-a] --filter …`: `dangling=false` is what `-a` sends. */
export function pruneOptionsFromArgs(args: FilterArgs, now: Date = new Date()): PruneOptions {
  check(args, ['dangling', 'label', 'label!', 'until']);
  const out: PruneOptions = {};
  if (dangling(args) === false) out.all = true;
  if (args.label) out.label = [...args.label];
  if (args['label!']) out.labelNot = [...args['label!']];
  if (args.until?.length) out.until = parseUntil(args.until[args.until.length - 1]!, now);
  return out;
}

