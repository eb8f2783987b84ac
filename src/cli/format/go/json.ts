/**
 * Go's encoding/json output, byte for byte: compact or indented like
 * json.MarshalIndent, optional HTML escaping (`<` -> `\u003c`), U+2028 and
 * U+2029 always escaped, `\b` and `\f` spelled short (Go 1.22+), floats in
 * Go's shortest form with Go's exponent threshold (1e21 and 1e-6).
 *
 * Objects are written in property order: callers build Go maps with sorted
 * keys (see `sortKeys`) and structs in field order. Properties that are
 * `undefined` are omitted (Go's `omitempty`); `toJSON()` is honoured, like a
 * Go MarshalJSON method.
 */
import { formatFloat } from './float.js';
import { GO_TYPE, GoFloat, GoNil, isPlainObject, structFields } from './values.js';
import { isExported } from './unicode.js';

export interface JsonOptions {
  /** Escape <, > and & as json.Marshal does; docker's `{{json}}` turns this off. */
  escapeHTML: boolean;
  /** Indentation unit (MarshalIndent); undefined for compact output. */
  indent?: string;
  /** Prefix of every line after the first (MarshalIndent's prefix). */
  prefix?: string;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** A JSON string literal as Go's encoder writes it. */
export function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 in Go's terms: the replacement character.
      out += '\ufffd';
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += '\\\\';
        continue;
      case 0x0a:
        out += '\\n';
        continue;
      case 0x0d:
        out += '\\r';
        continue;
      case 0x09:
        out += '\\t';
        continue;
      case 0x08:
        out += '\\b';
        continue;
      case 0x0c:
        out += '\\f';
        continue;
      case 0x2028:
      case 0x2029:
        out += '\\u' + hex4(c);
        continue;
      default:
        break;
    }
    if (c < 0x20 || (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += '\\u' + hex4(c);
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

/** Go's float64 encoding: shortest digits, 'f' form unless tiny or huge. */
export function jsonFloat(x: number): string {
  if (!Number.isFinite(x)) throw new TypeError(`json: unsupported value: ${formatFloat(x, 'g', -1)}`);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go cleans e-07 to e-7.
    return formatFloat(x, 'e', -1).replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return formatFloat(x, 'f', -1);
}

/** A copy of a plain object with its keys sorted, as Go orders map keys. */
export function sortKeys<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out as T;
}

function hasToJSON(v: object): v is { toJSON(): unknown } {
  return typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** Encodes a value as Go's json package would. */
export function marshal(value: unknown, options: JsonOptions = { escapeHTML: true }): string {
  const { indent, escapeHTML } = options;
  const prefix = options.prefix ?? '';
  const nl = (depth: number): string => (indent === undefined ? '' : '\n' + prefix + indent.repeat(depth));
  const colon = indent === undefined ? ':' : ': ';

  // esc: whether to escape HTML characters here. A toJSON() result is
  // encoded escaped, as Go's MarshalJSON methods use json.Marshal and the
  // outer encoder keeps their bytes as they are.
  const enc = (v: unknown, depth: number, esc = escapeHTML): string => {
    if (v === null || v === undefined) return 'null';
    switch (typeof v) {
      case 'string':
        return jsonString(v, esc);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return v.toString();
      case 'number':
        return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : jsonFloat(v);
      case 'function':
      case 'symbol':
        throw new TypeError(`json: unsupported type: ${typeof v}`);
      default:
        break;
    }
    if (v instanceof GoFloat) return jsonFloat(v.value);
    if (v instanceof GoNil) return 'null';
    if (v instanceof Date) return jsonString(v.toISOString(), esc);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return '[' + v.map((e) => nl(depth + 1) + enc(e, depth + 1, esc)).join(',') + nl(depth) + ']';
    }
    const obj = v as object;
    if (hasToJSON(obj)) return enc(obj.toJSON(), depth, true);
    // A view object (a class instance) marshals as docker/cli's view
    // contexts do: every exported getter and zero-argument method, sorted.
    if (!isPlainObject(obj) && (obj as Record<PropertyKey, unknown>)[GO_TYPE] === undefined) {
      return enc(viewValues(obj), depth, true);
    }
    const rec = obj as Record<string, unknown>;
    const keys = isPlainObject(obj) ? Object.keys(rec) : structFields(obj);
    const entries = keys.filter((k) => rec[k] !== undefined && typeof rec[k] !== 'function');
    if (entries.length === 0) return '{}';
    return (
      '{' +
      entries.map((k) => nl(depth + 1) + jsonString(k, esc) + colon + enc(rec[k], depth + 1, esc)).join(',') +
      nl(depth) +
      '}'
    );
  };
  return enc(value, 0);
}

/**
 * docker/cli's MarshalJSON for view objects (formatter.MarshalJSON): the
 * results of every exported getter and zero-argument method except
 * FullHeader, keys sorted.
 */
export function viewValues(view: object): Record<string, unknown> {
  const rec = view as Record<string, unknown>;
  const names = new Set<string>(structFields(view));
  for (let p = Object.getPrototypeOf(view) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (typeof d.value === 'function' && (d.value as () => unknown).length === 0 && isExported(k) && k !== 'FullHeader') {
        names.add(k);
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of [...names].sort()) {
    const v = rec[k];
    out[k] = typeof v === 'function' ? (v as () => unknown).call(view) : v;
  }
  return out;
}
