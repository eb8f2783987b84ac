/**
 * A context given as a tar on stdin (`docker build - < ctx.tar`), plain or
 * gzip-compressed. The CLI sends the stream unchanged, so the size it
 * reports is the size of the bytes read.
 */
import { gunzipSync } from 'node:zlib';
import { parseTar } from '../../../storage/tar/reader.js';
import { BuildContext, type ContextEntry } from './context.js';
import { cleanPath } from './ignore.js';

export function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** ustar magic at offset 257 ("ustar\0" or GNU's "ustar  "). */
export function looksLikeTar(data: Buffer): boolean {
  return data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar';
}

async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

export async function readTarEntries(data: Buffer): Promise<ContextEntry[]> {
  const out: ContextEntry[] = [];
  let current: ContextEntry | null = null;
  let chunks: Buffer[] = [];
  await parseTar(once(data), {
    entry(e) {
      const name = cleanPath(e.name.replace(/^\/+/, ''));
      current = null;
      chunks = [];
      if (name === '.' || name.startsWith('..')) return;
      const base = { path: name, mode: e.mode & 0o7777, mtimeMs: e.mtimeMs, linkname: e.linkname, size: 0, uid: e.uid, gid: e.gid };
      if (e.typeflag === '5') current = { ...base, type: 'dir' };
      else if (e.typeflag === '2') current = { ...base, type: 'symlink' };
      else if (e.typeflag === '0' || e.typeflag === '\0' || e.typeflag === '7') current = { ...base, type: 'file', size: e.size };
      else if (e.typeflag === '1') current = { ...base, type: 'file', linkname: e.linkname };
    },
    data(chunk) {
      chunks.push(chunk);
    },
    endEntry() {
      if (current) {
        const entry: ContextEntry = current;
        if (entry.type === 'file' && entry.linkname !== '') {
          // A hard link: the same content as its target, read when the target was.
          const target = out.find((o) => o.path === cleanPath(entry.linkname));
          entry.data = target?.data ?? Buffer.alloc(0);
          entry.size = entry.data.length;
          entry.linkname = '';
        } else if (entry.type === 'file') entry.data = Buffer.concat(chunks);
        out.push(entry);
      }
      current = null;
    },
    trailer() {},
  });
  return out;
}

export async function contextFromTar(raw: Buffer): Promise<BuildContext> {
  const data = isGzip(raw) ? gunzipSync(raw) : raw;
  const ctx = new BuildContext();
  for (const e of await readTarEntries(data)) ctx.add(e);
  ctx.tarSize = raw.length;
  return ctx;
}
