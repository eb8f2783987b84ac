/**
 * tar-split, as Docker keeps it in `tar-split.json.gz`: the bytes of a layer
 * tar that are not file contents (headers, padding, the end marker and
 * anything after it) are stored verbatim, file contents only by name, size
 * and CRC-64. Joined with the files in the layer, they give back the very tar
 * that was registered, so its sha256 stays the DiffID.
 *
 * The format is the one of vbatts/tar-split that Docker writes: one JSON
 * object per line, `{"type":2,"payload":<base64>,"position":n}` for raw
 * segments and `{"type":1,"name":...,"size":n,"payload":<base64 crc64>,
 * "position":n}` for file bodies (size and payload left out / null for
 * entries without a body), gzip-compressed.
 */
import { zlib } from '../../state/node-builtins.js';
import { StorageError } from '../errors.js';
import { Crc64 } from './crc64.js';
import type { TarEntry, TarVisitor } from './reader.js';

interface SegmentLine {
  type: 2;
  payload: string;
  position: number;
}
interface FileLine {
  type: 1;
  name: string;
  size?: number;
  payload: string | null;
  position: number;
}
type Line = SegmentLine | FileLine;

export class TarSplitRecorder implements TarVisitor {
  private readonly lines: Line[] = [];
  private pending: Buffer[] = [];
  private crc: Crc64 | null = null;
  private file: FileLine | null = null;

  private flushSegment(): void {
    const payload = Buffer.concat(this.pending);
    this.pending = [];
    this.lines.push({ type: 2, payload: payload.toString('base64'), position: this.lines.length });
  }

  entry(entry: TarEntry, raw: Buffer): void {
    this.pending.push(raw);
    this.flushSegment();
    this.file = { type: 1, name: entry.name, payload: null, position: this.lines.length };
    if (entry.size > 0) this.file.size = entry.size;
    this.lines.push(this.file);
    this.crc = entry.size > 0 ? new Crc64() : null;
  }

  data(chunk: Buffer): void {
    this.crc?.update(chunk);
  }

  endEntry(padding: Buffer): void {
    if (this.file && this.crc) this.file.payload = this.crc.digest().toString('base64');
    this.file = null;
    this.crc = null;
    if (padding.length) this.pending.push(padding);
  }

  trailer(raw: Buffer): void {
    this.pending.push(raw);
    this.flushSegment();
  }

  /** The gzip-compressed JSON lines. */
  finish(): Buffer {
    const text = this.lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    return zlib().gzipSync(Buffer.from(text));
  }
}

/**
 * Reassembles the tar. `body(name, size)` yields a file body from the layer;
 * each body is checked against its recorded CRC-64.
 */
export function* assembleTar(tarSplitGz: Buffer, body: (name: string, size: number) => Iterable<Buffer>): Generator<Buffer> {
  const text = zlib().gunzipSync(tarSplitGz).toString('utf8');
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const line = JSON.parse(raw) as Line;
    if (line.type === 2) {
      if (line.payload) yield Buffer.from(line.payload, 'base64');
      continue;
    }
    const size = line.size ?? 0;
    if (size === 0) continue;
    const crc = new Crc64();
    let got = 0;
    for (const chunk of body(line.name, size)) {
      crc.update(chunk);
      got += chunk.length;
      yield chunk;
    }
    if (got !== size || line.payload === null || crc.digest().toString('base64') !== line.payload) {
      throw new StorageError('CORRUPT', `layer file ${JSON.stringify(line.name)} does not match its recorded checksum`, { name: line.name });
    }
  }
}
