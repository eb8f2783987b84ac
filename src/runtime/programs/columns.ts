/**
 * Line-oriented filters: sort, uniq, tr, cut. Byte strings throughout (the
 * C locale busybox runs in: strcmp order, ASCII classes).
 */
import { has, last } from './lib/getopt.js';
import { argBytes, bytes, lines, openChunks, Out } from './lib/io.js';
import { errText, isFsError, type Tool } from './lib/tool.js';

/** Reads every line of the operands (stdin for none or "-"); reports unreadable files. */
async function readLines(t: Tool, files: string[], sep = '\n'): Promise<{ lines: string[]; ok: boolean }> {
  const out: string[] = [];
  let ok = true;
  for (const f of files.length === 0 ? ['-'] : files) {
    try {
      for await (const l of lines(openChunks(t.ctx.fs, t.ctx.stdin, f), sep)) out.push(l.s);
    } catch (e) {
      if (!isFsError(e)) throw e;
      await t.errPath(f, e);
      ok = false;
    }
  }
  return { lines: out, ok };
}

interface Key {
  startField: number;
  startChar: number;
  endField: number;
  endChar: number;
  flags: string;
}

function parseKey(spec: string): Key | null {
  const m = /^(\d+)(?:\.(\d+))?([bdfinrgMV]*)(?:,(\d+)(?:\.(\d+))?([bdfinrgMV]*))?$/.exec(spec);
  if (!m) return null;
  return { startField: Number(m[1]), startChar: Number(m[2] ?? 1), endField: m[4] ? Number(m[4]) : 0, endChar: Number(m[5] ?? 0), flags: (m[3] ?? '') + (m[6] ?? '') };
}

/** Splits into fields: on each separator, or (no -t) at blank runs that keep their leading blanks. */
function fieldStarts(line: string, sep: string | undefined): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (sep !== undefined) {
    let at = 0;
    for (;;) {
      const n = line.indexOf(sep, at);
      out.push({ start: at, end: n === -1 ? line.length : n });
      if (n === -1) break;
      at = n + 1;
    }
    return out;
  }
  const re = /[ \t]*[^ \t]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

function keyText(line: string, k: Key, sep: string | undefined, globalB: boolean): string {
  const fields = fieldStarts(line, sep);
  const sf = fields[k.startField - 1];
  if (!sf) return '';
  let from = sf.start;
  if (k.flags.includes('b') || globalB) while (from < sf.end && (line[from] === ' ' || line[from] === '\t')) from++;
  from += k.startChar - 1;
  let to = line.length;
  if (k.endField > 0) {
    const ef = fields[k.endField - 1];
    if (ef) to = k.endChar > 0 ? Math.min(ef.start + k.endChar, ef.end) : ef.end;
  }
  return line.slice(Math.min(from, line.length), Math.max(from, to));
}

/** sort -h (a GNU option later busybox releases have): 2K < 1M < 1G. */
function humanNumeric(s: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+))([KMGTPE]?)/i.exec(s);
  if (!m) return 0;
  const exp = m[2] ? 'KMGTPE'.indexOf(m[2].toUpperCase()) + 1 : 0;
  return Number(m[1]) * 1024 ** exp;
}

function numeric(s: string): number {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)/.exec(s);
  return m ? Number(m[0]) : 0;
}

export async function sort(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'nrugMcszbdfiok:t:o:VS:T:h' });
  const sep = last(o, 't');
  if (sep !== undefined && sep.length !== 1) return t.die('bad field specification');
  const keys: Key[] = [];
  for (const k of o.values.get('k') ?? []) {
    const key = parseKey(k);
    if (!key) return t.die(`bad field specification '${k}'`);
    keys.push(key);
  }
  const global = ['n', 'g', 'h', 'f', 'r', 'b', 'd', 'i', 'M', 'V'].filter((f) => has(o, f)).join('');
  const { lines: input, ok } = await readLines(t, o.args, has(o, 'z') ? '\0' : '\n');
  const cmpText = (a: string, b: string, flags: string): number => {
    let d: number;
    if (flags.includes('h')) d = humanNumeric(a) - humanNumeric(b);
    else if (flags.includes('n') || flags.includes('g')) d = numeric(a) - numeric(b);
    else {
      let x = a;
      let y = b;
      if (flags.includes('f')) {
        x = x.toUpperCase();
        y = y.toUpperCase();
      }
      if (flags.includes('d')) {
        x = x.replace(/[^ \tA-Za-z0-9]/g, '');
        y = y.replace(/[^ \tA-Za-z0-9]/g, '');
      }
      d = x < y ? -1 : x > y ? 1 : 0;
    }
    return flags.includes('r') ? -d : d;
  };
  const byKeys = (a: string, b: string): number => {
    if (keys.length === 0) return cmpText(a, b, global);
    for (const k of keys) {
      const flags = k.flags.replace(/[b]/g, '') === '' ? global : k.flags;
      const d = cmpText(keyText(a, k, sep, global.includes('b')), keyText(b, k, sep, global.includes('b')), flags);
      if (d !== 0) return d;
    }
    return 0;
  };
  // Equal keys fall back to the whole line (bytewise) unless -s or -u.
  const full = (a: string, b: string): number => {
    const d = byKeys(a, b);
    if (d !== 0 || has(o, 's') || has(o, 'u')) return d;
    const r = a < b ? -1 : a > b ? 1 : 0;
    return global.includes('r') ? -r : r;
  };
  if (has(o, 'c')) {
    for (let i = 1; i < input.length; i++) {
      if (full(input[i - 1]!, input[i]!) > 0 || (has(o, 'u') && byKeys(input[i - 1]!, input[i]!) === 0)) {
        // busybox's own wording, without the applet prefix.
        await t.ctx.stderr.write(`Check line ${i}\n`);
        return 1;
      }
    }
    return 0;
  }
  const sorted = input.map((l, i) => ({ l, i })).sort((a, b) => full(a.l, b.l) || a.i - b.i).map((x) => x.l);
  const result = has(o, 'u') ? sorted.filter((l, i) => i === 0 || byKeys(sorted[i - 1]!, l) !== 0) : sorted;
  const end = has(o, 'z') ? '\0' : '\n';
  const text = result.map((l) => l + end).join('');
  const outFile = last(o, 'o');
  if (outFile !== undefined) {
    try {
      t.ctx.fs.writeFile(outFile, bytes(text));
    } catch (e) {
      return t.die(`can't open '${outFile}': ${errText(e)}`);
    }
  } else {
    const out = new Out(t.ctx.stdout);
    await out.put(text);
    await out.flush();
  }
  return ok ? 0 : 2;
}

export async function uniq(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'cduif:s:w:z' });
  if (o.args.length > 2) return t.usage();
  const skipFields = Number(last(o, 'f') ?? 0);
  const skipChars = Number(last(o, 's') ?? 0);
  const width = last(o, 'w') !== undefined ? Number(last(o, 'w')) : Infinity;
  const keyOf = (l: string): string => {
    let s = l;
    for (let i = 0; i < skipFields; i++) s = s.replace(/^[ \t]*[^ \t]*/, '');
    s = s.slice(skipChars).slice(0, width === Infinity ? undefined : width);
    return has(o, 'i') ? s.toLowerCase() : s;
  };
  const input = o.args[0] ?? '-';
  let chunks;
  try {
    chunks = openChunks(t.ctx.fs, t.ctx.stdin, input);
  } catch (e) {
    return t.die(`can't open '${input}': ${errText(e)}`);
  }
  const outPath = o.args[1];
  const collected: string[] = [];
  const out = new Out(t.ctx.stdout);
  const emit = async (line: string, n: number): Promise<void> => {
    if (has(o, 'd') && n < 2) return;
    if (has(o, 'u') && n > 1) return;
    const text = (has(o, 'c') ? `${String(n).padStart(7, ' ')} ` : '') + line + '\n';
    if (outPath !== undefined) collected.push(text);
    else await out.put(text);
  };
  let prev: string | null = null;
  let count = 0;
  for await (const l of lines(chunks)) {
    if (prev !== null && keyOf(prev) === keyOf(l.s)) {
      count++;
      continue;
    }
    if (prev !== null) await emit(prev, count);
    prev = l.s;
    count = 1;
  }
  if (prev !== null) await emit(prev, count);
  await out.flush();
  if (outPath !== undefined) t.ctx.fs.writeFile(outPath, bytes(collected.join('')));
  return 0;
}

const TR_CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => TR_CLASSES.alpha!(c) || TR_CLASSES.digit!(c),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) => c > 32 && c < 127 && !TR_CLASSES.alnum!(c),
  print: (c) => c >= 32 && c < 127,
  graph: (c) => c > 32 && c < 127,
  cntrl: (c) => c < 32 || c === 127,
  xdigit: (c) => TR_CLASSES.digit!(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

/** Expands a tr set: ranges, [:class:], [=c=], [c*n], escapes. Returns byte values in order. */
function expandSet(spec: string): number[] {
  const out: number[] = [];
  const chars: number[] = [];
  // First resolve escapes into raw bytes, keeping structure characters recognisable.
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === '\\' && i + 1 < spec.length) {
      const n = spec[i + 1]!;
      const oct = /^[0-7]{1,3}/.exec(spec.slice(i + 1));
      if (oct) {
        chars.push(parseInt(oct[0], 8) & 0xff);
        i += oct[0].length;
        continue;
      }
      const map: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92 };
      chars.push(map[n] ?? n.charCodeAt(0));
      i++;
      continue;
    }
    if (c === '[') {
      const cls = /^\[:([a-z]+):\]/.exec(spec.slice(i));
      if (cls && TR_CLASSES[cls[1]!]) {
        for (let b = 0; b < 256; b++) if (TR_CLASSES[cls[1]!]!(b)) chars.push(-1 - b);
        i += cls[0].length - 1;
        continue;
      }
      const eq = /^\[=(.)=\]/.exec(spec.slice(i));
      if (eq) {
        chars.push(eq[1]!.charCodeAt(0));
        i += eq[0].length - 1;
        continue;
      }
      const rep = /^\[(.)\*(\d*)\]/.exec(spec.slice(i));
      if (rep) {
        const n = rep[2] === '' ? 1 : Number(rep[2]);
        for (let k = 0; k < n; k++) chars.push(rep[1]!.charCodeAt(0));
        i += rep[0].length - 1;
        continue;
      }
    }
    chars.push(c.charCodeAt(0));
  }
  // Then ranges "a-z" between two plain bytes (class members are stored negative).
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c >= 0 && chars[i + 1] === 45 && i + 2 < chars.length && chars[i + 2]! >= 0) {
      const hi = chars[i + 2]!;
      for (let b = c; b <= hi; b++) out.push(b);
      i += 2;
      continue;
    }
    out.push(c < 0 ? -1 - c : c);
  }
  return out;
}

export async function tr(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'cdsC' });
  const complement = has(o, 'c') || has(o, 'C');
  const del = has(o, 'd');
  const squeeze = has(o, 's');
  if (o.args.length === 0 || (!del && !squeeze && o.args.length < 2) || o.args.length > 2) return t.usage();
  let set1 = expandSet(argBytes(o.args[0]!));
  const set2 = o.args[1] !== undefined ? expandSet(argBytes(o.args[1])) : [];
  if (complement) {
    const inSet = new Set(set1);
    set1 = [];
    for (let b = 0; b < 256; b++) if (!inSet.has(b)) set1.push(b);
  }
  const map = new Int16Array(256).map((_, i) => i);
  const deleteSet = new Set<number>();
  if (del) for (const b of set1) deleteSet.add(b);
  else if (set2.length > 0) {
    for (let i = 0; i < set1.length; i++) map[set1[i]!] = set2[Math.min(i, set2.length - 1)]!;
  }
  const squeezeSet = new Set<number>(del || set2.length > 0 ? set2 : set1);
  let lastOut = -1;
  for (;;) {
    const c = await t.ctx.stdin.read();
    if (c === null) break;
    const out: number[] = [];
    for (const b of c) {
      if (deleteSet.has(b)) continue;
      const m = map[b]!;
      if (squeeze && squeezeSet.has(m) && m === lastOut) continue;
      out.push(m);
      lastOut = m;
    }
    await t.out(Uint8Array.from(out));
  }
  return 0;
}

/** "1,3-5,7-" -> predicate on 1-based positions. */
function parseList(spec: string): ((n: number) => boolean) | null {
  const parts = spec.split(/[, ]/);
  const ranges: [number, number][] = [];
  for (const p of parts) {
    const m = /^(\d*)(-?)(\d*)$/.exec(p);
    if (!m || (m[1] === '' && m[3] === '') || p === '') return null;
    const lo = m[1] === '' ? 1 : Number(m[1]);
    const hi = m[2] === '' ? lo : m[3] === '' ? Infinity : Number(m[3]);
    if (lo === 0) return null;
    ranges.push([lo, hi]);
  }
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

export async function cut(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'b:c:f:d:snO:', long: { 'output-delimiter': { key: 'O', arg: 'required' } } });
  const listSpec = last(o, 'b') ?? last(o, 'c') ?? last(o, 'f');
  if (listSpec === undefined) return t.die('expected a list of bytes, characters, or fields');
  const pick = parseList(listSpec);
  if (!pick) return t.die(`invalid byte, character or field list`);
  const fields = has(o, 'f');
  const delim = argBytes(last(o, 'd') ?? '\t');
  const outDelim = last(o, 'O') !== undefined ? argBytes(last(o, 'O')!) : delim;
  const out = new Out(t.ctx.stdout);
  let status = 0;
  for (const f of o.args.length === 0 ? ['-'] : o.args) {
    let chunks;
    try {
      chunks = openChunks(t.ctx.fs, t.ctx.stdin, f);
    } catch (e) {
      await out.flush();
      await t.errPath(f, e);
      status = 1;
      continue;
    }
    for await (const l of lines(chunks)) {
      if (!fields) {
        let s = '';
        for (let i = 0; i < l.s.length; i++) if (pick(i + 1)) s += l.s[i];
        await out.put(s + '\n');
        continue;
      }
      if (!l.s.includes(delim)) {
        if (!has(o, 's')) await out.put(l.s + '\n');
        continue;
      }
      const parts = l.s.split(delim);
      await out.put(parts.filter((_, i) => pick(i + 1)).join(outDelim) + '\n');
    }
  }
  await out.flush();
  return status;
}
