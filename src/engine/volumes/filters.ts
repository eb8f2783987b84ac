/**
 * `--filter key=value` arguments, as Docker's filters.Args: repeated keys
 * are alternatives (OR), different keys must all match (AND); an unknown key
 * is refused with Docker's text.
 */
import { invalidFilter } from '../errors.js';
import { parseFilterFlags, type FilterArgs } from '../filters.js';


/** Splits the flags (shared splitter) and refuses keys the volume calls do not take. */
export function parseFilters(args: readonly string[], allowed: readonly string[], flag = '-f, --filter'): FilterArgs {
  const out = parseFilterFlags(args, flag);
  for (const key of Object.keys(out)) if (!allowed.includes(key)) throw invalidFilter(key);
  return out;
}


/** A boolean filter (dangling, all): Docker's text names every value given for the key. */
export function parseBoolFilter(key: string, value: string, all: readonly string[] = [value]): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalidFilter(key, all);
}
