/**
 * Functions available in templates: Go's builtins (and, or, not, len,
 * index, slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js,
 * urlquery, call) and docker/cli's additions (json, split, join, title,
 * lower, upper, pad, truncate), plus the header variants docker/cli swaps in
 * when it renders a table's header row.
 */
import { AND, OR, type FuncMap, type GoFunction } from './exec.js';
import { GoNil, goTypeName, isPlainObject, isTrue, kindOf, lengthOf, numberOf } from '../go/values.js';
import { formatValue, sprint, sprintf, sprintln } from '../go/print.js';
import { marshal } from '../go/json.js';
import { isLetterOrDigit } from '../go/unicode.js';

const plain = { minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false };

function fn(params: GoFunction['params'], call: GoFunction['call'], variadic?: GoFunction['variadic']): GoFunction {
  return variadic ? { params, call, variadic } : { params, call };
}

// --- comparison, as text/template's funcs.go ---

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  if (k === 'bool' || k === 'int' || k === 'float' || k === 'string' || k === 'invalid') return k;
  return 'other';
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new Error('incompatible types for comparison');
    } else {
      switch (k1) {
        case 'bool':
        case 'string':
          truth = arg1 === arg;
          break;
        case 'int':
        case 'float':
          truth = numberOf(arg1) === numberOf(arg);
          break;
        case 'invalid':
          truth = true;
          break;
        default: {
          const nil1 = kindOf(arg1) === 'nilptr' || arg1 instanceof GoNil;
          const nil2 = kindOf(arg) === 'nilptr' || arg instanceof GoNil;
          if (nil1 || nil2) truth = nil1 === nil2;
          else if (Array.isArray(arg1) || isPlainObject(arg1) || typeof arg1 === 'function') {
            throw new Error(`non-comparable type ${formatValue(arg1, 'v', plain, 0)}: ${goTypeName(arg1)}`);
          } else truth = arg1 === arg;
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  const valid = (k: BasicKind): boolean => k === 'int' || k === 'float' || k === 'string' || k === 'bool';
  if (!valid(k1) || !valid(k2)) throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  if (k1 === 'string') return (a as string) < (b as string);
  return numberOf(a) < numberOf(b);
}

function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

// --- indexing and length ---

const ZERO_VALUE_TYPE = 'reflect: call of reflect.Value.Type on zero Value';

function indexArg(index: unknown, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid') throw new Error('cannot index slice/array with nil');
  if (k !== 'int') throw new Error(`cannot index slice/array with type ${goTypeName(index)}`);
  const x = numberOf(index);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null) throw new Error('index of untyped nil');
  let cur: unknown = item;
  for (const ix of indexes) {
    const k = kindOf(cur);
    if (k === 'nilptr') throw new Error('index of nil pointer');
    if (k === 'string' || k === 'slice') {
      if (k === 'string') {
        const bytes = Buffer.from(cur as string, 'utf8');
        const x = indexArg(ix, bytes.length);
        if (x === bytes.length) throw new Error('reflect: string index out of range');
        cur = bytes[x]!;
      } else {
        const arr = cur instanceof GoNil ? [] : (cur as unknown[]);
        const x = indexArg(ix, arr.length);
        if (x === arr.length) throw new Error('reflect: slice index out of range');
        cur = arr[x];
      }
    } else if (k === 'map') {
      if (ix === null) {
        cur = null;
        continue;
      }
      if (typeof ix !== 'string') throw new Error(`value has type ${goTypeName(ix)}; should be string`);
      const map = cur instanceof GoNil ? {} : (cur as Record<string, unknown>);
      if (Object.prototype.hasOwnProperty.call(map, ix)) cur = map[ix];
      else cur = goTypeName(cur) === 'map[string]string' ? '' : null;
    } else {
      throw new Error(`can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let len: number;
  if (k === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    len = Buffer.byteLength(item as string, 'utf8');
  } else if (k === 'slice') {
    len = item instanceof GoNil ? 0 : (item as unknown[]).length;
  } else {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (k === 'string') return Buffer.from(item as string, 'utf8').subarray(idx[0], idx[1]).toString('utf8');
  return (item instanceof GoNil ? [] : (item as unknown[])).slice(idx[0], idx[1]);
}

function length(item: unknown): number {
  const k = kindOf(item);
  if (k === 'nilptr') throw new Error('len of nil pointer');
  if (k === 'invalid') throw new Error(ZERO_VALUE_TYPE);
  if (k === 'string' || k === 'slice' || k === 'map') return lengthOf(item);
  throw new Error(`len of type ${goTypeName(item)}`);
}

// --- escaping ---

function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null ? null : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (c < 0x20) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

function urlQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// --- docker/cli's functions ---

/** strings.Title: upper-cases the first letter of each word. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = isSeparator(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  if (/^[A-Za-z0-9_]$/.test(ch)) return false;
  if (ch.charCodeAt(0) < 0x80) return true;
  if (isLetterOrDigit(ch)) return false;
  return /^\s$/u.test(ch);
}

/** strings.Split: an empty separator splits into characters; splitting "" gives [""]. */
function split(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

/** docker/cli's `json`: an encoder with HTML escaping off, trailing newline trimmed. */
function jsonFunc(v: unknown): string {
  return marshal(v, { escapeHTML: false }).trim();
}

function truncate(s: string, n: number): string {
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length < n) return s;
  return bytes.subarray(0, Math.max(n, 0)).toString('utf8');
}

function padWithSpace(s: string, prefix: number, suffix: number): string {
  if (s === '') return s;
  return ' '.repeat(Math.max(prefix, 0)) + s + ' '.repeat(Math.max(suffix, 0));
}

const BUILTINS: Array<[string, GoFunction]> = [
  ['and', AND],
  ['or', OR],
  ['not', fn(['any'], (a) => !isTrue(a))],
  ['len', fn(['any'], length)],
  ['index', fn(['any'], index, 'any')],
  ['slice', fn(['any'], slice, 'any')],
  ['print', fn([], (...a) => sprint(a), 'any')],
  ['printf', fn(['string'], (f, ...a) => sprintf(f as string, a), 'any')],
  ['println', fn([], (...a) => sprintln(a), 'any')],
  ['eq', fn(['any'], (a, ...b) => eq(a, ...b), 'any')],
  ['ne', fn(['any', 'any'], (a, b) => !eq(a, b))],
  ['lt', fn(['any', 'any'], lt)],
  ['le', fn(['any', 'any'], le)],
  ['gt', fn(['any', 'any'], (a, b) => !le(a, b))],
  ['ge', fn(['any', 'any'], (a, b) => !lt(a, b))],
  ['html', fn([], (...a) => htmlEscape(evalArgs(a)), 'any')],
  ['js', fn([], (...a) => jsEscape(evalArgs(a)), 'any')],
  ['urlquery', fn([], (...a) => urlQueryEscape(evalArgs(a)), 'any')],
  [
    'call',
    fn(
      ['any'],
      (f, ...a) => {
        if (typeof f !== 'function') throw new Error(`non-function of type ${goTypeName(f)}`);
        return (f as (...x: unknown[]) => unknown)(...a);
      },
      'any',
    ),
  ],
];

const DOCKER_FUNCS: Array<[string, GoFunction]> = [
  ['json', fn(['any'], jsonFunc)],
  ['split', fn(['string', 'string'], (s, sep) => split(s as string, sep as string))],
  ['join', fn(['[]string', 'string'], (a, sep) => (a instanceof GoNil ? [] : (a as string[])).join(sep as string))],
  ['title', fn(['string'], (s) => title(s as string))],
  ['lower', fn(['string'], (s) => (s as string).toLowerCase())],
  ['upper', fn(['string'], (s) => (s as string).toUpperCase())],
  ['pad', fn(['string', 'int', 'int'], (s, p, q) => padWithSpace(s as string, p as number, q as number))],
  ['truncate', fn(['string', 'int'], (s, n) => truncate(s as string, n as number))],
];

/**
 * docker/cli's HeaderFunctions: when rendering the header row, the functions
 * that would transform a column's value return the header text unchanged
 * (`pad` is kept so headers stay aligned with padded columns).
 */
const HEADER_FUNCS: Array<[string, GoFunction]> = [
  ['json', fn(['string'], (v) => v)],
  ['split', fn(['string', 'string'], (v) => v)],
  ['join', fn(['string', 'string'], (v) => v)],
  ['title', fn(['string'], (v) => v)],
  ['lower', fn(['string'], (v) => v)],
  ['upper', fn(['string'], (v) => v)],
  ['truncate', fn(['string', 'int'], (v) => v)],
];

/** The functions of `docker ... --format` templates (templates.Parse). */
export const dockerFuncs: FuncMap = new Map([...BUILTINS, ...DOCKER_FUNCS]);

/** The same, with docker/cli's header replacements, for the header row of a table. */
export const headerFuncs: FuncMap = new Map([...BUILTINS, ...DOCKER_FUNCS, ...HEADER_FUNCS]);
