/**
 * The json-file log driver: one JSON object per line,
 * `{"log":"hello\n","stream":"stdout","time":"2026-…Z"}`, split at newlines
 * as Docker's log copier splits them (a trailing partial line is its own entry).
 */
import fs from 'node:fs';
import type { OutputStream } from '../../runtime/process.js';

export interface LogEntry {
  log: string;
  stream: 'stdout' | 'stderr';
  time: string;
}

/** RFC 3339 as Go marshals a time: trailing zeros of the fraction dropped. */
export function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const f = frac.replace(/0+$/, '');
    return f === '' ? 'Z' : `.${f}Z`;
  });
}

function isoNow(): string {
  return goTime(Date.now());
}

/** Appends entries for one stream; writes are synchronous so that the order between stdout and stderr is kept. */
export class JsonLogOutput implements OutputStream {
  private partial = '';
  constructor(
    private readonly file: string,
    private readonly stream: 'stdout' | 'stderr',
    readonly isTTY = false,
  ) {}

  async write(data: string | Uint8Array): Promise<void> {
    const text = this.partial + (typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (lines.length === 0) return;
    const time = isoNow();
    const out = lines.map((l) => JSON.stringify({ log: l + '\n', stream: this.stream, time }) + '\n').join('');
    this.append(out);
  }

  /** A container removed meanwhile (`--rm`, `rm -f`) has no log any more: its output goes nowhere, as with Docker. */
  private append(text: string): void {
    try {
      fs.appendFileSync(this.file, text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Writes what is left without a newline (the program ended). */
  flush(): void {
    if (this.partial === '') return;
    this.append(JSON.stringify({ log: this.partial, stream: this.stream, time: isoNow() }) + '\n');
    this.partial = '';
  }
}

export function readLog(file: string): LogEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as LogEntry);
    } catch {
      // A line cut by a crash mid-write: Docker's reader skips it too.
    }
  }
  return out;
}
