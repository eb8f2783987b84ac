/**
 * Helpers every command file uses to write results: list rendering and
 * inspect rendering through the format library, with template errors turned
 * into Docker's messages, and Docker's y/N confirmation prompt.
 */
import { ClientError } from '../engine/errors.js';
import { FormatError, humanSize4, InspectFormatError, renderInspect, renderList, type RenderListOptions } from './format/index.js';
import type { Io } from './io.js';

export function writeList<Row>(io: Io, options: RenderListOptions<Row>): void {
  try {
    io.out.write(renderList(options));
  } catch (err) {
    if (err instanceof FormatError) throw new ClientError(err.message, 'FORMAT');
    throw err;
  }
}

/**
 * `inspect`-style output: the records (or `[]`), then one error line per
 * name that was not found; status 1 when any was missing. Docker prints the
 * stdout part first, which is why `inspect x` shows `[]` before the error.
 */
export function writeInspect(io: Io, format: string | undefined, records: readonly unknown[], missing: readonly string[]): number {
  let result;
  try {
    result = renderInspect(format, records);
  } catch (err) {
    if (err instanceof InspectFormatError) {
      io.err.write(`${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  io.out.write(result.stdout);
  const errors = [...result.errors, ...missing];
  if (errors.length > 0) {
    io.err.write(errors.join('\n') + '\n');
    return 1;
  }
  return 0;
}

/**
 * What every prune prints: a "Deleted <what>:" block per non-empty list (each
 * item on its line, then a blank line), then the total, in go-units'
 * HumanSize (four significant digits), as docker/cli prints it.
 */
export function pruneReport(sections: ReadonlyArray<readonly [title: string, items: readonly string[]]>, reclaimed: number): string {
  let out = '';
  for (const [title, items] of sections) if (items.length > 0) out += `${title}:\n${items.map((i) => `${i}\n`).join('')}\n`;
  return `${out}Total reclaimed space: ${humanSize4(reclaimed)}\n`;
}

/** `untagged: <ref>` / `deleted: <id>`, as image prunes list what they removed. */
export function deleteRecordLine(r: { untagged: string } | { deleted: string }): string {
  return 'untagged' in r ? `untagged: ${r.untagged}` : `deleted: ${r.deleted}`;
}

/** Docker's prompt: "<warning>\nAre you sure you want to continue? [y/N] ", true only for y/yes. */
export async function confirm(io: Io, warning: string): Promise<boolean> {
  io.out.write(`${warning}\nAre you sure you want to continue? [y/N] `);
  const line = await readLine(io);
  const answer = (line ?? '').trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}

function readLine(io: Io): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | null) => {
      io.in.off('data', onData);
      io.in.off('end', onEnd);
      io.in.off('error', onEnd);
      io.in.pause();
      resolve(v);
    };
    const onData = (chunk: Buffer | string) => {
      buf += chunk.toString();
      const nl = buf.indexOf('\n');
      if (nl !== -1) done(buf.slice(0, nl));
    };
    const onEnd = () => done(buf === '' ? null : buf);
    io.in.on('data', onData);
    io.in.on('end', onEnd);
    io.in.on('error', onEnd);
    io.in.resume();
  });
}
