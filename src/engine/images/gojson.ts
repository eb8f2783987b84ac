/**
 * JSON exactly as Go's encoding/json writes it, because image IDs are the
 * sha256 of config bytes: a config mydock writes must be byte-identical to
 * the one a Docker engine would write for the same image.
 *
 * What differs from JSON.stringify:
 * - strings escape "<", ">" and "&" as \u003c, \u003e, \u0026 (HTML-safe
 *   default), U+2028/U+2029 as \u2028/\u2029, control characters other than
 *   \n \r \t as \u00XX (Go before 1.22 had no \b \f short forms; the 20.10
 *   engine is built with 1.19), lone surrogates as \ufffd;
 * - maps (`GoMap`) are written with sorted keys; structs (plain objects) keep
 *   their field order, which callers build in Go's declaration order;
 * - `undefined` fields are left out (that is how callers express omitempty).
 */

/** A Go map: its keys are sorted when written. */
export class GoMap<V> {
  constructor(readonly entries: Readonly<Record<string, V>>) {}
}

export type GoValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | GoMap<GoValue>
  | readonly GoValue[]
  | { readonly [key: string]: GoValue };

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) out += hex4(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
    else out += s[i]!;
  }
  return out + '"';
}

/** Go's sort.Strings order: by UTF-8 bytes, which for these keys equals UTF-16 code unit order outside the astral planes. */
function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

export function marshalGo(value: GoValue): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`json: unsupported value: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof GoMap) {
    const keys = sortKeys(Object.keys(value.entries));
    return `{${keys.map((k) => `${goJsonString(k)}:${marshalGo(value.entries[k])}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v: GoValue) => marshalGo(v)).join(',')}]`;
  const obj = value as { readonly [key: string]: GoValue };
  const parts: string[] = [];
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    parts.push(`${goJsonString(key)}:${marshalGo(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros
 * dropped, UTC as "Z"). Input is an ISO string that may carry up to 9
 * fractional digits, which JS Dates cannot hold, so mydock keeps times as
 * strings.
 */
export function goTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) return iso;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return frac === '' ? `${m[1]}Z` : `${m[1]}.${frac}Z`;
}

/** Now as Go prints it, with nanoseconds from the high-resolution clock so that two stamps in one millisecond still differ. */
export function goNow(clock: () => Date = () => new Date()): string {
  const d = clock();
  const base = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  const sub = Number(process.hrtime.bigint() % 1_000_000n);
  const nanos = ms * 1_000_000 + sub;
  return goTime(`${base}.${String(nanos).padStart(9, '0')}Z`);
}
