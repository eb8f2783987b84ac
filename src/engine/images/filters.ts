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
import { DaemonError, invalidFilter } from '../errors.js';
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

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/**
 * `until=`: a Go duration ("24h", "1h30m") back from now, an RFC 3339 time
 * or date, or Unix seconds. Returns a Go time string (UTC).
 */
export function parseUntil(value: string, now: Date): string {
  const fail = () => new DaemonError(`failed to parse value as time or duration: "${value}"`, 'INVALID_FILTER');
  const dur = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(value);
  if (dur) {
    let ns = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ns += Number(m[1]) * UNIT_NS[m[2]!]!;
    return new Date(now.getTime() - ns / 1e6).toISOString();
  }
  if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000).toISOString();
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) {
    const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  throw fail();
}
