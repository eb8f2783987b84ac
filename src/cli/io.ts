/**
 * The one place output goes through. Commands and formatters return text;
 * only this sink writes to the process's streams, so tests can capture
 * everything and colour can be decided once.
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { tty } from '../state/node-builtins.js';

export interface Writer {
  write(text: string | Uint8Array): void;
  readonly isTTY: boolean;
}

export interface Io {
  out: Writer;
  err: Writer;
  in: Readable;
  stdinIsTTY: boolean;
  /** Colour only on a terminal and when NO_COLOR is unset. */
  color: boolean;
}

/** How a Go program (docker) ends when its output pipe closes: killed by SIGPIPE, which a shell reports as 128 + 13. */
const SIGPIPE_STATUS = 141;

/** Node ignores SIGPIPE, so a reader that went away (`mydock ps | head -1`) surfaces as EPIPE instead. */
function exitIfClosedPipe(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(SIGPIPE_STATUS);
}

const streamsInUse = new Set<NodeJS.WriteStream>();

function nodeStream(fd: 1 | 2): NodeJS.WriteStream {
  const s = fd === 1 ? process.stdout : process.stderr;
  if (!streamsInUse.has(s)) {
    streamsInUse.add(s);
    s.on('error', (err) => {
      exitIfClosedPipe(err);
      throw err;
    });
  }
  return s;
}

const NOT_ASCII = /[^\x00-\x7f]/;

/** UTF-8 bytes of `text`; ASCII (a listing, nearly always) is copied as Latin-1, which gives the same bytes without encoding. */
function encode(text: string): Buffer {
  return Buffer.from(text, NOT_ASCII.test(text) ? 'utf8' : 'latin1');
}

/**
 * Writes straight to the file descriptor, as docker's CLI does: building
 * process.stdout costs 1.5-3 ms of every command's start-up (it loads Node's
 * stream machinery). A descriptor that cannot take the write at once (a
 * non-blocking pipe that is full) hands this and every later write to the
 * Node stream, which queues them in order.
 */
function fdWriter(fd: 1 | 2): Writer {
  let viaStream = false;
  return {
    write(text) {
      let bytes = typeof text === 'string' ? encode(text) : text;
      while (!viaStream && bytes.length > 0) {
        try {
          bytes = bytes.subarray(fs.writeSync(fd, bytes));
        } catch (err) {
          exitIfClosedPipe(err);
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
          viaStream = true;
        }
      }
      if (bytes.length > 0) nodeStream(fd).write(bytes);
    },
    get isTTY() {
      return tty().isatty(fd);
    },
  };
}

export function processIo(): Io {
  const out = fdWriter(1);
  return {
    out,
    err: fdWriter(2),
    // process.stdin builds a stream (and loads its modules) when first read: only commands that take input pay for it.
    get in() {
      return process.stdin;
    },
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    get color() {
      return out.isTTY && !process.env.NO_COLOR;
    },
  };
}

/** Waits until everything written to stdout/stderr has been handed to the OS (before process.exit). */
export async function flushProcessStreams(): Promise<void> {
  const drain = (s: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (s.writableLength === 0) resolve();
      else s.write('', () => resolve());
    });
  await Promise.all([...streamsInUse].map(drain));
}
