/**
 * Tar headers written exactly as Go's archive/tar writes them for moby's
 * pkg/archive (Format PAX requested, ModTime truncated to the second, no
 * access or change times, user and group names empty). A header is USTAR when
 * USTAR can hold it (long ASCII names split into prefix and name); otherwise
 * a PAX extended header `<dir>/PaxHeaders.0/<base>` with sorted records comes
 * first. Matching Go byte for byte keeps DiffIDs reproducible, and lets a
 * layer written by Docker and one written by mydock be compared.
 */

export const BLOCK = 512;

export type TypeFlag = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | 'x' | 'g' | 'L' | 'K';

export interface TarHeader {
  name: string;
  typeflag: TypeFlag;
  /** Permission bits plus Go's file type bits (0o100000 for a file, 0o040000 for a directory). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname: string;
  uname?: string;
  gname?: string;
  devmajor: number;
  devminor: number;
}

const NAME_SIZE = 100;
const PREFIX_SIZE = 155;

function isASCII(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0) return false;
  }
  return true;
}

function toASCII(s: string): string {
  if (isASCII(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80 && c !== 0) out += ch;
  }
  return out;
}

function fitsInOctal(n: number, x: number): boolean {
  return x >= 0 && (n >= 22 || x < 2 ** ((n - 1) * 3));
}

/** Go's formatter.formatString, including its trailing-slash fix. */
function putString(b: Buffer, off: number, size: number, s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  bytes.copy(b, off, 0, Math.min(size, bytes.length));
  if (bytes.length < size) b[off + bytes.length] = 0;
  if (bytes.length > size && b[off + size - 1] === 0x2f) {
    const n = s.slice(0, size - 1).replace(/\/+$/, '').length;
    b[off + n] = 0;
  }
}

/** Go's formatter.formatOctal: zero-padded, NUL-terminated; 0 if it does not fit. */
function putOctal(b: Buffer, off: number, size: number, x: number): void {
  if (!fitsInOctal(size, x)) x = 0;
  let s = x.toString(8);
  const pad = size - s.length - 1;
  if (pad > 0) s = '0'.repeat(pad) + s;
  putString(b, off, size, s);
}

function setFormatUSTAR(b: Buffer): void {
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  putOctal(b, 148, 7, sum);
  b[155] = 0x20;
}

function splitUSTARPath(name: string): [string, string] | null {
  let length = name.length;
  if (length <= NAME_SIZE || !isASCII(name)) return null;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.slice(0, length).lastIndexOf('/');
  const nlen = name.length - i - 1;
  const plen = i;
  if (i <= 0 || nlen > NAME_SIZE || nlen === 0 || plen > PREFIX_SIZE) return null;
  return [name.slice(0, i), name.slice(i + 1)];
}

function paxRecord(k: string, v: string): string {
  const body = ` ${k}=${v}\n`;
  let size = Buffer.byteLength(body);
  size += String(size).length;
  let rec = `${size}${body}`;
  if (Buffer.byteLength(rec) !== size) {
    size = Buffer.byteLength(rec);
    rec = `${size}${body}`;
  }
  return rec;
}

function templateV7Plus(h: TarHeader, str: (s: string) => string): Buffer {
  const b = Buffer.alloc(BLOCK);
  b[156] = h.typeflag.charCodeAt(0);
  putString(b, 0, 100, str(h.name));
  putString(b, 157, 100, str(h.linkname));
  putOctal(b, 100, 8, h.mode);
  putOctal(b, 108, 8, h.uid);
  putOctal(b, 116, 8, h.gid);
  putOctal(b, 124, 12, h.size);
  putOctal(b, 136, 12, h.mtime);
  putString(b, 265, 32, str(h.uname ?? ''));
  putString(b, 297, 32, str(h.gname ?? ''));
  putOctal(b, 329, 8, h.devmajor);
  putOctal(b, 337, 8, h.devminor);
  return b;
}

function posixJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  const abs = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(seg);
  }
  const s = (abs ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** The header blocks (and PAX data) Go writes for `h`; the body and its padding follow. */
export function encodeHeader(h: TarHeader): Buffer {
  const pax = new Map<string, string>();
  let ustar = true;
  const checkString = (s: string, key: string, splittable: boolean): void => {
    if (!isASCII(s) || Buffer.byteLength(s) > NAME_SIZE) {
      if (!splittable || !splitUSTARPath(s)) ustar = false;
      pax.set(key, s);
    }
  };
  checkString(h.name, 'path', true);
  checkString(h.linkname, 'linkpath', false);
  const checkNum = (n: number, size: number, key: string): void => {
    if (!fitsInOctal(size, n)) {
      ustar = false;
      pax.set(key, String(n));
    }
  };
  checkNum(h.uid, 8, 'uid');
  checkNum(h.gid, 8, 'gid');
  checkNum(h.size, 12, 'size');
  if (h.typeflag === '3' || h.typeflag === '4') {
    checkNum(h.devmajor, 8, 'devmajor');
    checkNum(h.devminor, 8, 'devminor');
  }
  if (!fitsInOctal(12, h.mtime)) {
    ustar = false;
    pax.set('mtime', String(h.mtime));
  }

  if (ustar) {
    const split = splitUSTARPath(h.name);
    const b = templateV7Plus(split ? { ...h, name: split[1] } : h, (s) => s);
    if (split) putString(b, 345, PREFIX_SIZE, split[0]);
    setFormatUSTAR(b);
    return b;
  }

  const keys = [...pax.keys()].sort();
  const data = Buffer.from(keys.map((k) => paxRecord(k, pax.get(k)!)).join(''), 'utf8');
  const slash = h.name.lastIndexOf('/');
  const dir = h.name.slice(0, slash + 1);
  const file = h.name.slice(slash + 1);
  let xname = toASCII(posixJoin(dir, 'PaxHeaders.0', file));
  if (xname.length > NAME_SIZE) xname = xname.slice(0, NAME_SIZE);
  xname = xname.replace(/\/+$/, '');
  const x = Buffer.alloc(BLOCK);
  x[156] = 'x'.charCodeAt(0);
  putString(x, 0, 100, xname);
  putOctal(x, 100, 8, 0);
  putOctal(x, 108, 8, 0);
  putOctal(x, 116, 8, 0);
  putOctal(x, 124, 12, data.length);
  putOctal(x, 136, 12, 0);
  setFormatUSTAR(x);
  const main = templateV7Plus(h, toASCII);
  setFormatUSTAR(main);
  return Buffer.concat([x, data, Buffer.alloc(padding(data.length)), main]);
}

/** Zero bytes after a body of `size` bytes, up to the next block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The end of an archive as Go writes it: two zero blocks, no record blocking. */
export const TRAILER = Buffer.alloc(2 * BLOCK);
