/**
 * Input and output streams of emulated processes: pipes, in-memory data,
 * files, terminals nobody types on, and adapters to Node streams.
 *
 * Every input stream keeps one look-ahead buffer behind `read`, `readLine`
 * and `readAll`, so consumers that share a stream (a `while read` loop and
 * the commands in its body) see each byte exactly once, in order.
 */
import type { Readable, Writable } from 'node:stream';
import type { FileHandle } from '../storage/backend.js';
import { Killed, type InputStream, type OutputStream } from './process.js';
import { ProcessSignals, raceTermination } from './signals.js';

const EMPTY = new Uint8Array(0);

export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Shared line and whole-content logic; subclasses supply raw chunks. */
export abstract class BufferedInput implements InputStream {
  private pending: Uint8Array = EMPTY;
  private ended = false;
  abstract readonly isTTY: boolean;

  /** The next raw chunk from the source, or null at its end. */
  protected abstract readChunk(): Promise<Uint8Array | null>;

  async read(): Promise<Uint8Array | null> {
    if (this.pending.length > 0) {
      const chunk = this.pending;
      this.pending = EMPTY;
      return chunk;
    }
    if (this.ended) return null;
    const chunk = await this.readChunk();
    if (chunk === null) this.ended = true;
    return chunk;
  }

  async readAll(): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const chunk = await this.read();
      if (chunk === null) break;
      parts.push(chunk);
    }
    return Buffer.concat(parts);
  }

  async readLine(): Promise<string | null> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const chunk = await this.read();
      if (chunk === null) {
        if (parts.length === 0) return null;
        return Buffer.concat(parts).toString('utf8');
      }
      const nl = chunk.indexOf(0x0a);
      if (nl === -1) {
        parts.push(chunk);
        continue;
      }
      parts.push(chunk.subarray(0, nl));
      if (nl + 1 < chunk.length) this.unread(chunk.subarray(nl + 1));
      return Buffer.concat(parts).toString('utf8');
    }
  }

  /** Puts bytes back in front of the stream (what a reader took but did not use). */
  unread(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([bytes, this.pending]);
  }
}

/** Fixed content: a string or bytes (`docker run -i` fed from a file, here-documents, tests). */
export class BufferInput extends BufferedInput {
  private data: Uint8Array | null;
  constructor(
    data: string | Uint8Array,
    readonly isTTY = false,
  ) {
    super();
    this.data = toBytes(data);
  }
  protected async readChunk(): Promise<Uint8Array | null> {
    const data = this.data;
    this.data = null;
    return data && data.length > 0 ? data : null;
  }
}

/** No input at all (`docker run` without -i: stdin is /dev/null). */
export class EmptyInput extends BufferedInput {
  readonly isTTY = false;
  protected async readChunk(): Promise<Uint8Array | null> {
    return null;
  }
}

/**
 * A terminal nobody types on (`docker run -t` detached): reads block until a
 * terminating signal arrives, then reject with `Killed`.
 */
export class IdleInput extends BufferedInput {
  constructor(
    private readonly signals: ProcessSignals,
    readonly isTTY = true,
  ) {
    super();
  }
  protected readChunk(): Promise<Uint8Array | null> {
    return raceTermination(new Promise<Uint8Array | null>(() => {}), this.signals);
  }
}

/**
 * Where file reads land before being copied out at their real length: one
 * buffer for every FileInput (reads are synchronous, so never shared by two
 * at once), instead of a zero-filled 64 KiB per read that a short file's
 * few bytes would then keep alive.
 */
let scratch: Buffer | null = null;

/** Reads an open file from its current offset; closing is the opener's job. */
export class FileInput extends BufferedInput {
  readonly isTTY = false;
  constructor(
    private readonly handle: FileHandle,
    private readonly chunkSize = 65536,
  ) {
    super();
  }
  protected async readChunk(): Promise<Uint8Array | null> {
    if (scratch === null || scratch.length < this.chunkSize) scratch = Buffer.allocUnsafe(Math.max(this.chunkSize, 65536));
    const n = this.handle.read(scratch, 0, this.chunkSize, null);
    return n === 0 ? null : Buffer.from(scratch.subarray(0, n));
  }
}

/** Adapts a Node readable (the CLI's process.stdin). */
export class NodeInput extends BufferedInput {
  private readonly queue: Uint8Array[] = [];
  private done = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    stream: Readable,
    readonly isTTY = false,
  ) {
    super();
    stream.on('data', (chunk: Buffer | string) => {
      this.queue.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      this.notify();
    });
    stream.on('end', () => {
      this.done = true;
      this.notify();
    });
    stream.on('error', (err: Error) => {
      this.error = err;
      this.notify();
    });
  }
  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
  protected async readChunk(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk) return chunk;
      if (this.error) throw this.error;
      if (this.done) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

/** Gathers everything written (command substitution, `docker logs`, tests). */
export class CollectorOutput implements OutputStream {
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  constructor(readonly isTTY = false) {}
  async write(data: string | Uint8Array): Promise<void> {
    const chunk = toBytes(data);
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }
  get length(): number {
    return this.bytes;
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
  text(): string {
    return this.buffer().toString('utf8');
  }
}

/** Discards everything (/dev/null, detached containers with no log). */
export class NullOutput implements OutputStream {
  readonly isTTY = false;
  async write(): Promise<void> {}
}

/** Writes to an open file at its current offset (or at its end when opened for append). */
export class FileOutput implements OutputStream {
  readonly isTTY = false;
  constructor(private readonly handle: FileHandle) {}
  async write(data: string | Uint8Array): Promise<void> {
    const bytes = toBytes(data);
    let done = 0;
    while (done < bytes.length) {
      const n = this.handle.write(bytes, done, bytes.length - done, null);
      if (n <= 0) break;
      done += n;
    }
  }
}

/** Adapts a Node writable (process.stdout); a closed reader (EPIPE) becomes `Killed('PIPE')`. */
export class NodeOutput implements OutputStream {
  private broken = false;
  constructor(
    private readonly stream: Writable,
    readonly isTTY = false,
  ) {
    stream.on('error', () => {
      this.broken = true;
    });
  }
  write(data: string | Uint8Array): Promise<void> {
    if (this.broken) return Promise.reject(new Killed('PIPE'));
    return new Promise<void>((resolve, reject) => {
      this.stream.write(data, (err) => {
        if (err) {
          this.broken = true;
          reject(new Killed('PIPE'));
        } else resolve();
      });
    });
  }
}

/** Calls a function per write (a log driver, a multiplexer with a prefix). */
export class CallbackOutput implements OutputStream {
  constructor(
    private readonly onData: (chunk: Uint8Array) => void | Promise<void>,
    readonly isTTY = false,
  ) {}
  async write(data: string | Uint8Array): Promise<void> {
    await this.onData(toBytes(data));
  }
}

// ---- pipes ------------------------------------------------------------------

/** The kernel's default pipe capacity. */
export const PIPE_CAPACITY = 65536;

class PipeState {
  readonly chunks: Uint8Array[] = [];
  buffered = 0;
  writerClosed = false;
  readerClosed = false;
  /** Resolvers of a reader waiting for data and of writers waiting for room. */
  readerWake: (() => void) | null = null;
  readonly writerWakes: (() => void)[] = [];

  wakeReader(): void {
    const wake = this.readerWake;
    this.readerWake = null;
    wake?.();
  }
  wakeWriters(): void {
    for (const wake of this.writerWakes.splice(0)) wake();
  }
}

export class PipeReader extends BufferedInput {
  readonly isTTY = false;
  constructor(private readonly state: PipeState) {
    super();
  }
  protected async readChunk(): Promise<Uint8Array | null> {
    const s = this.state;
    for (;;) {
      if (s.readerClosed) return null;
      const chunk = s.chunks.shift();
      if (chunk) {
        s.buffered -= chunk.length;
        s.wakeWriters();
        return chunk;
      }
      if (s.writerClosed) return null;
      await new Promise<void>((resolve) => {
        s.readerWake = resolve;
      });
    }
  }
  /** The reading process is gone: pending and later writes fail with SIGPIPE. */
  close(): void {
    const s = this.state;
    s.readerClosed = true;
    s.chunks.length = 0;
    s.buffered = 0;
    s.wakeWriters();
    s.wakeReader();
  }
}

export class PipeWriter implements OutputStream {
  readonly isTTY = false;
  constructor(
    private readonly state: PipeState,
    private readonly capacity: number,
  ) {}
  async write(data: string | Uint8Array): Promise<void> {
    const s = this.state;
    if (s.readerClosed) throw new Killed('PIPE');
    const bytes = toBytes(data);
    if (bytes.length === 0) return;
    // Copy: the caller may reuse its buffer once write resolves.
    s.chunks.push(Uint8Array.from(bytes));
    s.buffered += bytes.length;
    s.wakeReader();
    while (s.buffered > this.capacity) {
      if (s.readerClosed) throw new Killed('PIPE');
      await new Promise<void>((resolve) => {
        s.writerWakes.push(resolve);
      });
    }
    if (s.readerClosed) throw new Killed('PIPE');
  }
  /** The last writer is done: the reader sees end of input after the buffered data. */
  close(): void {
    this.state.writerClosed = true;
    this.state.wakeReader();
  }
}

export interface Pipe {
  reader: PipeReader;
  writer: PipeWriter;
}

/** A bounded pipe: the writer waits while `capacity` bytes are unread. */
export function createPipe(capacity = PIPE_CAPACITY): Pipe {
  const state = new PipeState();
  return { reader: new PipeReader(state), writer: new PipeWriter(state, capacity) };
}
