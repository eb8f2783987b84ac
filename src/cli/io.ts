/**
 * The one place output goes through. Commands and formatters return text;
 * only this sink writes to the process's streams, so tests can capture
 * everything and colour can be decided once.
 */
import type { Readable } from 'node:stream';

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

function exitOnClosedPipe(s: NodeJS.WriteStream): void {
  s.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    // Node ignores SIGPIPE, so a reader that went away (`mydock ps | head -1`) surfaces as this error instead.
    process.exit(SIGPIPE_STATUS);
  });
}

export function processIo(): Io {
  exitOnClosedPipe(process.stdout);
  exitOnClosedPipe(process.stderr);
  const wrap = (s: NodeJS.WriteStream): Writer => ({
    write: (t) => {
      s.write(t);
    },
    isTTY: Boolean(s.isTTY),
  });
  return {
    out: wrap(process.stdout),
    err: wrap(process.stderr),
    // process.stdin builds a stream (and loads its modules) when first read: only commands that take input pay for it.
    get in() {
      return process.stdin;
    },
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** Waits until everything written to stdout/stderr has been handed to the OS (before process.exit). */
export async function flushProcessStreams(): Promise<void> {
  const drain = (s: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (s.writableLength === 0) resolve();
      else s.write('', () => resolve());
    });
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
}
