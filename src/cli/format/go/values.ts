/**
 * How JavaScript values stand for Go values in templates, printing and JSON.
 *
 * Docker's `--format` templates run against Go values, and what they print
 * depends on Go types (an int64 prints `3982426`, a float64 `3.982426e+06`; a
 * nil slice `[]`, a nil map `map[]`, a nil pointer `<nil>`, a missing map
 * entry `<no value>`). JavaScript has fewer types, so:
 *
 * | JavaScript value                         | Go value                         |
 * |------------------------------------------|----------------------------------|
 * | string, boolean                          | string, bool                     |
 * | integral number, bigint                  | int / int64                      |
 * | non-integral number, `goFloat(n)`        | float64                          |
 * | array                                    | slice                            |
 * | plain object (`{}`)                      | map[string]interface{}           |
 * | class instance, or object with GO_TYPE   | struct (a view object), by name  |
 * | `null`                                   | nil interface (prints `<no value>` at top level) |
 * | `undefined`, `goNil('pointer')`          | nil pointer (prints `<nil>`)     |
 * | `goNil('slice')`, `goNil('map')`         | nil slice / nil map              |
 * | function                                 | func (methods of view objects)   |
 *
 * Struct fields are the object's properties whose names start with an upper
 * case letter, as only exported Go fields are reachable from templates; a
 * property holding a function is a method and is called.
 */
import { isExported } from './unicode.js';

/** Names the Go type of a struct-like object, e.g. `*formatter.ContainerContext`. */
export const GO_TYPE: unique symbol = Symbol.for('mydock.goType');

/** Marks a plain object as a Go map when it sits inside a struct-like record (see goMap). */
export const GO_MAP: unique symbol = Symbol.for('mydock.goMap');

/**
 * Marks `obj` as a Go map (for example an image's Labels) inside a record
 * that is otherwise read as structs, and returns it with its keys sorted as
 * Go orders map keys. The mark is a non-enumerable symbol: JSON is unchanged.
 */
export function goMap<T extends Record<string, unknown>>(obj: T): T {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
  Object.defineProperty(sorted, GO_MAP, { value: true, enumerable: false });
  return sorted as T;
}

export function isGoMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<PropertyKey, unknown>)[GO_MAP] === true;
}

/** A float64 whose value may be integral (`goFloat(3)` prints `3`, `goFloat(1e6)` `1e+06`). */
export class GoFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export function goFloat(value: number): GoFloat {
  return new GoFloat(value);
}

export type NilKind = 'slice' | 'map' | 'pointer';

/** A typed nil: serialises as JSON null, prints as Go prints that type's nil. */
export class GoNil {
  constructor(
    readonly kind: NilKind,
    readonly typeName?: string,
  ) {}
  toJSON(): null {
    return null;
  }
}

export function goNil(kind: NilKind, typeName?: string): GoNil {
  return new GoNil(kind, typeName);
}

export type Kind =
  | 'invalid'
  | 'nilptr'
  | 'bool'
  | 'int'
  | 'float'
  | 'string'
  | 'slice'
  | 'map'
  | 'struct'
  | 'func';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  if ((v as Record<PropertyKey, unknown>)[GO_TYPE] !== undefined) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The Go kind a JavaScript value stands for. */
export function kindOf(v: unknown): Kind {
  if (v === null) return 'invalid';
  if (v === undefined) return 'nilptr';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'function':
      return 'func';
    default:
      break;
  }
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoNil) return v.kind === 'pointer' ? 'nilptr' : v.kind;
  if (Array.isArray(v)) return 'slice';
  if (isPlainObject(v)) return 'map';
  return 'struct';
}

/** The number inside an int or float value. */
export function numberOf(v: unknown): number {
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return v as number;
}

/** Length of a string (in bytes, as Go counts), slice or map. */
export function lengthOf(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof GoNil) return 0;
  if (Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).filter((k) => v[k] !== undefined).length;
  return 0;
}

/** Map entries sorted by key, as Go's fmt and text/template iterate maps. */
export function sortedEntries(v: unknown): Array<[string, unknown]> {
  if (!isPlainObject(v)) return [];
  return Object.keys(v)
    .filter((k) => v[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => [k, v[k]]);
}

/** Go's template truth: non-zero, non-empty, non-nil. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nilptr':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return numberOf(v) !== 0;
    case 'string':
    case 'slice':
    case 'map':
      return lengthOf(v) > 0;
    default:
      return true;
  }
}

/**
 * The struct fields of a view object, in declaration order: its own
 * upper-case properties, then upper-case getters along its prototype chain.
 * Methods (functions) are not fields.
 */
export function structFields(v: object): string[] {
  const seen = new Set<string>();
  const fields: string[] = [];
  const add = (k: string): void => {
    if (!seen.has(k) && isExported(k)) {
      seen.add(k);
      fields.push(k);
    }
  };
  for (const k of Object.keys(v)) {
    if (typeof (v as Record<string, unknown>)[k] !== 'function') add(k);
  }
  for (let proto = Object.getPrototypeOf(v) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const [k, desc] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (desc.get) add(k);
    }
  }
  return fields;
}

/** Go's name for the type of a value, for error messages (`string`, `[]interface {}`, `*formatter.ContainerContext`). */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
      return '<nil>';
    case 'nilptr':
      return v instanceof GoNil && v.typeName ? v.typeName : '*interface {}';
    case 'bool':
      return 'bool';
    case 'int':
      return typeof v === 'bigint' ? 'int64' : 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'func':
      return 'func()';
    case 'slice': {
      if (v instanceof GoNil) return v.typeName ?? '[]interface {}';
      const arr = v as unknown[];
      return arr.length > 0 && arr.every((e) => typeof e === 'string') ? '[]string' : '[]interface {}';
    }
    case 'map': {
      if (v instanceof GoNil) return v.typeName ?? 'map[string]interface {}';
      const vals = Object.values(v as object) as unknown[];
      return vals.length > 0 && vals.every((e) => typeof e === 'string')
        ? 'map[string]string'
        : 'map[string]interface {}';
    }
    case 'struct': {
      const obj = v as Record<PropertyKey, unknown>;
      const named = obj[GO_TYPE];
      if (typeof named === 'string') return named;
      const ctor = (obj.constructor as { goTypeName?: unknown; name?: string } | undefined) ?? undefined;
      if (ctor && typeof ctor.goTypeName === 'string') return ctor.goTypeName;
      if (v instanceof Date) return 'time.Time';
      return ctor?.name ? `*${ctor.name}` : 'struct {}';
    }
  }
}
