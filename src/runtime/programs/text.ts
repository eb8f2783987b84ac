/**
 * Streaming text applets: cat, head, tail, wc, tee. Files are read through
 * handles in chunks; an error on one file is reported and the others still
 * run (status 1 at the end), as busybox does.
 */
import { has, last } from './lib/getopt.js';
import { argBytes, lines, openChunks, Out, text } from './lib/io.js';
import { errText, isFsError, type Tool } from './lib/tool.js';

/** Opens a file for an applet that says "can't open 'X': text" on failure. */
async function openOrComplain(t: Tool, path: string, style: 'cant-open' | 'path'): Promise<AsyncGenerator<Uint8Array> | null> {
  try {
    return openChunks(t.ctx.fs, t.ctx.stdin, path);
  } catch (e) {
    if (style === 'cant-open') await t.err(`can't open '${path}': ${errText(e)}`);
    else await t.errPath(path, e);
    return null;
  }
}

/** Runs `body` over a chunk stream, turning a read error (a directory) into busybox's "read error". */
async function readAll(t: Tool, chunks: AsyncGenerator<Uint8Array>, body: (c: Uint8Array) => Promise<void>, readErr: (e: unknown) => Promise<void>): Promise<boolean> {
  try {
    for await (const c of chunks) await body(c);
    return true;
  } catch (e) {
    if (!isFsError(e)) throw e;
    await readErr(e);
    return false;
  }
}

function visible(s: string, tabs: boolean, ends: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 10) {
      out += ends ? '$\n' : '\n';
      continue;
    }
    if (c === 9 && !tabs) {
      out += '\t';
      continue;
    }
    if (c >= 128) {
      out += 'M-';
      c -= 128;
    }
    if (c < 32 || c === 127) out += '^' + String.fromCharCode(c === 127 ? 63 : c + 64);
    else out += String.fromCharCode(c);
  }
  return out;
}

export async function cat(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'nbvteAu' });
  const files = o.args.length === 0 ? ['-'] : o.args;
  const number = has(o, 'n') || has(o, 'b');
  const vis = has(o, 'v') || has(o, 't') || has(o, 'e') || has(o, 'A');
  const tabs = has(o, 't') || has(o, 'A');
  const ends = has(o, 'e') || has(o, 'A');
  let status = 0;
  let lineNo = 0;
  let atLineStart = true;
  const out = new Out(t.ctx.stdout);
  for (const f of files) {
    const chunks = await openOrComplain(t, f, 'cant-open');
    if (!chunks) {
      status = 1;
      continue;
    }
    const ok = await readAll(
      t,
      chunks,
      async (c) => {
        if (!number && !vis) {
          await out.putBytes(c);
          return;
        }
        let s = text(c);
        if (number) {
          let res = '';
          for (const piece of s.split(/(?<=\n)/)) {
            if (atLineStart && !(has(o, 'b') && piece === '\n')) res += `${String(++lineNo).padStart(6, ' ')}\t`;
            res += piece;
            atLineStart = piece.endsWith('\n');
          }
          s = res;
        }
        await out.put(vis ? visible(s, tabs, ends) : s);
      },
      async () => {
        await out.flush();
        await t.err('read error: Is a directory');
      },
    );
    if (!ok) status = 1;
  }
  await out.flush();
  return status;
}

/** busybox's xatoi with the b/k/m suffixes head and tail accept. */
function count(s: string): number | null {
  const m = /^([0-9]+)(b|k|m|kB|KB|K|MB|M|KD|MD)?$/.exec(s);
  if (!m) return null;
  const mult: Record<string, number> = { b: 512, k: 1024, m: 1024 * 1024, kB: 1000, KB: 1000, K: 1024, MB: 1000 * 1000, M: 1024 * 1024, KD: 1000, MD: 1000 * 1000 };
  return Number(m[1]) * (m[2] ? mult[m[2]]! : 1);
}

/** "-5" means "-n 5" for head and tail (the obsolete form busybox still takes). */
function obsoleteCount(argv: string[]): string[] {
  const a = argv[0];
  if (a !== undefined && /^-\d+[bkm]?$/.test(a)) return ['-n', a.slice(1), ...argv.slice(1)];
  return argv;
}

export async function head(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'n:c:qv', long: { lines: { key: 'n', arg: 'required' }, bytes: { key: 'c', arg: 'required' }, quiet: { key: 'q', arg: 'none' }, silent: { key: 'q', arg: 'none' }, verbose: { key: 'v', arg: 'none' } } }, obsoleteCount(t.ctx.argv.slice(1)));
  const byBytes = o.order.filter((k) => k === 'n' || k === 'c').pop() === 'c';
  const spec = (byBytes ? last(o, 'c') : last(o, 'n')) ?? '10';
  const allBut = spec.startsWith('-');
  const n = count(allBut ? spec.slice(1) : spec.replace(/^\+/, ''));
  if (n === null) return t.die(`invalid number '${spec}'`);
  const files = o.args.length === 0 ? ['-'] : o.args;
  const headers = has(o, 'v') || (files.length > 1 && !has(o, 'q'));
  let status = 0;
  const out = new Out(t.ctx.stdout);
  for (const f of files) {
    const chunks = await openOrComplain(t, f, 'path');
    if (!chunks) {
      status = 1;
      continue;
    }
    // The blank line before a header depends on the operand's position, not on what was printed.
    if (headers) await out.put(`${f === files[0] ? '' : '\n'}==> ${f === '-' ? 'standard input' : argBytes(f)} <==\n`);
    try {
      if (!allBut) {
        let left = n;
        if (byBytes) {
          for await (const c of chunks) {
            if (left <= 0) break;
            const piece = c.subarray(0, Math.min(left, c.byteLength));
            left -= piece.byteLength;
            await out.putBytes(piece);
          }
        } else {
          for await (const l of lines(chunks)) {
            if (left-- <= 0) break;
            await out.put(l.s + (l.nl ? '\n' : ''));
          }
        }
        await chunks.return(undefined);
      } else if (byBytes) {
        // All but the last N bytes: keep N back.
        let held = Buffer.alloc(0);
        for await (const c of chunks) {
          held = Buffer.concat([held, c]);
          if (held.length > n) {
            await out.putBytes(held.subarray(0, held.length - n));
            held = held.subarray(held.length - n);
          }
        }
      } else {
        const ring: string[] = [];
        for await (const l of lines(chunks)) {
          ring.push(l.s + (l.nl ? '\n' : ''));
          if (ring.length > n) await out.put(ring.shift()!);
        }
      }
    } catch (e) {
      if (!isFsError(e)) throw e;
      await out.flush();
      await t.err(`read error: ${e.text}`);
      status = 1;
    }
  }
  await out.flush();
  return status;
}

export async function tail(t: Tool): Promise<number> {
  const argv = obsoleteCount(t.ctx.argv.slice(1));
  const o = await t.opts({ short: 'fFn:c:qvs:', long: { lines: { key: 'n', arg: 'required' }, bytes: { key: 'c', arg: 'required' } } }, argv);
  const byBytes = o.order.filter((k) => k === 'n' || k === 'c').pop() === 'c';
  const spec = (byBytes ? last(o, 'c') : last(o, 'n')) ?? '10';
  const fromStart = spec.startsWith('+');
  const n = count(spec.replace(/^[-+]/, ''));
  if (n === null) return t.die(`invalid number '${spec}'`);
  const files = o.args.length === 0 ? ['-'] : o.args;
  let status = 0;
  const opened: { f: string; chunks: AsyncGenerator<Uint8Array> }[] = [];
  for (const f of files) {
    const chunks = await openOrComplain(t, f, 'cant-open');
    if (chunks) opened.push({ f, chunks });
    else status = 1;
  }
  if (opened.length === 0) {
    await t.err('no files');
    return 1;
  }
  const headers = has(o, 'v') || (files.length > 1 && !has(o, 'q'));
  const out = new Out(t.ctx.stdout);
  let first = true;
  for (const { f, chunks } of opened) {
    if (headers) await out.put(`${first ? '' : '\n'}==> ${f === '-' ? 'standard input' : argBytes(f)} <==\n`);
    first = false;
    try {
      if (byBytes) {
        if (fromStart) {
          let skip = Math.max(0, n - 1);
          for await (const c of chunks) {
            const piece = c.subarray(Math.min(skip, c.byteLength));
            skip -= c.byteLength - piece.byteLength;
            await out.putBytes(piece);
          }
        } else {
          let held = Buffer.alloc(0);
          for await (const c of chunks) {
            held = Buffer.concat([held, c]);
            if (held.length > n) held = held.subarray(held.length - n);
          }
          await out.putBytes(held);
        }
      } else if (fromStart) {
        let lineNo = 0;
        for await (const l of lines(chunks)) if (++lineNo >= n) await out.put(l.s + (l.nl ? '\n' : ''));
      } else {
        const ring: string[] = [];
        for await (const l of lines(chunks)) {
          ring.push(l.s + (l.nl ? '\n' : ''));
          if (ring.length > n) ring.shift();
        }
        await out.put(ring.join(''));
      }
    } catch (e) {
      if (!isFsError(e)) throw e;
      await out.flush();
      await t.err(`read error: ${e.text}`);
      status = 1;
    }
  }
  await out.flush();
  return status;
}

export async function wc(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'cmlwL', long: { bytes: { key: 'c', arg: 'none' }, chars: { key: 'm', arg: 'none' }, lines: { key: 'l', arg: 'none' }, words: { key: 'w', arg: 'none' }, 'max-line-length': { key: 'L', arg: 'none' } } });
  // Column order is fixed: lines, words, chars, bytes, longest line.
  let kinds = ['l', 'w', 'm', 'c', 'L'].filter((k) => has(o, k));
  if (kinds.length === 0) kinds = ['l', 'w', 'c'];
  const files = o.args.length === 0 ? ['-'] : o.args;
  const totals: Record<string, number> = { l: 0, w: 0, m: 0, c: 0, L: 0 };
  let status = 0;
  const fmt = (counts: Record<string, number>, name: string | null): string => {
    // One count for at most one file prints unpadded.
    const single = kinds.length === 1 && files.length === 1;
    const cols = kinds.map((k, i) => (single ? String(counts[k]) : (i === 0 ? '' : ' ') + String(counts[k]).padStart(9, ' ')));
    return cols.join('') + (name === null ? '' : ` ${name}`) + '\n';
  };
  const out = new Out(t.ctx.stdout);
  for (const f of files) {
    const chunks = await openOrComplain(t, f, 'path');
    if (!chunks) {
      status = 1;
      continue;
    }
    const c = { l: 0, w: 0, m: 0, c: 0, L: 0 };
    let inWord = false;
    let lineLen = 0;
    try {
      for await (const chunk of chunks) {
        c.c += chunk.byteLength;
        for (const b of chunk) {
          // A UTF-8 continuation byte does not start a character.
          if ((b & 0xc0) !== 0x80) c.m++;
          if (b === 10) {
            c.l++;
            if (lineLen > c.L) c.L = lineLen;
            lineLen = 0;
          } else if (b === 9) lineLen = (lineLen | 7) + 1;
          else if ((b & 0xc0) !== 0x80) lineLen++;
          const space = b === 32 || (b >= 9 && b <= 13);
          if (space) inWord = false;
          else if (!inWord) {
            inWord = true;
            c.w++;
          }
        }
      }
      if (lineLen > c.L) c.L = lineLen;
    } catch (e) {
      if (!isFsError(e)) throw e;
      await out.flush();
      await t.errPath(f, e);
      status = 1;
    }
    for (const k of Object.keys(totals)) totals[k] = k === 'L' ? Math.max(totals[k]!, c[k as keyof typeof c]) : totals[k]! + c[k as keyof typeof c];
    await out.put(fmt(c, f === '-' && o.args.length === 0 ? null : argBytes(f)));
  }
  if (files.length > 1) await out.put(fmt(totals, 'total'));
  await out.flush();
  return status;
}

export async function tee(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'ai', long: { append: { key: 'a', arg: 'none' } } });
  const fs = t.ctx.fs;
  let status = 0;
  const handles = [];
  for (const f of o.args) {
    try {
      handles.push(fs.open(f, { write: true, create: true, truncate: !has(o, 'a'), append: has(o, 'a'), mode: 0o666 & ~0o022 }));
    } catch (e) {
      await t.errPath(f, e);
      status = 1;
    }
  }
  try {
    for (;;) {
      const c = await t.ctx.stdin.read();
      if (c === null) break;
      for (const h of handles) h.write(c, 0, c.byteLength);
      await t.ctx.stdout.write(c);
    }
  } finally {
    for (const h of handles) h.close();
  }
  return status;
}

