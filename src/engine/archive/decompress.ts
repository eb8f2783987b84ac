/**
 * moby's archive.DecompressStream: a stream is sniffed by its first bytes and
 * inflated when it is gzip; anything else passes through unchanged (a tar,
 * or garbage the tar reader will refuse). Docker also reads bzip2, xz and
 * zstd; Node has no decoder for those, so they are refused with a clear
 * message rather than fed to the tar reader as noise.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { unsupportedCompression } from './errors.js';

const GZIP = [0x1f, 0x8b, 0x08];
const OTHERS: readonly { name: string; magic: readonly number[] }[] = [
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68] },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
];

function startsWith(buf: Buffer, magic: readonly number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

export function isGzip(head: Buffer): boolean {
  return startsWith(head, GZIP);
}

/** Reads up to `n` bytes from the front of `source`, then gives back a stream of the whole. */
async function peek(source: AsyncIterable<Buffer | Uint8Array | string>, n: number): Promise<{ head: Buffer; whole: Readable }> {
  const it = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const c = typeof r.value === 'string' ? Buffer.from(r.value) : Buffer.from(r.value);
    first.push(c);
    have += c.length;
  }
  const head = Buffer.concat(first);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : Buffer.from(r.value);
    }
  }
  return { head, whole: Readable.from(rest(), { objectMode: false }) };
}

/** The uncompressed stream of `source` (gzip inflated, a plain stream as is). */
export async function decompressStream(source: AsyncIterable<Buffer | Uint8Array | string>): Promise<Readable> {
  const { head, whole } = await peek(source, 10);
  // pipeline, not pipe: a corrupt gzip stream must fail the reader, not hang it.
  if (isGzip(head)) return pipeline(whole, createGunzip(), () => {});
  for (const o of OTHERS) if (startsWith(head, o.magic)) throw unsupportedCompression(o.name);
  return whole;
}
