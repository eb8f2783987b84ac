/**
 * gzip, gunzip, zcat through node:zlib, streamed chunk by chunk. As in
 * busybox: "gzip F" writes F.gz and removes F (keeping its mode and times),
 * "gunzip F.gz" the reverse; -c writes to stdout; no operand means stdin.
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { has } from './lib/getopt.js';
import { handleChunks, streamChunks } from './lib/io.js';
import { errText, type Tool } from './lib/tool.js';

async function* through(input: AsyncIterable<Uint8Array>, transform: zlib.Gzip | zlib.Gunzip): AsyncGenerator<Uint8Array> {
  const source = Readable.from(input);
  source.pipe(transform);
  source.on('error', (e) => transform.destroy(e));
  for await (const chunk of transform) yield chunk as Buffer;
}

async function run(t: Tool, decompress: boolean, toStdout: boolean, o: { keep: boolean; level: number | null }): Promise<number> {
  const fs = t.ctx.fs;
  const files = t.ctx.argv.slice(1).filter((a) => !a.startsWith('-') || a === '-');
  const make = (): zlib.Gzip | zlib.Gunzip => (decompress ? zlib.createGunzip() : zlib.createGzip(o.level === null ? {} : { level: o.level }));
  let status = 0;
  const pump = async (input: AsyncIterable<Uint8Array>, write: (c: Uint8Array) => Promise<void>): Promise<boolean> => {
    try {
      for await (const c of through(input, make())) await write(c);
      return true;
    } catch (e) {
      if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('Z_')) {
        await t.err(e.code === 'Z_DATA_ERROR' && /header/.test(e.message) ? 'no gzip/bzip2/xz magic' : 'corrupted data');
        return false;
      }
      throw e;
    }
  };
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
    if (!decompress && !toStdout && t.ctx.stdout.isTTY && !has0(t)) {
      await t.err('compressed data not written to a terminal. Use -f to force compression.');
      return 1;
    }
    return (await pump(streamChunks(t.ctx.stdin), (c) => t.ctx.stdout.write(c))) ? 0 : 1;
  }
  for (const f of files) {
    let st;
    let handle;
    try {
      st = fs.stat(f);
      handle = fs.open(f, { read: true });
    } catch (e) {
      await t.errPath(f, e);
      status = 1;
      continue;
    }
    if (toStdout) {
      if (!(await pump(handleChunks(handle), (c) => t.ctx.stdout.write(c)))) status = 1;
      continue;
    }
    let dest: string;
    if (decompress) {
      const m = /^(.*)(\.gz|\.tgz|\.taz)$/.exec(f);
      if (!m) {
        handle.close();
        await t.err(`${f}: unknown suffix - ignored`);
        status = 1;
        continue;
      }
      dest = m[2] === '.gz' ? m[1]! : `${m[1]}.tar`;
    } else dest = `${f}.gz`;
    let out;
    try {
      out = fs.open(dest, { write: true, create: true, truncate: true, mode: st.mode & 0o7777 });
    } catch (e) {
      handle.close();
      await t.err(`can't open '${dest}': ${errText(e)}`);
      status = 1;
      continue;
    }
    let ok: boolean;
    try {
      ok = await pump(handleChunks(handle), async (c) => {
        out.write(c, 0, c.byteLength);
      });
    } finally {
      out.close();
    }
    if (!ok) {
      fs.unlink(dest);
      status = 1;
      continue;
    }
    fs.chmod(dest, st.mode & 0o7777);
    fs.utimes(dest, st.atimeMs, st.mtimeMs);
    if (!o.keep) fs.unlink(f);
  }
  return status;
}

/** -f forces writing compressed data to a terminal. */
function has0(t: Tool): boolean {
  return t.ctx.argv.slice(1).some((a) => /^-[a-z0-9]*f/.test(a));
}

export async function gzip(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'cfkdtnqv123456789', long: { stdout: { key: 'c', arg: 'none' }, decompress: { key: 'd', arg: 'none' }, keep: { key: 'k', arg: 'none' }, force: { key: 'f', arg: 'none' } } });
  const levelKey = [...o.order].reverse().find((k) => /^[1-9]$/.test(k));
  return run(t, has(o, 'd'), has(o, 'c'), { keep: has(o, 'k'), level: levelKey ? Number(levelKey) : null });
}

export async function gunzip(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'cfktnqv', long: { stdout: { key: 'c', arg: 'none' }, keep: { key: 'k', arg: 'none' }, force: { key: 'f', arg: 'none' } } });
  return run(t, true, has(o, 'c'), { keep: has(o, 'k'), level: null });
}

export async function zcat(t: Tool): Promise<number> {
  await t.opts({ short: 'fnqv' });
  return run(t, true, true, { keep: true, level: null });
}

/** mount with no arguments lists the container's mounts as /proc/mounts shows them; mounting is not permitted. */
export async function mount(t: Tool): Promise<number> {
  const o = await t.opts({ short: 'o:t:rwanfvi' });
  // A container lacks CAP_SYS_ADMIN: mount(2) fails as it does under Docker.
  if (o.args.length > 0) return t.die(`mounting ${o.args.length > 1 ? o.args[0] : 'none'} on ${o.args[o.args.length - 1]} failed: Permission denied`, 255);
  let out = '';
  for (const m of t.ctx.fs.mounts()) {
    const type = m.kind === 'bind' || m.kind === 'volume' ? 'ext4' : m.kind;
    out += `${m.source} on ${m.target} type ${type} (${m.readOnly ? 'ro' : 'rw'},relatime)\n`;
  }
  await t.out(out);
  return 0;
}
