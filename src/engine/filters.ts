/**
 * `--filter key=value` flags as docker/cli's filter option collects them
 * (filters.Args: each key maps to the values given for it). Each object kind
 * then checks its keys and values with Docker's texts.
 */
import { badFilterFormat } from './errors.js';

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
