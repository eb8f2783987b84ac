/**
 * A deterministic tar writer for generated layers: USTAR headers (a PAX
 * record only for names that do not fit), owner 0:0, fixed mtimes, entries
 * in the order given, content produced in chunks so a 300 MB layer never
 * sits in memory. Same entries, same bytes, on every machine: DiffIDs and
 * image IDs depend on it.
 */

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink';

export interface TarEntry {
  /** Relative path without a leading "/" (directories without a trailing one). */
  path: string;
  type: TarEntryType;
  mode: number;
  /** Regular files: the exact number of bytes `content` yields. */
  size?: number;
  content?: () => Iterable<Buffer>;
  /** Symlink target or hard-link source path. */
  linkname?: string;
  /** Seconds since the epoch. */
  mtime: number;
}

const BLOCK = 512;
const ZERO = Buffer.alloc(BLOCK * 2);

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function splitUstarName(name: string): [string, string] | null {
  const bytes = Buffer.byteLength(name);
  if (bytes <= 100) return ['', name];
  if (bytes > 256) return null;
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return [prefix, rest];
  }
  return null;
}

function header(
  name: string,
  typeflag: string,
  mode: number,
  size: number,
  mtime: number,
  linkname: string,
  prefix = '',
): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode & 0o7777, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(mtime, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(typeflag, 156, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(octal(0, 8), 329, 'latin1');
  h.write(octal(0, 8), 337, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function pad(size: number): Buffer | null {
  const rem = size % BLOCK;
  return rem === 0 ? null : Buffer.alloc(BLOCK - rem);
}

const TYPEFLAG: Record<TarEntryType, string> = { file: '0', dir: '5', symlink: '2', hardlink: '1' };

/** The tar bytes, chunk by chunk. */
export function* tarChunks(entries: Iterable<TarEntry>): Generator<Buffer> {
  for (const e of entries) {
    const name = e.type === 'dir' ? `${e.path}/` : e.path;
    const size = e.type === 'file' ? (e.size ?? 0) : 0;
    const linkname = e.linkname ?? '';
    const split = splitUstarName(name);
    const pax: string[] = [];
    if (split === null) pax.push(paxRecord('path', name));
    if (Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', linkname));
    if (pax.length > 0) {
      const body = Buffer.from(pax.join(''), 'utf8');
      yield header('PaxHeaders.0/' + name.slice(0, 80), 'x', 0o644, body.length, e.mtime, '');
      yield body;
      const p = pad(body.length);
      if (p) yield p;
    }
    const [prefix, short] = split ?? ['', name.slice(0, 100)];
    yield header(short, TYPEFLAG[e.type], e.mode, size, e.mtime, linkname.slice(0, 100), prefix);
    if (size > 0) {
      let written = 0;
      for (const chunk of e.content ? e.content() : []) {
        written += chunk.length;
        yield chunk;
      }
      if (written !== size) throw new Error(`tar: ${e.path}: content gave ${written} bytes, expected ${size}`);
      const p = pad(size);
      if (p) yield p;
    }
  }
  yield ZERO;
}
