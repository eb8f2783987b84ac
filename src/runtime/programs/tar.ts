/**
 * tar: busybox's archival/tar.c with its libarchive reader (c, x, t; f, C,
 * O, v, z, h, m, o, k, --strip-components, --no-recursion,
 * --numeric-owner, --exclude). Archives are written as busybox writes them:
 * GNU-magic ustar headers ("ustar  "), octal fields without a leading zero
 * digit, user and group names, GNU long names (././@LongLink), hard links
 * after their first name, two zero blocks at the end and no record padding.
 * Reading accepts ustar, GNU (long names) and PAX (path, linkpath, size,
 * mtime) headers, and a gzip archive given by file name without -z (busybox's
 * autodetection needs a seekable file, so not on stdin).
 *
 * Busybox's texts: "removing leading '/' from member names", "short read",
 * "invalid tar magic", "empty archive", "X: not found in archive",
 * "error exit delayed from previous errors".
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { FsStat } from '../../storage/backend.js';
import type { ProcessFs } from '../fs/process-fs.js';
import { patternToRegex } from '../shell/pattern.js';
import { has, last, type Parsed } from './lib/getopt.js';
import { argBytes, bytes, handleChunks, streamChunks, text } from './lib/io.js';
import { modeString } from './lib/mode.js';
import { joinPath, UMASK } from './lib/paths.js';
import { strftime } from './lib/time.js';
import { AppletExit, errText, isFsError, type Tool } from './lib/tool.js';
import { UserDb } from './lib/users.js';

const BLOCK = 512;
const pad = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK;

// ---- options -----------------------------------------------------------------------

const SPEC = {
  short: 'txcC:f:OopvmkhzjJZaT:X:',
  long: {
    directory: { key: 'C', arg: 'required' as const },
    file: { key: 'f', arg: 'required' as const },
    'to-stdout': { key: 'O', arg: 'none' as const },
    'same-owner': { key: 'o', arg: 'none' as const },
    'no-same-owner': { key: 'o', arg: 'none' as const },
    'same-permissions': { key: 'p', arg: 'none' as const },
    verbose: { key: 'v', arg: 'none' as const },
    'touch': { key: 'm', arg: 'none' as const },
    'keep-old': { key: 'k', arg: 'none' as const },
    dereference: { key: 'h', arg: 'none' as const },
    gzip: { key: 'z', arg: 'none' as const },
    'files-from': { key: 'T', arg: 'required' as const },
    'exclude-from': { key: 'X', arg: 'required' as const },
    create: { key: 'c', arg: 'none' as const },
    extract: { key: 'x', arg: 'none' as const },
    list: { key: 't', arg: 'none' as const },
    'strip-components': { key: 'strip', arg: 'required' as const },
    'no-recursion': { key: 'norec', arg: 'none' as const },
    'numeric-owner': { key: 'numeric', arg: 'none' as const },
    overwrite: { key: 'overwrite', arg: 'none' as const },
    exclude: { key: 'exclude', arg: 'required' as const },
    'no-same-permissions': { key: 'noperm', arg: 'none' as const },
  },
};

/** strip_unsafe_prefix(): leading "/" and everything up to the last "../", warned about once per run. */
function unsafePrefixStripper(t: Tool): (name: string) => Promise<string> {
  let warned = false;
  return async (name) => {
    let cp = 0;
    for (;;) {
      if (name[cp] === '/') {
        cp++;
        continue;
      }
      if (name.startsWith('../', cp)) {
        cp += 3;
        continue;
      }
      const i = name.indexOf('/../', cp);
      if (i === -1) break;
      cp = i + 4;
    }
    if (cp > 0 && !warned) {
      warned = true;
      await t.err(`removing leading '${name.slice(0, cp)}' from member names`);
    }
    return name.slice(cp);
  };
}

// ---- writing -------------------------------------------------------------------------

/** busybox's putOctal: zero-padded octal in `len` bytes, dropping one leading zero so a NUL ends the field. */
function putOctal(b: Buffer, off: number, len: number, value: number): void {
  let s = value.toString(8).padStart(len, '0');
  s = s.slice(s.length - len);
  if (s[0] === '0') s = s.slice(1) + '\0';
  b.write(s, off, 'latin1');
}

function putString(b: Buffer, off: number, len: number, s: string): void {
  bytes(s).copy(b, off, 0, Math.min(len, bytes(s).length));
}

function finishHeader(h: Buffer): Buffer {
  h.write('ustar  \0', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  putOctal(h, 148, 7, sum);
  return h;
}

function longName(type: 'L' | 'K', name: string, dir: boolean): Buffer {
  const nameBytes = bytes(name);
  const size = nameBytes.length + 1 + (dir ? 1 : 0);
  const h = Buffer.alloc(BLOCK);
  putString(h, 0, 100, '././@LongLink');
  h.write('0000000\0' + '0000000\0' + '0000000\0', 100, 'latin1');
  h.write('00000000000\0' + '00000000000\0', 124, 'latin1');
  putOctal(h, 124, 12, size);
  h[156] = type.charCodeAt(0);
  const body = Buffer.concat([nameBytes, dir ? Buffer.from('/\0') : Buffer.from('\0')]);
  return Buffer.concat([finishHeader(h), body, Buffer.alloc(pad(body.length))]);
}

interface Sink {
  write(b: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

async function create(t: Tool, o: Parsed, fs: ProcessFs, files: string[], archive: string): Promise<number> {
  const strip = unsafePrefixStripper(t);
  const db = new UserDb(t.ctx.fs);
  const verbose = has(o, 'v');
  const dereference = has(o, 'h');
  const recurse = !has(o, 'norec');
  const excludes = (o.values.get('exclude') ?? []).map((p) => patternToRegex(argBytes(p)));
  let failed = false;
  if (files.length === 0) return t.die('empty archive');

  // The archive itself (never archived into itself).
  let sink: Sink;
  let archiveReal: string | null = null;
  const raw: Buffer[] = [];
  const gzip = has(o, 'z');
  if (archive === '-') {
    sink = gzip ? { write: async (b) => void raw.push(Buffer.from(b)), close: async () => t.out(zlib.gzipSync(Buffer.concat(raw))) } : { write: (b) => t.out(b), close: async () => undefined };
  } else {
    let h;
    try {
      h = t.ctx.fs.open(archive, { write: true, create: true, truncate: true, mode: 0o666 & ~UMASK });
    } catch (e) {
      return t.die(`can't open '${archive}': ${errText(e)}`);
    }
    archiveReal = t.ctx.fs.realpath(archive);
    const handle = h;
    const put = (b: Uint8Array): void => {
      let off = 0;
      while (off < b.byteLength) off += handle.write(b, off, b.byteLength - off);
    };
    sink = gzip
      ? { write: async (b) => void raw.push(Buffer.from(b)), close: async () => { put(zlib.gzipSync(Buffer.concat(raw))); handle.close(); } }
      : { write: async (b) => put(b), close: async () => handle.close() };
  }
  const vout = async (line: string): Promise<void> => {
    if (archive === '-') await t.ctx.stderr.write(bytes(line));
    else await t.out(bytes(line));
  };
  const links = new Map<string, string>();

  const add = async (path: string, top: boolean): Promise<void> => {
    let st: FsStat;
    try {
      st = dereference ? fs.stat(path) : fs.lstat(path);
    } catch (e) {
      if (!isFsError(e)) throw e;
      await t.errPath(path, e);
      failed = true;
      return;
    }
    void top;
    const name = await strip(argBytes(path));
    if (excludes.some((re) => re.test(name) || re.test(name.slice(name.lastIndexOf('/') + 1)))) return;
    if (archiveReal !== null && st.type === 'file') {
      try {
        if (fs.realpath(path) === archiveReal) {
          await t.err(`${path}: file is the archive; skipping`);
          return;
        }
      } catch {
        // fall through
      }
    }
    if (name !== '') {
      if (st.type === 'socket') {
        await t.err(`${path}: socket ignored`);
        return;
      }
      const h = Buffer.alloc(BLOCK);
      putString(h, 0, 100, name);
      putOctal(h, 100, 8, st.mode & 0o7777);
      putOctal(h, 108, 8, st.uid);
      putOctal(h, 116, 8, st.gid);
      h.fill(0x30, 124, 135);
      putOctal(h, 136, 12, Math.max(0, Math.floor(st.mtimeMs / 1000)));
      putString(h, 265, 31, db.userById(st.uid)?.name ?? '');
      putString(h, 297, 31, db.groupById(st.gid)?.name ?? '');
      const pre: Buffer[] = [];
      let body: AsyncIterable<Uint8Array> | null = null;
      const inoKey = `${st.ino}:${st.uid}:${st.size}`;
      const firstName = st.type !== 'dir' && st.nlink > 1 ? links.get(inoKey) : undefined;
      if (firstName !== undefined) {
        h[156] = 0x31;
        putString(h, 157, 100, firstName);
        if (bytes(firstName).length >= 100) pre.push(longName('K', firstName, false));
      } else if (st.type === 'symlink') {
        const target = argBytes(fs.readlink(path));
        h[156] = 0x32;
        putString(h, 157, 100, target);
        if (bytes(target).length >= 100) pre.push(longName('K', target, false));
      } else if (st.type === 'dir') {
        h[156] = 0x35;
        if (bytes(name).length < 100) h[bytes(name).length] = 0x2f;
      } else if (st.type === 'char' || st.type === 'block') {
        h[156] = st.type === 'char' ? 0x33 : 0x34;
        putOctal(h, 329, 8, st.rdev?.major ?? 0);
        putOctal(h, 337, 8, st.rdev?.minor ?? 0);
      } else if (st.type === 'fifo') {
        h[156] = 0x36;
      } else {
        h[156] = 0x30;
        putOctal(h, 124, 12, st.size);
        try {
          body = handleChunks(fs.open(path, { read: true }));
        } catch (e) {
          if (!isFsError(e)) throw e;
          await t.err(`can't open '${path}': ${errText(e)}`);
          failed = true;
          return;
        }
        if (st.nlink > 1) links.set(inoKey, name);
      }
      if (bytes(name).length >= 100) pre.push(longName('L', name, st.type === 'dir'));
      for (const p of pre) await sink.write(p);
      await sink.write(finishHeader(h));
      if (verbose) await vout(`${name}${st.type === 'dir' ? '/' : ''}\n`);
      if (body) {
        let n = 0;
        for await (const c of body) {
          const take = c.subarray(0, Math.max(0, st.size - n));
          n += take.byteLength;
          if (take.byteLength > 0) await sink.write(take);
        }
        // A file that shrank meanwhile is padded with zeros, as busybox does.
        if (n < st.size) await sink.write(Buffer.alloc(st.size - n));
        await sink.write(Buffer.alloc(pad(st.size)));
      }
    }
    if (st.type === 'dir' && recurse) {
      let names: string[];
      try {
        names = fs.readdir(path);
      } catch (e) {
        if (!isFsError(e)) throw e;
        await t.errPath(path, e);
        failed = true;
        return;
      }
      for (const n of names) await add(joinPath(path, n), false);
    }
  };

  for (const f of files) await add(f, true);
  await sink.write(Buffer.alloc(2 * BLOCK));
  await sink.close();
  if (failed) return t.die('error exit delayed from previous errors');
  return 0;
}

// ---- reading -------------------------------------------------------------------------

/** Reads exact byte counts from a chunk stream. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly it: AsyncIterator<Uint8Array>;
  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }
  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf = this.buf.length === 0 ? Buffer.from(r.value) : Buffer.concat([this.buf, r.value]);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }
  async peek(n: number): Promise<Buffer> {
    const b = await this.read(n);
    this.buf = this.buf.length === 0 ? b : Buffer.concat([b, this.buf]);
    return b;
  }
  async drain(): Promise<void> {
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
    }
    this.buf = Buffer.alloc(0);
  }
}

async function* gunzipped(input: AsyncIterable<Uint8Array>, onError: (e: Error) => void): AsyncGenerator<Uint8Array> {
  const source = Readable.from(input);
  const z = zlib.createGunzip();
  source.pipe(z);
  source.on('error', (e) => z.destroy(e));
  try {
    for await (const chunk of z) yield chunk as Buffer;
  } catch (e) {
    onError(e as Error);
  }
}

interface Header {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

function field(b: Buffer, off: number, len: number): string {
  const f = b.subarray(off, off + len);
  const nul = f.indexOf(0);
  return text(nul === -1 ? f : f.subarray(0, nul));
}

function octal(b: Buffer, off: number, len: number): number {
  const f = b.subarray(off, off + len);
  if (f[0]! & 0x80) {
    let v = 0;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    return v;
  }
  const s = text(f).replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : parseInt(s, 8) || 0;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = parseInt(data.subarray(pos, sp).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = data.subarray(sp + 1, pos + len - 1).toString('latin1');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

type Next = { kind: 'entry'; h: Header } | { kind: 'zero' } | { kind: 'end'; shortRead: boolean };

async function nextHeader(t: Tool, r: ByteReader, afterZero: boolean): Promise<Next> {
  let longname: string | null = null;
  let longlink: string | null = null;
  let pax: Record<string, string> = {};
  for (;;) {
    const b = await r.read(BLOCK);
    if (b.length === 0) return { kind: 'end', shortRead: !afterZero };
    if (b.length < BLOCK) return t.die('short read');
    if (b[0] === 0 && b[345] === 0 && b.every((x) => x === 0)) return { kind: 'zero' };
    const magic = b.subarray(257, 262).toString('latin1');
    if (magic !== 'ustar' && !b.subarray(257, 262).equals(Buffer.alloc(5))) return t.die('invalid tar magic');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
    if (octal(b, 148, 8) !== sum) return t.die('invalid tar header checksum');
    const type = String.fromCharCode(b[156] || 0x30);
    const size = octal(b, 124, 12);
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      const data = await r.read(size + pad(size));
      if (data.length < size + pad(size)) return t.die('short read');
      const body = data.subarray(0, size);
      if (type === 'L') longname = field(body, 0, body.length);
      else if (type === 'K') longlink = field(body, 0, body.length);
      else if (type === 'x') pax = { ...pax, ...parsePax(body) };
      continue;
    }
    const prefix = magic === 'ustar' && b.subarray(257, 263).toString('latin1') === 'ustar\0' ? field(b, 345, 155) : '';
    const name = longname ?? pax.path ?? (prefix ? `${prefix}/${field(b, 0, 100)}` : field(b, 0, 100));
    const mode = octal(b, 100, 8) & 0o7777;
    let t2 = type;
    if ((type === '0' || type === '7') && name.endsWith('/')) t2 = '5';
    const h: Header = {
      name,
      type: t2,
      mode,
      uid: octal(b, 108, 8),
      gid: octal(b, 116, 8),
      size: t2 === '0' || t2 === '7' ? (pax.size !== undefined ? Number(pax.size) : size) : 0,
      mtime: pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : octal(b, 136, 12),
      linkname: longlink ?? pax.linkpath ?? field(b, 157, 100),
      uname: field(b, 265, 32),
      gname: field(b, 297, 32),
      devmajor: octal(b, 329, 8),
      devminor: octal(b, 337, 8),
    };
    if (!['0', '1', '2', '3', '4', '5', '6', '7'].includes(t2)) return t.die(`unknown typeflag: 0x${(b[156] ?? 0).toString(16)}`);
    return { kind: 'entry', h };
  }
}

const TYPE_OF: Record<string, FsStat['type']> = { '0': 'file', '7': 'file', '1': 'file', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

async function readArchive(t: Tool, o: Parsed, fs: ProcessFs, patterns: string[], archive: string, mode: 't' | 'x'): Promise<number> {
  const strip = unsafePrefixStripper(t);
  const verbose = has(o, 'v');
  const toStdout = has(o, 'O');
  const db = new UserDb(fs);
  const stripN = Number(last(o, 'strip') ?? '0') || 0;
  const excludes = (o.values.get('exclude') ?? []).map((p) => patternToRegex(argBytes(p)));
  let source: AsyncIterable<Uint8Array>;
  if (archive === '-') source = streamChunks(t.ctx.stdin);
  else {
    try {
      const st = t.ctx.fs.stat(archive);
      if (st.type === 'dir') return t.die(`read error: Is a directory`);
      source = handleChunks(t.ctx.fs.open(archive, { read: true }));
    } catch (e) {
      if (e instanceof AppletExit) throw e;
      return t.die(`can't open '${archive}': ${errText(e)}`);
    }
  }
  let gzipError: Error | null = null;
  let reader = new ByteReader(source);
  if (has(o, 'z')) {
    const magic = await reader.peek(2);
    if (magic.length < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
      await t.err('invalid magic');
      return t.die('short read');
    }
    reader = new ByteReader(gunzipped(readerChunks(reader), (e) => (gzipError = e)));
  } else if (archive !== '-') {
    // busybox's autodetection (a seekable archive only).
    const magic = await reader.peek(2);
    if (magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b) reader = new ByteReader(gunzipped(readerChunks(reader), (e) => (gzipError = e)));
  }

  // Operands lose a trailing "/"; they match as fnmatch(FNM_PATHNAME | FNM_LEADING_DIR) does (a
  // pattern may name a leading directory), but count as found only when an entry has exactly that name.
  const matchers = patterns.map((p) => {
    const text = p.length > 1 ? p.replace(/\/+$/, '') : p;
    return { text, re: patternToRegex(argBytes(text), { pathname: true }), found: false };
  });
  const selected = (name: string): boolean => {
    if (excludes.some((re) => re.test(name.replace(/\/+$/, '')))) return false;
    if (matchers.length === 0) return true;
    const bare = name.replace(/\/+$/, '');
    let ok = false;
    for (const m of matchers) {
      let hit = false;
      for (let i = bare.length; i > 0 && !hit; i = bare.lastIndexOf('/', i - 1)) hit = m.re.test(bare.slice(0, i));
      if (hit) ok = true;
      if (bare === argBytes(m.text)) m.found = true;
    }
    return ok;
  };

  const pendingNames: string[] = [];
  const listOut = async (line: string): Promise<void> => {
    // With -O, the names go through stdio's buffer while the data is written directly: on a pipe they come last.
    if (toStdout && !t.ctx.stdout.isTTY) pendingNames.push(line);
    else await t.out(bytes(line));
  };
  const deferredLinks: { target: string; path: string }[] = [];
  let sawHeader = false;
  let afterZero = false;
  let status = 0;
  const root = t.ctx.user.uid === 0;

  for (;;) {
    const n = await nextHeader(t, reader, afterZero);
    if (n.kind === 'end') {
      if (n.shortRead) await t.err('short read');
      break;
    }
    if (n.kind === 'zero') {
      sawHeader = true;
      if (afterZero) {
        await reader.drain();
        break;
      }
      afterZero = true;
      continue;
    }
    afterZero = false;
    sawHeader = true;
    const h = n.h;
    h.name = await strip(h.name);
    if (h.type === '1') h.linkname = await strip(h.linkname);
    let name = h.name;
    if (stripN > 0) {
      const parts = name.split('/');
      if (parts.filter((p) => p !== '').length <= stripN && !(parts.length > stripN + 1)) {
        await reader.read(h.size + pad(h.size));
        continue;
      }
      name = parts.slice(stripN).join('/');
      if (h.type === '1') h.linkname = h.linkname.split('/').slice(stripN).join('/');
    }
    const take = name !== '' && selected(h.name);
    const body = async (): Promise<AsyncGenerator<Buffer>> => {
      let left = h.size;
      const total = h.size + pad(h.size);
      let consumed = 0;
      return (async function* () {
        while (left > 0) {
          const c = await reader.read(Math.min(left, 64 * 1024));
          if (c.length === 0) break;
          consumed += c.length;
          left -= c.length;
          yield c;
        }
        if (left > 0) await t.die('short read');
        const p = await reader.read(total - consumed);
        if (p.length < total - consumed) await t.die('short read');
      })();
    };
    if (!take) {
      for await (const _ of await body()) void _;
      continue;
    }
    if (mode === 't') {
      if (verbose) {
        const type = TYPE_OF[h.type] ?? 'file';
        const user = h.uname || String(h.uid);
        const group = h.gname || String(h.gid);
        const link = h.type === '1' || h.type === '2' ? ` -> ${h.linkname}` : '';
        await listOut(`${modeString({ type, mode: h.mode })} ${user}/${group} ${String(h.size).padStart(9)} ${strftime('%Y-%m-%d %H:%M:%S', h.mtime * 1000)} ${name}${link}\n`);
      } else await listOut(`${name}\n`);
      for await (const _ of await body()) void _;
      continue;
    }
    // Extract.
    if (verbose) await listOut(`${name}\n`);
    if (toStdout) {
      if (h.type === '0' || h.type === '7') for await (const c of await body()) await t.out(c);
      else for await (const _ of await body()) void _;
      continue;
    }
    const path = bytesToArg(name);
    const uid = root && !has(o, 'o') ? (has(o, 'numeric') ? h.uid : (db.userByName(h.uname)?.uid ?? h.uid)) : null;
    const gid = root && !has(o, 'o') ? (has(o, 'numeric') ? h.gid : (db.groupByName(h.gname)?.gid ?? h.gid)) : null;
    try {
      // ARCHIVE_CREATE_LEADING_DIRS
      const slash = path.lastIndexOf('/');
      if (slash > 0) fs.mkdir(path.slice(0, slash), { recursive: true, mode: 0o777 & ~UMASK });
      const existing = fs.tryLstat(path);
      if (h.type !== '5' && existing) {
        if (has(o, 'k') && !has(o, 'overwrite')) {
          if (h.type === '0' || h.type === '7') {
            await t.die(`can't open '${name}': File exists`);
          }
        }
        if (existing.type === 'dir') {
          try {
            fs.rmdir(path);
          } catch {
            // busybox's unlink() fails on a directory: the create below reports it
          }
        } else fs.unlink(path);
      }
      switch (h.type) {
        case '0':
        case '7': {
          const handle = fs.open(path, { write: true, create: true, truncate: true, exclusive: has(o, 'k'), mode: h.mode & 0o777 });
          try {
            for await (const c of await body()) {
              let off = 0;
              while (off < c.length) off += handle.write(c, off, c.length - off);
            }
          } finally {
            handle.close();
          }
          break;
        }
        case '5':
          if (!existing) fs.mkdir(path, { mode: h.mode & 0o777 });
          else if (existing.type !== 'dir') {
            await t.err(`can't make dir ${name}: File exists`);
            status = 1;
            continue;
          }
          break;
        case '1':
          fs.link(bytesToArg(h.linkname), path);
          break;
        case '2':
          if (h.linkname.startsWith('/') || h.linkname.split('/').includes('..')) {
            // Links that could point outside are made last, once nothing more goes through them.
            deferredLinks.push({ target: bytesToArg(h.linkname), path });
            continue;
          }
          fs.symlink(bytesToArg(h.linkname), path);
          continue;
        default:
          await t.err(`${name}: can't create ${TYPE_OF[h.type] ?? 'special'} file here`);
          status = 1;
          continue;
      }
      if (h.type === '1') continue;
      if (uid !== null && gid !== null) fs.chown(path, uid, gid);
      if (!has(o, 'noperm')) fs.chmod(path, h.mode);
      if (!has(o, 'm')) fs.utimes(path, h.mtime * 1000, h.mtime * 1000);
    } catch (e) {
      if (e instanceof AppletExit || !isFsError(e)) throw e;
      await t.die(`can't create ${h.type === '5' ? 'directory' : h.type === '1' ? 'hardlink' : 'file'} '${name}': ${e.text}`);
    }
  }
  for (const l of deferredLinks) {
    try {
      fs.symlink(l.target, l.path);
    } catch (e) {
      if (!isFsError(e)) throw e;
      await t.err(`can't create symlink '${l.path}' to '${l.target}': ${e.text}`);
      status = 1;
    }
  }
  if (gzipError) {
    await t.err('corrupted data');
    status = 1;
  }
  if (pendingNames.length > 0) await t.out(bytes(pendingNames.join('')));
  const missing = matchers.find((m) => !m.found);
  if (missing) return t.die(`${missing.text}: not found in archive`);
  if (!sawHeader) status = 1;
  return status;
}

function bytesToArg(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

async function* readerChunks(r: ByteReader): AsyncGenerator<Uint8Array> {
  for (;;) {
    const c = await r.read(64 * 1024);
    if (c.length === 0) return;
    yield c;
  }
}

export async function tar(t: Tool): Promise<number> {
  const argv = t.ctx.argv.slice(1);
  // Old-style bundled first argument: "tar cvf x.tar ..." is "tar -cvf x.tar ...".
  if (argv[0] !== undefined && argv[0] !== '' && !argv[0].startsWith('-')) argv[0] = `-${argv[0]}`;
  const o = await t.opts(SPEC, argv);
  const modes = ['c', 'x', 't'].filter((m) => has(o, m));
  if (modes.length !== 1) return t.usage();
  for (const k of ['j', 'J', 'Z']) {
    if (has(o, k)) return t.die(`-${k}: only gzip (-z) compression is available here`);
  }
  const archive = last(o, 'f') ?? '-';
  let fs = t.ctx.fs;
  const dir = last(o, 'C');
  if (dir !== undefined) {
    try {
      fs = fs.withCwd(dir);
    } catch (e) {
      return t.die(`can't change directory to '${dir}': ${errText(e)}`);
    }
  }
  let operands = o.args;
  const from = last(o, 'T');
  if (from !== undefined) {
    try {
      const list = (from === '-' ? (await t.ctx.stdin.readAll()).toString('utf8') : t.ctx.fs.readFile(from).toString('utf8')).split('\n').filter((l) => l !== '');
      operands = [...operands, ...list];
    } catch (e) {
      return t.die(`can't open '${from}': ${errText(e)}`);
    }
  }
  const excludeFrom = last(o, 'X');
  if (excludeFrom !== undefined) {
    try {
      const list = t.ctx.fs.readFile(excludeFrom).toString('utf8').split('\n').filter((l) => l !== '');
      o.values.set('exclude', [...(o.values.get('exclude') ?? []), ...list]);
    } catch (e) {
      return t.die(`can't open '${excludeFrom}': ${errText(e)}`);
    }
  }
  try {
    if (has(o, 'c')) return await create(t, o, fs, operands, archive);
    return await readArchive(t, o, fs, operands, archive, has(o, 't') ? 't' : 'x');
  } catch (e) {
    if (e instanceof AppletExit) return e.status;
    throw e;
  }
}
