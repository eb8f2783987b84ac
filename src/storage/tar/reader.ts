/**
 * A streaming tar reader that keeps every byte: each entry comes with the raw
 * bytes of its header blocks (extension headers included) and of its padding,
 * and whatever follows the end-of-archive marker is handed over as the
 * trailer. tar-split needs exactly that to give back the very tar it was fed.
 * Reads USTAR, PAX (local and global records) and GNU (long names and links,
 * base-256 numbers) archives, as Go's archive/tar does.
 */
import { StorageError } from '../errors.js';
import { BLOCK, padding } from './header.js';

export interface TarEntry {
  /** The name as recorded (PAX `path` or GNU long name if present). */
  name: string;
  typeflag: string;
  /** Mode field as recorded: permission bits and maybe file type bits. */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of body that follow the header (0 for links, directories, devices). */
  size: number;
  mtimeMs: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** PAX records that applied to this entry (xattrs and the like). */
  pax: Record<string, string>;
}

export interface TarVisitor {
  /** An entry begins: its header bytes (possibly several blocks). */
  entry(entry: TarEntry, rawHeader: Buffer): void;
  /** A piece of the current entry's body. */
  data(chunk: Buffer): void;
  /** The current entry's body is complete; `rawPadding` are the zero bytes after it. */
  endEntry(rawPadding: Buffer): void;
  /** Everything from the end-of-archive marker to the end of the stream. */
  trailer(raw: Buffer): void;
}

function parseString(b: Buffer, off: number, size: number): string {
  const field = b.subarray(off, off + size);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? size : nul).toString('utf8');
}

function parseNumeric(b: Buffer, off: number, size: number): number {
  const field = b.subarray(off, off + size);
  if (field[0]! & 0x80) {
    // GNU base-256: big-endian two's complement with the top bit as marker.
    let v = 0n;
    const neg = (field[0]! & 0x40) !== 0;
    for (let i = 0; i < field.length; i++) {
      let c = field[i]!;
      if (i === 0) c &= 0x7f;
      if (neg) c ^= 0xff;
      v = (v << 8n) | BigInt(c);
    }
    return neg ? -Number(v) - 1 : Number(v);
  }
  const s = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new StorageError('INVALID_TAR', `invalid tar header: bad number ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

function checksumOk(b: Buffer): boolean {
  const recorded = parseNumeric(b, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return recorded === unsigned || recorded === signed;
}

const PAX_NO_NUL = new Set(['path', 'linkpath', 'uname', 'gname']);

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = parseInt(data.subarray(pos, sp).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) {
      throw new StorageError('INVALID_TAR', 'invalid tar header: bad PAX record');
    }
    const rec = data.subarray(sp + 1, pos + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) {
      const key = rec.slice(0, eq);
      const value = rec.slice(eq + 1);
      // Go's validPAXRecord: a NUL byte in a path-like value (or in any key)
      // makes the whole header invalid.
      if (PAX_NO_NUL.has(key) ? value.includes('\0') : key.includes('\0')) {
        throw new StorageError('INVALID_TAR', 'archive/tar: invalid tar header');
      }
      out[key] = value;
    }
    pos += len;
  }
  return out;
}

const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

type State =
  | { kind: 'header' }
  | { kind: 'ext'; typeflag: string; need: number; total: number }
  | { kind: 'body'; left: number; pad: number }
  | { kind: 'pad'; left: number }
  | { kind: 'trailer' };

export class TarParser {
  private pending: Buffer = Buffer.alloc(0);
  private state: State = { kind: 'header' };
  private raw: Buffer[] = [];
  private local: Record<string, string> = {};
  private global: Record<string, string> = {};
  private longName: string | null = null;
  private longLink: string | null = null;
  private trailerParts: Buffer[] = [];
  private entries = 0;

  constructor(private readonly visitor: TarVisitor) {}

  write(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const s = this.state;
      if (s.kind === 'trailer') {
        if (this.pending.length) this.trailerParts.push(this.pending);
        this.pending = Buffer.alloc(0);
        return;
      }
      if (s.kind === 'body') {
        if (s.left > 0) {
          if (!this.pending.length) return;
          const n = Math.min(s.left, this.pending.length);
          this.visitor.data(this.pending.subarray(0, n));
          this.pending = this.pending.subarray(n);
          s.left -= n;
          if (s.left > 0) return;
        }
        this.state = { kind: 'pad', left: s.pad };
        continue;
      }
      if (s.kind === 'pad') {
        if (this.pending.length < s.left) return;
        const pad = this.pending.subarray(0, s.left);
        this.pending = this.pending.subarray(s.left);
        this.visitor.endEntry(Buffer.from(pad));
        this.state = { kind: 'header' };
        continue;
      }
      if (s.kind === 'ext') {
        if (this.pending.length < s.total) return;
        const blob = Buffer.from(this.pending.subarray(0, s.total));
        this.pending = this.pending.subarray(s.total);
        this.raw.push(blob);
        const data = blob.subarray(0, s.need);
        if (s.typeflag === 'x') Object.assign(this.local, parsePax(data));
        else if (s.typeflag === 'g') Object.assign(this.global, parsePax(data));
        else if (s.typeflag === 'L') this.longName = parseString(data, 0, data.length);
        else this.longLink = parseString(data, 0, data.length);
        this.state = { kind: 'header' };
        continue;
      }
      if (this.pending.length < BLOCK) return;
      const block = Buffer.from(this.pending.subarray(0, BLOCK));
      this.pending = this.pending.subarray(BLOCK);
      if (block.every((c) => c === 0)) {
        if (this.raw.length) throw new StorageError('INVALID_TAR', 'invalid tar: extension header without an entry');
        this.trailerParts.push(block);
        this.state = { kind: 'trailer' };
        continue;
      }
      if (!checksumOk(block)) throw new StorageError('INVALID_TAR', 'archive/tar: invalid tar header');
      const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
      const size = parseNumeric(block, 124, 12);
      if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
        this.raw.push(block);
        this.state = { kind: 'ext', typeflag, need: size, total: size + padding(size) };
        continue;
      }
      this.raw.push(block);
      this.emitEntry(block, typeflag, size);
    }
  }

  private emitEntry(block: Buffer, typeflag: string, size: number): void {
    const magic = block.subarray(257, 263).toString('latin1');
    let name = parseString(block, 0, 100);
    if (magic === 'ustar\0') {
      const prefix = parseString(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const pax = { ...this.global, ...this.local };
    const entry: TarEntry = {
      name: pax['path'] ?? this.longName ?? name,
      typeflag: typeflag === '7' ? '0' : typeflag,
      mode: parseNumeric(block, 100, 8),
      uid: pax['uid'] !== undefined ? Number(pax['uid']) : parseNumeric(block, 108, 8),
      gid: pax['gid'] !== undefined ? Number(pax['gid']) : parseNumeric(block, 116, 8),
      size: pax['size'] !== undefined ? Number(pax['size']) : size,
      mtimeMs: pax['mtime'] !== undefined ? Number(pax['mtime']) * 1000 : parseNumeric(block, 136, 12) * 1000,
      linkname: pax['linkpath'] ?? this.longLink ?? parseString(block, 157, 100),
      devmajor: parseNumeric(block, 329, 8),
      devminor: parseNumeric(block, 337, 8),
      pax,
    };
    if (HEADER_ONLY.has(entry.typeflag)) entry.size = 0;
    const raw = Buffer.concat(this.raw);
    this.raw = [];
    this.local = {};
    this.longName = null;
    this.longLink = null;
    this.entries++;
    this.visitor.entry(entry, raw);
    this.state = { kind: 'body', left: entry.size, pad: padding(entry.size) };
  }

  /** The stream ended. A missing end-of-archive marker is tolerated (Go does too), a cut entry is not. */
  end(): void {
    const s = this.state;
    if (s.kind === 'body' || s.kind === 'pad' || s.kind === 'ext' || this.raw.length || (s.kind === 'header' && this.pending.length)) {
      throw new StorageError('INVALID_TAR', 'unexpected EOF in tar stream');
    }
    this.visitor.trailer(Buffer.concat(this.trailerParts));
  }

  get count(): number {
    return this.entries;
  }
}

/** Feeds a whole stream through a parser. */
export async function parseTar(source: AsyncIterable<Buffer | Uint8Array | string>, visitor: TarVisitor, onChunk?: (chunk: Buffer) => void): Promise<void> {
  const parser = new TarParser(visitor);
  for await (const c of source) {
    const chunk = typeof c === 'string' ? Buffer.from(c) : Buffer.isBuffer(c) ? c : Buffer.from(c);
    onChunk?.(chunk);
    parser.write(chunk);
  }
  parser.end();
}
