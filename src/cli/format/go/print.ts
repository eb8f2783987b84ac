/**
 * Go's fmt package as far as templates need it: Sprint, Sprintln, Sprintf
 * and the way `%v` spells every kind of value (`map[a:1 b:2]`, `[x y]`,
 * `<nil>`, `3.982722e+06`), including the `%!d(string=a)` texts Go prints
 * for a verb that does not fit its argument.
 */
import { formatFloat, type FloatVerb } from './float.js';
import { GoNil, GO_TYPE, goTypeName, kindOf, numberOf, sortedEntries, structFields } from './values.js';
import { goTimeString } from '../time.js';
import { LazyRegExp } from '../lazy-regexp.js';

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** %+v: print struct field names. */
  plusV: boolean;
  width?: number;
  prec?: number;
}

const noFlags = (): Flags => ({ minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false });

/** A Go-printable rune: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = new LazyRegExp('^[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S} ]$', 'u');

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/** strconv.Quote: a double-quoted Go string literal. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
      default:
        break;
    }
    if (PRINTABLE.test(ch)) out += ch;
    else if (r < 0x20 || r === 0x7f) out += '\\x' + hex(r, 2);
    else if (r >= 0xd800 && r <= 0xdfff) out += '\\ufffd';
    else if (r < 0x10000) out += '\\u' + hex(r, 4);
    else out += '\\U' + hex(r, 8);
  }
  return out + '"';
}

/** Pads to the width in runes, as fmt does. */
function pad(s: string, f: Flags, zeroOK = false): string {
  if (f.width === undefined) return s;
  const n = f.width - [...s].length;
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  if (f.zero && zeroOK) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function badVerb(verb: string, v: unknown): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v, 'v', noFlags(), 0)})`;
}

function fmtInteger(v: unknown, verb: string, f: Flags): string {
  const n = typeof v === 'bigint' ? v : BigInt(v as number);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (f.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (f.sharp) prefix = '0';
      break;
    case 'x':
      digits = abs.toString(16);
      if (f.sharp) prefix = '0x';
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (f.sharp) prefix = '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(abs)), f);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(abs))}'`, f);
    case 'U':
      return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), f);
    default:
      return badVerb(verb, v);
  }
  if (f.prec !== undefined) digits = digits.padStart(f.prec, '0');
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + prefix + digits, f, f.prec === undefined);
}

function fmtFloatValue(x: number, verb: string, f: Flags): string {
  let fv: FloatVerb;
  let prec = f.prec ?? -1;
  switch (verb) {
    case 'v':
      fv = 'g';
      break;
    case 'g':
    case 'G':
      fv = verb;
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
      fv = verb;
      if (f.prec === undefined) prec = 6;
      break;
    default:
      return badVerb(verb, x);
  }
  let s = formatFloat(x, fv, prec);
  if (f.plus && !s.startsWith('-') && !s.startsWith('+')) s = '+' + s;
  else if (f.space && !s.startsWith('-')) s = ' ' + s;
  if (s === '+Inf' && !f.plus) s = 'Inf';
  return pad(s, f, Number.isFinite(x));
}

function fmtString(s: string, verb: string, f: Flags): string {
  if (f.prec !== undefined && (verb === 's' || verb === 'v' || verb === 'q')) s = [...s].slice(0, f.prec).join('');
  switch (verb) {
    case 'v':
    case 's':
      return pad(s, f);
    case 'q':
      return pad(quote(s), f);
    case 'x':
    case 'X': {
      const bytes = [...Buffer.from(s, 'utf8')].map((b) => hex(b, 2));
      const out = bytes.join(f.space ? ' ' : '');
      return pad(verb === 'X' ? out.toUpperCase() : out, f);
    }
    default:
      return badVerb(verb, s);
  }
}

/** A struct's String() method, if it has one (Go's fmt.Stringer). */
function stringer(v: object): string | undefined {
  const m = (v as Record<string, unknown>).String;
  if (typeof m === 'function') {
    const r = (m as () => unknown).call(v);
    if (typeof r === 'string') return r;
  }
  return undefined;
}

/**
 * fmt's printValue: `v` printed with `verb` at nesting `depth`
 * (depth > 0 inside slices, maps and structs).
 */
export function formatValue(v: unknown, verb: string, f: Flags, depth: number): string {
  if (verb === 'T') return pad(v === null ? '<nil>' : goTypeName(v), f);
  switch (kindOf(v)) {
    case 'invalid':
      return verb === 'v' ? pad('<nil>', f) : badVerb(verb, null);
    case 'nilptr':
      return verb === 'v' || verb === 's' ? pad('<nil>', f) : badVerb(verb, v);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(verb, v);
    case 'int':
      return fmtInteger(v, verb, f);
    case 'float':
      return fmtFloatValue(numberOf(v), verb, f);
    case 'string':
      return fmtString(v as string, verb, f);
    case 'func':
      return verb === 'v' ? '0x1' : badVerb(verb, v);
    case 'slice': {
      const items = v instanceof GoNil ? [] : (v as unknown[]);
      return '[' + items.map((e) => formatValue(e, verb, f, depth + 1)).join(' ') + ']';
    }
    case 'map': {
      const parts = sortedEntries(v instanceof GoNil ? {} : v).map(
        ([k, e]) => `${formatValue(k, verb, f, depth + 1)}:${formatValue(e, verb, f, depth + 1)}`,
      );
      return 'map[' + parts.join(' ') + ']';
    }
    case 'struct': {
      const obj = v as object;
      if (obj instanceof Date) return fmtString(goTimeString(obj.getTime()), verb === 'v' ? 's' : verb, f);
      if ('v s q x X'.includes(verb)) {
        const s = stringer(obj);
        if (s !== undefined) return fmtString(s, verb === 'v' ? 's' : verb, f);
      }
      const rec = obj as Record<string, unknown>;
      const fields = structFields(obj).map((k) => {
        const val = formatValue(rec[k], verb, f, depth + 1);
        return f.plusV ? `${k}:${val}` : val;
      });
      // View objects are pointers to structs in docker/cli: `&{...}` at top level.
      const ptr = depth === 0 && (obj as Record<PropertyKey, unknown>)[GO_TYPE] === undefined ? '&' : '';
      return ptr + '{' + fields.join(' ') + '}';
    }
  }
}

/** fmt.Sprint: operands printed with %v, a space between two operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a, 'v', noFlags(), 0);
  });
  return out;
}

/** fmt.Sprintln: operands separated by spaces, then a newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatValue(a, 'v', noFlags(), 0)).join(' ') + '\n';
}

/** fmt.Sprintf with Go's verbs, flags, width, precision and error texts. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f = noFlags();
    // Flags.
    for (; i < n; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === '+') f.plus = true;
      else if (c === '-') {
        f.minus = true;
        f.zero = false;
      } else if (c === ' ') f.space = true;
      else break;
    }
    // Width.
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (kindOf(a) === 'int') {
        let w = numberOf(a);
        if (w < 0) {
          f.minus = true;
          f.zero = false;
          w = -w;
        }
        f.width = w;
      } else {
        out += '%!(BADWIDTH)';
      }
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.width = Number(m[0]);
        i += m[0].length;
      }
    }
    // Precision.
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (kindOf(a) === 'int' && numberOf(a) >= 0) f.prec = numberOf(a);
        else out += '%!(BADPREC)';
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++];
    if (verb === 'v' && f.plus) {
      f.plus = false;
      f.plusV = true;
    }
    out += formatValue(arg, verb, f, 0);
  }
  if (argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${formatValue(a, 'v', noFlags(), 0)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
