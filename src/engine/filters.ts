/**
 * `--filter key=value` flags as docker/cli's filter option collects them
 * (filters.Args: each key maps to the values given for it). Each object kind
 * then checks its keys and values with Docker's texts.
 */
import { badFilterFormat, badUntilFilter } from './errors.js';

export type FilterArgs = Record<string, string[]>;

/** `flag` names the option in the error, as pflag does: "-f, --filter" or "--filter". */
export function parseFilterFlags(values: readonly string[], flag = '-f, --filter'): FilterArgs {
  const out: FilterArgs = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === -1) throw badFilterFormat(v, flag);
    const key = v.slice(0, eq).trim().toLowerCase();
    (out[key] ??= []).push(v.slice(eq + 1).trim());
  }
  return out;
}

/**
 * A `label=k` (present) or `label=k=v` (equal) filter value against a label
 * map, as filters.Args.MatchKVList checks each value. Own keys only: "constructor"
 * is not a label every object has.
 */
export function matchesLabel(labels: Record<string, string> | null | undefined, wanted: string): boolean {
  if (!labels) return false;
  const eq = wanted.indexOf('=');
  const key = eq === -1 ? wanted : wanted.slice(0, eq);
  return Object.prototype.hasOwnProperty.call(labels, key) && (eq === -1 || labels[key] === wanted.slice(eq + 1));
}

/** filters.MatchKVList: every "key" must exist, every "key=value" must equal. */
export function matchLabels(wanted: readonly string[], labels: Record<string, string> | null | undefined): boolean {
  return wanted.every((w) => matchesLabel(labels, w));
}

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/**
 * `until=`: a Go duration ("24h", "1h30m") back from now, an RFC 3339 time
 * or date, or Unix seconds. Returns a Go time string (UTC).
 */
export function parseUntil(value: string, now: Date): string {
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
  throw badUntilFilter(value);
}
