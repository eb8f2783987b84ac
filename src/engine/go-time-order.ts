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

const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/;

/**
 * A text that sorts as the time does: the UTC form with all nine fraction
 * digits. Cheaper than `timeParts` for the form mydock writes (no date
 * parsing), which is what sorting a thousand containers wants.
 */
export function timeSortKey(t: string): string {
  if (!CANONICAL_UTC.test(t)) {
    const [seconds, nanos] = timeParts(t);
    const d = new Date(seconds * 1000);
    if (Number.isNaN(d.getTime())) return '';
    t = `${d.toISOString().slice(0, 19)}.${String(nanos).padStart(9, '0')}Z`;
  }
  return t.length === 20 ? `${t.slice(0, 19)}.000000000` : t.slice(0, 20) + t.slice(20, -1).padEnd(9, '0');
}
