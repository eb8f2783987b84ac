/**
 * Ordering of the Go time strings records carry (RFC 3339, up to nine
 * fraction digits). Go drops a fraction's trailing zeros, so the strings do
 * not sort as text: `…:05.1Z` is earlier than `…:05.123Z` but sorts after it.
 */

/** Whole seconds since the epoch and the nanoseconds within that second. */
export type TimeParts = readonly [seconds: number, nanos: number];

export function timeParts(t: string): TimeParts {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(t);
  if (!m) return [Math.floor(Date.parse(t) / 1000) || 0, 0];
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  return [seconds, Number((m[2] ?? '').padEnd(9, '0'))];
}

export function compareTimeParts(a: TimeParts, b: TimeParts): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Orders two Go time strings: negative when `a` is earlier. */
export function compareTime(a: string, b: string): number {
  return compareTimeParts(timeParts(a), timeParts(b));
}

/**
 * `items` sorted newest first by the time `createdOf` gives (a stable sort),
 * each time parsed once rather than at every comparison.
 */
export function sortNewestFirst<T>(items: readonly T[], createdOf: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, at: timeParts(createdOf(item)) }));
  keyed.sort((a, b) => compareTimeParts(b.at, a.at));
  return keyed.map((k) => k.item);
}
