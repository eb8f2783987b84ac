/**
 * printf: busybox's printf.c. The format is reused while arguments remain;
 * a bad number prints "invalid number" and makes the status 1 but printing
 * goes on with 0; an unknown conversion ends everything with status 1.
 */
import { unescape } from './lib/escapes.js';
import { argBytes, bytes } from './lib/io.js';
import type { Tool } from './lib/tool.js';

interface State {
  args: string[];
  next: number;
  status: number;
  errors: string[];
}

function takeArg(st: State): string | undefined {
  return st.next < st.args.length ? st.args[st.next++] : undefined;
}

/** strtoll/strtoull with busybox's checks; 'A gives the character code. */
function toInt(arg: string | undefined, st: State): bigint {
  // A missing argument is an empty one, which busybox reports as an invalid number.
  const s = arg ?? '';
  if (s[0] === '"' || s[0] === "'") return BigInt(s.length > 1 ? s.charCodeAt(1) : 0);
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m || m[0].length !== s.length) {
    st.errors.push(`invalid number '${s}'`);
    st.status = 1;
    if (!m) return 0n;
  }
  const body = m[2]!;
  let v = body.startsWith('0x') || body.startsWith('0X') ? BigInt(body) : body.length > 1 && body[0] === '0' ? BigInt('0o' + body.slice(1)) : BigInt(body);
  if (m[1] === '-') v = -v;
  return v;
}

function toFloat(s: string | undefined, st: State): number {
  if (s === undefined || s === '') return 0;
  if (s[0] === '"' || s[0] === "'") return s.length > 1 ? s.charCodeAt(1) : 0;
  const v = Number(s.trim());
  if (s.trim() === '' || Number.isNaN(v)) {
    st.errors.push(`invalid number '${s}'`);
    st.status = 1;
    const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(s);
    return m ? Number(m[0]) : 0;
  }
  return v;
}

function pad(s: string, flags: string, width: number | null): string {
  if (width === null || s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width, ' ');
  if (flags.includes('0') && /^[-+ ]?[0-9a-fA-Fx.]/.test(s) && !/[a-zA-Z]{3}/.test(s)) {
    const sign = /^[-+ ]/.test(s) ? s[0]! : '';
    const prefix = /^[-+ ]?0[xX]/.test(s) ? s.slice(sign.length, sign.length + 2) : '';
    const body = s.slice(sign.length + prefix.length);
    return sign + prefix + body.padStart(width - sign.length - prefix.length, '0');
  }
  return s.padStart(width, ' ');
}

function formatInt(v: bigint, conv: string, flags: string, prec: number | null): string {
  let neg = false;
  if (conv === 'd' || conv === 'i') {
    neg = v < 0n;
    if (neg) v = -v;
  } else if (v < 0n) {
    v = (1n << 64n) + v;
  }
  let digits = conv === 'o' ? v.toString(8) : conv === 'x' ? v.toString(16) : conv === 'X' ? v.toString(16).toUpperCase() : v.toString(10);
  if (prec !== null) digits = prec === 0 && v === 0n ? '' : digits.padStart(prec, '0');
  if (flags.includes('#') && v !== 0n) {
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if (conv === 'x') digits = '0x' + digits;
    if (conv === 'X') digits = '0X' + digits;
  }
  const sign = neg ? '-' : flags.includes('+') && (conv === 'd' || conv === 'i') ? '+' : flags.includes(' ') && (conv === 'd' || conv === 'i') ? ' ' : '';
  return sign + digits;
}

function formatFloat(v: number, conv: string, flags: string, prec: number | null): string {
  const p = prec ?? 6;
  let s: string;
  if (!Number.isFinite(v)) s = Number.isNaN(v) ? 'nan' : v < 0 ? '-inf' : 'inf';
  else if (conv === 'f' || conv === 'F') s = v.toFixed(p);
  else if (conv === 'e' || conv === 'E') s = cExp(v.toExponential(p));
  else {
    // %g: the shorter of %e and %f at P significant digits, trailing zeros dropped.
    const P = p === 0 ? 1 : p;
    const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(v.toPrecision(P)))));
    if (exp < -4 || exp >= P) s = cExp(v.toExponential(P - 1));
    else s = v.toFixed(Math.max(0, P - 1 - exp));
    if (!flags.includes('#')) s = s.replace(/\.?0+(e|$)/, '$1').replace(/\.(e|$)/, '$1');
  }
  if (conv === 'E' || conv === 'G') s = s.toUpperCase();
  if (v >= 0 && flags.includes('+')) s = '+' + s;
  else if (v >= 0 && flags.includes(' ')) s = ' ' + s;
  return s;
}

/** JS writes "1.5e+0"; C writes "1.5e+00". */
function cExp(s: string): string {
  return s.replace(/e([-+])(\d)$/, 'e$10$2');
}

/** Runs the format once; returns false when printing must stop (\c or a bad conversion). */
function runFormat(fmt: string, st: State, out: string[]): 'go' | 'stop' | 'bad' {
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '\\') {
      const m = /^\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/s.exec(fmt.slice(i));
      const piece = m ? m[0] : '\\';
      if (piece === '\\c') return 'stop';
      out.push(unescape(piece, 'format').text);
      i += piece.length - 1;
      continue;
    }
    if (c !== '%') {
      out.push(c);
      continue;
    }
    const start = i;
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|L|j|z|t)?(.?)/s.exec(fmt.slice(i))!;
    i += m[0].length - 1;
    const flags = m[1]!;
    let width: number | null = null;
    let prec: number | null = null;
    let leftAlign = flags;
    if (m[2] === '*') {
      const w = Number(toInt(takeArg(st), st));
      if (w < 0) leftAlign += '-';
      width = Math.abs(w);
    } else if (m[2] !== undefined) width = Number(m[2]);
    if (m[3] === '*') prec = Number(toInt(takeArg(st), st));
    else if (m[3] !== undefined) prec = m[3] === '' ? 0 : Number(m[3]);
    const conv = m[5]!;
    switch (conv) {
      case '%':
        out.push('%');
        break;
      case 's': {
        let s = takeArg(st) ?? '';
        if (prec !== null) s = s.slice(0, prec);
        out.push(pad(s, leftAlign.replace('0', ''), width));
        break;
      }
      case 'b': {
        const u = unescape(takeArg(st) ?? '', 'percent-b');
        let s = u.text;
        if (prec !== null) s = s.slice(0, prec);
        out.push(pad(s, leftAlign.replace('0', ''), width));
        if (u.stop) return 'stop';
        break;
      }
      case 'c':
        // A missing argument prints its NUL terminator, as C's printf("%c", *"") does.
        out.push(pad((takeArg(st) ?? '\0').slice(0, 1) || '\0', leftAlign.replace('0', ''), width));
        break;
      case 'd': case 'i': case 'o': case 'u': case 'x': case 'X': {
        const s = formatInt(toInt(takeArg(st), st), conv, flags, prec);
        out.push(pad(s, prec !== null ? leftAlign.replace('0', '') : leftAlign, width));
        break;
      }
      case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        out.push(pad(formatFloat(toFloat(takeArg(st), st), conv === 'a' ? 'e' : conv === 'A' ? 'E' : conv, flags, prec), leftAlign, width));
        break;
      default:
        // busybox names the rest of the format from the bad directive on.
        st.errors.push(`${fmt.slice(start)}: invalid format`);
        return 'bad';
    }
  }
  return 'go';
}

export async function printf(t: Tool): Promise<number> {
  const argv = t.ctx.argv.slice(1).map(argBytes);
  if (argv[0] === '--') argv.shift();
  if (argv.length === 0) return t.usage();
  const fmt = argv[0]!;
  const st: State = { args: argv.slice(1), next: 0, status: 0, errors: [] };
  const out: string[] = [];
  for (;;) {
    const before = st.next;
    const r = runFormat(fmt, st, out);
    if (r === 'bad') st.status = 1;
    if (r !== 'go' || st.next >= st.args.length || st.next === before) break;
  }
  // stdio buffers stdout to a pipe or file until exit, so the messages come first.
  for (const e of st.errors) await t.ctx.stderr.write(bytes(`printf: ${e}\n`));
  await t.out(bytes(out.join('')));
  return st.status;
}
