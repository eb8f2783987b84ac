/**
 * Small applets: echo, true, false, yes, seq, sleep, basename, dirname,
 * kill, which.
 */
import { unescape } from './lib/escapes.js';
import { has, last } from './lib/getopt.js';
import { argBytes, bytes } from './lib/io.js';
import type { Tool } from './lib/tool.js';

export async function echo(t: Tool): Promise<number> {
  const args = t.ctx.argv.slice(1).map(argBytes);
  let newline = true;
  let escapes = false;
  // Options only while every letter is one of n, e, E; the first other word starts the text.
  while (args.length > 0 && /^-[neE]+$/.test(args[0]!)) {
    for (const c of args.shift()!.slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
  }
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += ' ';
    if (escapes) {
      const u = unescape(args[i]!, 'echo');
      out += u.text;
      if (u.stop) {
        await t.out(bytes(out));
        return 0;
      }
    } else out += args[i];
  }
  if (newline) out += '\n';
  await t.out(bytes(out));
  return 0;
}

export async function trueApplet(): Promise<number> {
  return 0;
}

export async function falseApplet(): Promise<number> {
  return 1;
}

export async function yes(t: Tool): Promise<number> {
  const words = t.ctx.argv.slice(1);
  const line = (words.length === 0 ? 'y' : words.join(' ')) + '\n';
  // Big writes: yes runs until its reader goes away (Killed('PIPE') propagates).
  const block = line.repeat(Math.max(1, Math.floor(8192 / line.length)));
  for (;;) await t.out(block);
}

/** Number of digits after the point, for seq's output precision. */
function decimals(s: string): number {
  const dot = s.indexOf('.');
  if (dot === -1) return 0;
  const e = s.search(/[eE]/);
  return (e === -1 ? s.length : e) - dot - 1;
}

export async function seq(t: Tool): Promise<number> {
  const o = await t.opts({ short: '+ws:' }, t.ctx.argv.slice(1).map((a) => (/^-[0-9.]/.test(a) ? `\0${a}` : a)));
  // Negative numbers are operands, not options (busybox checks for a digit).
  const args = o.args.map((a) => (a.startsWith('\0') ? a.slice(1) : a));
  if (args.length < 1 || args.length > 3) return t.usage();
  const nums = args.map((a) => Number(a));
  if (nums.some((n, i) => Number.isNaN(n) || args[i]!.trim() === '')) return t.usage();
  const first = args.length >= 2 ? nums[0]! : 1;
  const inc = args.length === 3 ? nums[1]! : 1;
  const lastN = nums[nums.length - 1]!;
  const prec = Math.max(...args.slice(0, args.length === 3 ? 2 : args.length - 1).map(decimals), 0);
  const sep = last(o, 's') ?? '\n';
  let width = 0;
  if (has(o, 'w')) width = Math.max(first.toFixed(prec).length, lastN.toFixed(prec).length);
  const parts: string[] = [];
  let n = 0;
  let flushed = false;
  for (let v = first; inc > 0 ? v <= lastN : inc < 0 ? v >= lastN : false; v = first + ++n * inc) {
    let s = v.toFixed(prec);
    if (width) s = s.startsWith('-') ? '-' + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0');
    parts.push(s);
    if (parts.length >= 4096) {
      await t.out((flushed ? sep : '') + parts.join(sep));
      flushed = true;
      parts.length = 0;
    }
    if (inc === 0) break;
  }
  if (parts.length > 0) await t.out((flushed ? sep : '') + parts.join(sep));
  if (flushed || parts.length > 0) await t.out('\n');
  return 0;
}

const SLEEP_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export async function sleep(t: Tool): Promise<number> {
  const args = t.ctx.argv.slice(1);
  if (args[0] === '--') args.shift();
  if (args.length === 0) return t.usage();
  let ms = 0;
  for (const a of args) {
    const m = /^(\d*\.?\d*(?:[eE][-+]?\d+)?)([smhd]?)$/.exec(a);
    if (!m || m[1] === '' || m[1] === '.') {
      await t.err(`invalid number '${a}'`);
      return 1;
    }
    ms += Number(m[1]) * SLEEP_UNITS[m[2]!]!;
  }
  await t.ctx.clock.sleep(Math.round(ms), t.ctx.signals);
  return 0;
}

/** POSIX basename, then strips the suffix unless the name is the suffix. */
export function baseName(path: string): string {
  if (path === '') return '';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path.startsWith('/') ? '/' : '.';
  const at = trimmed.lastIndexOf('/');
  if (at === -1) return '.';
  const dir = trimmed.slice(0, at).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}

export async function basename(t: Tool): Promise<number> {
  const o = await t.opts({ short: '+as:' });
  const suffix = last(o, 's');
  const all = has(o, 'a') || suffix !== undefined;
  if (o.args.length === 0 || (!all && o.args.length > 2)) return t.usage();
  const names = all ? o.args : [o.args[0]!];
  const sfx = all ? suffix : o.args[1];
  let out = '';
  for (const n of names) {
    let b = baseName(n);
    if (sfx && b !== sfx && b.endsWith(sfx)) b = b.slice(0, -sfx.length);
    out += b + '\n';
  }
  await t.out(out);
  return 0;
}

export async function dirname(t: Tool): Promise<number> {
  const o = await t.opts({ short: '' });
  if (o.args.length !== 1) return t.usage();
  await t.out(dirName(o.args[0]!) + '\n');
  return 0;
}

/** The names `kill -l` lists, in signal-number order (Linux x86). */
const SIGNAL_LIST = [
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT',
  'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS',
];

function signalNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s) <= 64 ? Number(s) : null;
  const name = s.toUpperCase().replace(/^SIG/, '');
  const at = SIGNAL_LIST.indexOf(name);
  if (at !== -1) return at + 1;
  return name === 'IO' ? 29 : name === 'IOT' ? 6 : name === 'CLD' ? 17 : null;
}

export async function kill(t: Tool): Promise<number> {
  const args = t.ctx.argv.slice(1);
  if (args[0] === '-l') {
    if (args.length === 1) {
      await t.out(SIGNAL_LIST.map((n, i) => `${String(i + 1).padStart(2, ' ')}) ${n}\n`).join(''));
      return 0;
    }
    let out = '';
    for (const a of args.slice(1)) {
      const n = signalNumber(a);
      if (n === null) return t.die(`unknown signal '${a}'`);
      out += /^\d+$/.test(a) ? `${SIGNAL_LIST[n - 1] ?? n}\n` : `${n}\n`;
    }
    await t.out(out);
    return 0;
  }
  // The signal is checked as busybox checks it, though no other process is reachable.
  if (args[0] === '-s' || args[0] === '-n') {
    if (args.length < 2) return t.usage();
    if (signalNumber(args[1]!) === null) return t.die(`bad signal name '${args[1]}'`);
    args.splice(0, 2);
  } else if (args[0] !== undefined && args[0].length > 1 && args[0].startsWith('-') && args[0] !== '--') {
    if (signalNumber(args[0].slice(1)) === null) return t.die(`bad signal name '${args[0].slice(1)}'`);
    args.shift();
  }
  if (args[0] === '--') args.shift();
  if (args.length === 0) return t.die('you need to specify whom to kill');
  let errors = 0;
  for (const a of args) {
    if (!/^-?\d+$/.test(a)) return t.die(`invalid number '${a}'`);
    // Other processes are not visible to an emulated program (see the module note).
    await t.err(`can't kill pid ${a}: No such process`);
    errors++;
  }
  return errors;
}

export async function which(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'a' });
  if (o.args.length === 0) return t.usage();
  const path = t.ctx.env.PATH ?? '/sbin:/usr/sbin:/bin:/usr/bin';
  let status = 0;
  let out = '';
  for (const name of o.args) {
    let found = false;
    const candidates = name.includes('/') ? [name] : path.split(':').map((d) => `${d === '' ? '.' : d}/${name}`);
    for (const c of candidates) {
      const st = t.ctx.fs.tryStat(c);
      if (st && st.type === 'file' && t.ctx.fs.access(c, 'x')) {
        out += c + '\n';
        found = true;
        if (!has(o, 'a')) break;
      }
    }
    if (!found) status = 1;
  }
  await t.out(out);
  return status;
}
