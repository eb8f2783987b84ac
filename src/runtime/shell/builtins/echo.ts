/**
 * echo and printf, as busybox implements them (ash runs its applets' code
 * as builtins): echo takes -n/-e/-E and interprets escapes only with -e;
 * printf reuses its format until the arguments are used up.
 */
import type { Interpreter } from '../interpreter.js';
import type { BuiltinIO, BuiltinTable } from './index.js';

/** Backslash escapes of `echo -e` and printf's %b; returns the text and whether \c stopped output. */
export function echoEscapes(s: string, printfStyle = false): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i] ?? '';
    switch (n) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'c': return { text: out, stop: true };
      case 'e': out += '\x1b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += '\\x';
        break;
      }
      case '0': {
        const m = /^[0-7]{1,3}/.exec(s.slice(i + 1));
        out += String.fromCharCode(m ? parseInt(m[0], 8) & 255 : 0);
        if (m) i += m[0].length;
        break;
      }
      default:
        if (printfStyle && /[1-7]/.test(n)) {
          const m = /^[0-7]{1,3}/.exec(s.slice(i)) ?? ['0'];
          out += String.fromCharCode(parseInt(m[0], 8) & 255);
          i += m[0].length - 1;
        } else out += '\\' + n;
    }
  }
  return { text: out, stop: false };
}

async function echo(_sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  let newline = true;
  let escapes = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = argv.slice(i).join(' ');
  if (escapes) {
    const r = echoEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  await io.stdout.write(newline ? text + '\n' : text);
  return 0;
}

/** Parses a printf numeric argument as busybox does (leading quote = character code). */
function numberArg(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  if (arg.startsWith("'") || arg.startsWith('"')) return arg.length > 1 ? (arg.codePointAt(1) ?? 0) : 0;
  const t = arg.trim();
  let v: number;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t, 16);
  else if (/^[+-]?0[0-7]+$/.test(t)) v = parseInt(t, 8);
  else if (/^[+-]?[0-9]+$/.test(t)) v = parseInt(t, 10);
  else {
    errors.push(`invalid number '${arg}'`);
    const m = /^[+-]?[0-9]+/.exec(t);
    return m ? parseInt(m[0], 10) : 0;
  }
  return v;
}

function floatArg(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  const v = Number(arg.trim());
  if (Number.isNaN(v)) {
    errors.push(`invalid number '${arg}'`);
    return 0;
  }
  return v;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const sign = /^[+\- ]/.test(s) ? (s[0] ?? '') : '';
    return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(width - s.length) + s;
}

function formatFloat(v: number, conv: string, precision: number | null): string {
  const p = precision ?? 6;
  switch (conv) {
    case 'f':
    case 'F':
      return v.toFixed(p);
    case 'e':
    case 'E': {
      const s = v.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
      return conv === 'E' ? s.toUpperCase() : s;
    }
    default: {
      // %g: shortest of %e/%f with `p` significant digits, trailing zeros removed.
      const P = p === 0 ? 1 : p;
      if (v === 0) return '0';
      const exp = Math.floor(Math.log10(Math.abs(v)));
      let s: string;
      if (exp < -4 || exp >= P) s = v.toExponential(P - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
      else s = v.toFixed(Math.max(0, P - 1 - exp)).replace(/\.0+$|(\.\d*?)0+$/, '$1');
      return conv === 'G' ? s.toUpperCase() : s;
    }
  }
}

/** Formats one pass of `format`; returns the output, how many args it used, and whether \c stopped it. */
function formatOnce(format: string, args: string[], errors: string[]): { out: string; used: number; stop: boolean; sawConversion: boolean } {
  let out = '';
  let used = 0;
  let sawConversion = false;
  const next = (): string | undefined => (used < args.length ? args[used++] : (used++, undefined));
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '\\') {
      const m = /^\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/s.exec(format.slice(i)) ?? ['\\'];
      const r = echoEscapes(m[0], true);
      out += r.text;
      if (r.stop) return { out, used, stop: true, sawConversion };
      i += m[0].length - 1;
      continue;
    }
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([a-zA-Z%])/.exec(format.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const conv = m[4] ?? '';
    if (conv === '%') {
      out += '%';
      continue;
    }
    sawConversion = true;
    const flags = m[1] ?? '';
    let width = 0;
    if (m[2] === '*') width = numberArg(next(), errors);
    else if (m[2]) width = Number(m[2]);
    let precision: number | null = null;
    if (m[3] === '*') precision = numberArg(next(), errors);
    else if (m[3] !== undefined) precision = m[3] === '' ? 0 : Number(m[3]);
    const left = flags.includes('-') || width < 0;
    width = Math.abs(width);
    const zero = flags.includes('0') && !left;
    let s: string;
    switch (conv) {
      case 's': {
        s = next() ?? '';
        if (precision !== null) s = s.slice(0, precision);
        out += pad(s, width, left, false);
        break;
      }
      case 'b': {
        const r = echoEscapes(next() ?? '', true);
        out += pad(r.text, width, left, false);
        if (r.stop) return { out, used, stop: true, sawConversion };
        break;
      }
      case 'c':
        out += pad((next() ?? '').slice(0, 1), width, left, false);
        break;
      case 'd':
      case 'i': {
        const v = numberArg(next(), errors);
        s = Math.trunc(v).toString();
        if (precision !== null) s = (v < 0 ? '-' : '') + s.replace('-', '').padStart(precision, '0');
        if (v >= 0 && flags.includes('+')) s = '+' + s;
        else if (v >= 0 && flags.includes(' ')) s = ' ' + s;
        out += pad(s, width, left, zero && precision === null);
        break;
      }
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        let v = BigInt(Math.trunc(numberArg(next(), errors)));
        if (v < 0n) v = BigInt.asUintN(64, v);
        s = v.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
        if (conv === 'X') s = s.toUpperCase();
        if (precision !== null) s = s.padStart(precision, '0');
        if (flags.includes('#') && v !== 0n) s = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + s;
        out += pad(s, width, left, zero && precision === null);
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        const v = floatArg(next(), errors);
        s = formatFloat(v, conv, precision);
        if (v >= 0 && flags.includes('+')) s = '+' + s;
        out += pad(s, width, left, zero);
        break;
      }
      default:
        errors.push(`%${conv}: invalid format`);
        return { out, used, stop: true, sawConversion };
    }
  }
  return { out, used, stop: false, sawConversion };
}

async function printf(_sh: Interpreter, argv: string[], io: BuiltinIO): Promise<number> {
  let args = argv.slice(1);
  if (args[0] === '--') args = args.slice(1);
  const format = args[0];
  if (format === undefined) {
    await io.stderr.write('printf: usage: printf FORMAT [ARGUMENT...]\n');
    return 2;
  }
  args = args.slice(1);
  const errors: string[] = [];
  let out = '';
  for (;;) {
    const r = formatOnce(format, args, errors);
    out += r.out;
    if (r.stop || !r.sawConversion || r.used >= args.length) break;
    args = args.slice(r.used);
  }
  await io.stdout.write(out);
  for (const e of errors) await io.stderr.write(`sh: ${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

export const ECHO_BUILTINS: BuiltinTable = { echo, printf };
