/**
 * Streaming helpers. File contents are handled as "byte strings" (latin1:
 * one char per byte) so binary data survives text processing unchanged, as
 * in busybox's C locale; they are written back as bytes.
 */
import type { InputStream, OutputStream } from '../../process.js';
import type { ProcessFs } from '../../fs/process-fs.js';
import { FsError, type FileHandle } from '../../../storage/backend.js';

export const CHUNK = 64 * 1024;

/** A JS string (an argument, UTF-16) as the byte string a C program sees. */
export function argBytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

export function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

export function text(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** Reads an open handle in chunks, closing it at the end. */
export async function* handleChunks(h: FileHandle): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      const buf = new Uint8Array(CHUNK);
      const n = h.read(buf, 0, CHUNK, null);
      if (n <= 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    h.close();
  }
}

export async function* streamChunks(s: InputStream): AsyncGenerator<Uint8Array> {
  for (;;) {
    const c = await s.read();
    if (c === null) return;
    if (c.byteLength > 0) yield c;
  }
}

/**
 * Opens a file (or stdin for "-") for reading. Throws the FsError of the
 * open; a directory fails with EISDIR on the first read, as read(2) does.
 */
export function openChunks(fs: ProcessFs, stdin: InputStream, path: string): AsyncGenerator<Uint8Array> {
  if (path === '-') return streamChunks(stdin);
  const st = fs.stat(path);
  if (st.type === 'dir') return isDirChunks(path);
  return handleChunks(fs.open(path, { read: true }));
}

// eslint-disable-next-line require-yield
async function* isDirChunks(path: string): AsyncGenerator<Uint8Array> {
  throw new FsError('EISDIR', path, 'read');
}

export interface Line {
  /** The line without its newline, as a byte string. */
  s: string;
  /** Whether it ended with the separator (the last line may not). */
  nl: boolean;
}

/** Splits a chunk stream into lines (separator "\n", or "\0" for -z style input). */
export async function* lines(chunks: AsyncIterable<Uint8Array>, sep = '\n'): AsyncGenerator<Line> {
  let rest = '';
  for await (const c of chunks) {
    rest += text(c);
    let at: number;
    let from = 0;
    while ((at = rest.indexOf(sep, from)) !== -1) {
      yield { s: rest.slice(from, at), nl: true };
      from = at + 1;
    }
    rest = rest.slice(from);
  }
  if (rest !== '') yield { s: rest, nl: false };
}

/** Collects output and hands it to the stream in large writes (as stdio's buffer does). */
export class Out {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly stream: OutputStream) {}

  /** Adds a byte string. */
  async put(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async putBytes(b: Uint8Array): Promise<void> {
    await this.flush();
    await this.stream.write(b);
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.parts.length === 0) return;
    const data = bytes(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    if (data.length > 0) await this.stream.write(data);
  }
}
