/**
 * dd: busybox's coreutils/dd.c with operands if= of= bs= ibs= obs= count=
 * skip= seek= conv=notrunc,sync,noerror status=none|noxfer. The summary is
 * the two "N+M records in/out" lines: the reference busybox is built
 * without the third (bytes, seconds, rate) line.
 */
import type { FileHandle } from '../../storage/backend.js';
import { errText, type Tool } from './lib/tool.js';

const SUFFIX: Record<string, number> = { '': 1, c: 1, w: 2, b: 512, kB: 1000, k: 1024, K: 1024, MB: 1000 ** 2, M: 1024 ** 2, GB: 1000 ** 3, G: 1024 ** 3 };

function size(text: string): number | null {
  const m = /^(\d+)(c|w|b|kB|k|K|MB|M|GB|G)?$/.exec(text);
  return m ? Number(m[1]) * SUFFIX[m[2] ?? '']! : null;
}

export async function dd(t: Tool): Promise<number> {
  const ops: Record<string, string> = {};
  for (const a of t.ctx.argv.slice(1)) {
    const eq = a.indexOf('=');
    if (eq === -1) return t.usage();
    ops[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const num = async (key: string, dflt: number): Promise<number> => {
    if (ops[key] === undefined) return dflt;
    const v = size(ops[key]!);
    if (v === null) return t.die(`invalid number '${ops[key]}'`);
    return v;
  };
  const bs = await num('bs', 0);
  const ibs = bs || (await num('ibs', 512));
  const obs = bs || (await num('obs', 512));
  const count = await num('count', Infinity);
  const skip = await num('skip', 0);
  const seek = await num('seek', 0);
  const conv = new Set((ops.conv ?? '').split(',').filter((x) => x !== ''));
  const fs = t.ctx.fs;
  let input: FileHandle | null = null;
  let output: FileHandle | null = null;
  if (ops.if !== undefined) {
    try {
      input = fs.open(ops.if, { read: true });
    } catch (e) {
      return t.die(`can't open '${ops.if}': ${errText(e)}`);
    }
  }
  if (ops.of !== undefined) {
    try {
      output = fs.open(ops.of, { write: true, create: true, truncate: !conv.has('notrunc') && seek === 0, mode: 0o644 });
      if (!conv.has('notrunc') && seek > 0) output.truncate(seek * obs);
    } catch (e) {
      input?.close();
      return t.die(`can't open '${ops.of}': ${errText(e)}`);
    }
  }
  let inPos = skip * ibs;
  let outPos = seek * obs;
  let stdinBuf = Buffer.alloc(0);
  let stdinDone = false;
  const readBlock = async (): Promise<Uint8Array> => {
    if (input) {
      const buf = new Uint8Array(ibs);
      const n = input.read(buf, 0, ibs, inPos);
      inPos += n;
      return buf.subarray(0, n);
    }
    // From stdin: one read(2) returns what the pipe has, up to ibs.
    while (stdinBuf.length === 0 && !stdinDone) {
      const c = await t.ctx.stdin.read();
      if (c === null) stdinDone = true;
      else stdinBuf = Buffer.from(c);
    }
    const piece = stdinBuf.subarray(0, ibs);
    stdinBuf = stdinBuf.subarray(piece.length);
    return piece;
  };
  if (!input && skip > 0) {
    let left = skip * ibs;
    while (left > 0) {
      const b = await readBlock();
      if (b.length === 0) break;
      left -= b.length;
    }
  }
  let fullIn = 0;
  let partIn = 0;
  let fullOut = 0;
  let partOut = 0;
  let pending = Buffer.alloc(0);
  /**
   * busybox's write_and_stats: a block counts only when all of it was
   * written; a short or failed write prints "error writing 'FILE'" and ends
   * the copy (the summary still follows, the status is 1).
   */
  const flush = async (all: boolean): Promise<boolean> => {
    while (pending.length >= obs || (all && pending.length > 0)) {
      const piece = pending.subarray(0, Math.min(obs, pending.length));
      if (output) {
        let done = 0;
        try {
          while (done < piece.length) {
            const n = output.write(piece, done, piece.length - done, outPos + done);
            if (n <= 0) break;
            done += n;
          }
        } catch (e) {
          await t.err(`error writing '${ops.of}': ${errText(e)}`);
          return false;
        }
        outPos += done;
        if (done < piece.length) {
          await t.err(`error writing '${ops.of}': No space left on device`);
          return false;
        }
      } else await t.ctx.stdout.write(piece);
      if (piece.length === obs) fullOut++;
      else partOut++;
      pending = pending.subarray(piece.length);
    }
    return true;
  };
  let status = 0;
  try {
    for (let n = 0; n < count; n++) {
      let block = await readBlock();
      if (block.length === 0) break;
      if (block.length === ibs) fullIn++;
      else {
        partIn++;
        if (conv.has('sync')) {
          const padded = new Uint8Array(ibs);
          padded.set(block);
          block = padded;
        }
      }
      pending = Buffer.concat([pending, block]);
      if (!(await flush(false))) {
        status = 1;
        break;
      }
    }
    if (status === 0 && !(await flush(true))) status = 1;
  } finally {
    input?.close();
    output?.close();
  }
  if (ops.status !== 'none') await t.ctx.stderr.write(`${fullIn}+${partIn} records in\n${fullOut}+${partOut} records out\n`);
  return status;
}
