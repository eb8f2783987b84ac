/**
 * xargs: busybox's findutils/xargs.c. Arguments come from stdin split on
 * blanks with quotes and backslashes (or NUL with -0, or whole lines with
 * -I); commands run through ctx.spawn. Status 123 when a command failed,
 * 124 for 255, 125 when killed, 126/127 when it cannot run.
 */
import { findInPath } from './lib/exec.js';
import { has, last } from './lib/getopt.js';
import { argBytes, streamChunks, text } from './lib/io.js';
import type { Tool } from './lib/tool.js';

function splitWords(input: string): string[] | { error: string } {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\n') return { error: `unmatched ${quote === '"' ? 'double' : 'single'} quote` };
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < input.length) {
      cur += input[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return { error: `unmatched ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) out.push(cur);
  return out;
}

export async function xargs(t: Tool): Promise<number> {
  const o = await t.opts({ short: '+e::E:tn:s:I:i::0rpxP:', long: { null: { key: '0', arg: 'none' }, 'no-run-if-empty': { key: 'r', arg: 'none' } } });
  const cmd = o.args.length > 0 ? o.args : ['echo'];
  let input = '';
  for await (const c of streamChunks(t.ctx.stdin)) input += text(c);
  const replace = last(o, 'I');
  let items: string[];
  if (has(o, '0')) items = input.split('\0').filter((s, i, a) => i < a.length - 1 || s !== '');
  else if (replace !== undefined) items = input.split('\n').map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '');
  else {
    const w = splitWords(input);
    if (!Array.isArray(w)) return t.die(w.error);
    items = w;
  }
  const eof = last(o, 'E');
  if (eof !== undefined && !has(o, '0')) {
    const at = items.indexOf(eof);
    if (at !== -1) items = items.slice(0, at);
  }
  const perRun = replace !== undefined ? 1 : last(o, 'n') !== undefined ? Math.max(1, Number(last(o, 'n'))) : Infinity;
  const runs: string[][] = [];
  if (items.length === 0) {
    if (!has(o, 'r')) runs.push([...cmd]);
  } else {
    for (let i = 0; i < items.length; i += perRun === Infinity ? items.length : perRun) {
      const batch = items.slice(i, perRun === Infinity ? undefined : i + perRun).map((s) => Buffer.from(s, 'latin1').toString('utf8'));
      runs.push(replace !== undefined ? cmd.map((w) => w.split(replace).join(batch[0]!)) : [...cmd, ...batch]);
    }
  }
  let status = 0;
  for (const argv of runs) {
    if (findInPath(t.ctx.fs, argv[0]!, t.ctx.env.PATH) === null) {
      await t.err(`${argv[0]}: No such file or directory`);
      return 127;
    }
    if (has(o, 't')) await t.ctx.stderr.write(argBytes(argv.join(' ')) + '\n');
    const r = await t.ctx.spawn(argv);
    if (r === 255) {
      await t.err(`${argv[0]}: exited with status 255; aborting`);
      return 124;
    }
    if (r >= 128 && r < 255) return 125;
    if (r === 126 || r === 127) return r;
    if (r !== 0) status = 123;
  }
  return status;
}
