/**
 * du and df. Block counts come from lib/blocks.ts (an approximation of
 * st_blocks, documented there); df's figures from ProcessFs.mountOf().
 */
import { kbBlocks } from './lib/blocks.js';
import { has, last } from './lib/getopt.js';
import { humanSize } from './lib/human.js';
import { argBytes, Out } from './lib/io.js';
import { joinPath } from './lib/paths.js';
import { errText, type Tool } from './lib/tool.js';

export async function du(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'aHkLsxd:lchmb' });
  const fs = t.ctx.fs;
  const out = new Out(t.ctx.stdout);
  const maxDepth = has(o, 's') ? 0 : last(o, 'd') !== undefined ? Number(last(o, 'd')) : Infinity;
  // The unit: -b bytes (apparent size), -m MiB, -h human, else KiB; the last one given wins.
  const unitFlag = [...o.order].reverse().find((k) => 'bkmh'.includes(k)) ?? 'k';
  const show = (kb: number, bytes: number): string => {
    if (unitFlag === 'b') return String(bytes);
    if (unitFlag === 'h') return humanSize(kb, 1024);
    if (unitFlag === 'm') return String(Math.ceil(kb / 1024));
    return String(kb);
  };
  const seen = new Set<number>();
  let status = 0;
  const walk = async (path: string, depth: number, top: boolean): Promise<{ kb: number; bytes: number }> => {
    let st;
    try {
      st = top && (has(o, 'H') || has(o, 'L')) ? fs.stat(path) : has(o, 'L') ? fs.stat(path) : fs.lstat(path);
    } catch (e) {
      await out.flush();
      await t.errPath(path, e);
      status = 1;
      return { kb: 0, bytes: 0 };
    }
    // A file with several links counts once, as busybox's inode hash does.
    if (st.type !== 'dir' && st.nlink > 1 && !has(o, 'l')) {
      if (seen.has(st.ino)) return { kb: 0, bytes: 0 };
      seen.add(st.ino);
    }
    let kb = kbBlocks(st);
    let bytes = st.size;
    if (st.type === 'dir') {
      let names: string[] = [];
      try {
        names = fs.readdir(path);
      } catch (e) {
        await out.flush();
        await t.errPath(path, e);
        status = 1;
      }
      for (const n of names) {
        const r = await walk(joinPath(path, n), depth + 1, false);
        kb += r.kb;
        bytes += r.bytes;
      }
      if (depth <= maxDepth) await out.put(`${show(kb, bytes)}\t${argBytes(path)}\n`);
    } else if (top || (has(o, 'a') && depth <= maxDepth)) {
      await out.put(`${show(kb, bytes)}\t${argBytes(path)}\n`);
    }
    return { kb, bytes };
  };
  const operands = o.args.length === 0 ? ['.'] : o.args;
  let total = { kb: 0, bytes: 0 };
  for (const p of operands) {
    const r = await walk(p, 0, true);
    total = { kb: total.kb + r.kb, bytes: total.bytes + r.bytes };
  }
  if (has(o, 'c')) await out.put(`${show(total.kb, total.bytes)}\ttotal\n`);
  await out.flush();
  return status;
}

export async function df(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'kPaTmhB:i' });
  const fs = t.ctx.fs;
  const human = has(o, 'h');
  const posix = has(o, 'P');
  const mega = has(o, 'm');
  const out = new Out(t.ctx.stdout);
  const unitHdr = human ? '     Size' : posix ? '1024-blocks' : mega ? '1M-blocks' : '1K-blocks';
  await out.put(`Filesystem           ${unitHdr.padEnd(15, ' ')}Used Available ${posix ? 'Capacity' : 'Use%'} Mounted on\n`);
  let status = 0;
  const rows: ReturnType<typeof fs.mountOf>[] = [];
  if (o.args.length === 0) {
    for (const m of fs.mounts()) {
      const info = fs.mountOf(m.target);
      // busybox leaves out filesystems with no blocks (proc, sysfs...) unless -a.
      if (info.target !== m.target) continue;
      if (!has(o, 'a') && !info.totalBytes) continue;
      rows.push(info);
    }
  } else {
    for (const p of o.args) {
      try {
        fs.stat(p);
        rows.push(fs.mountOf(p));
      } catch (e) {
        await out.flush();
        await t.err(`${p}: ${errText(e) === 'No such file or directory' ? "can't find mount point" : errText(e)}`);
        status = 1;
      }
    }
  }
  for (const r of rows) {
    const total = Math.floor((r.totalBytes ?? 0) / 1024);
    const avail = Math.floor((r.freeBytes ?? 0) / 1024);
    const used = Math.max(0, total - avail);
    const pct = used + avail === 0 ? 0 : Math.floor((used * 100 + Math.floor((used + avail) / 2)) / (used + avail));
    const dev = r.source;
    let line = dev.length > 20 && !posix ? `${dev}\n${' '.repeat(20)}` : dev.padEnd(20, ' ');
    const num = (kb: number): string => (human ? humanSize(kb, 1024) : mega ? String(Math.floor(kb / 1024)) : String(kb)).padStart(9, ' ');
    line += ` ${num(total)} ${num(used)} ${num(avail)} ${String(pct).padStart(3, ' ')}% ${r.target}\n`;
    await out.put(line);
  }
  await out.flush();
  return status;
}
