/** Test helpers for the storage suites: temp roots, tars, reading views. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FsBackend } from '../../src/storage/backend.js';
import type { DriverEvent, DriverEvents } from '../../src/storage/driver.js';
import { encodeHeader, padding, TRAILER, type TarHeader } from '../../src/storage/tar/header.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-'));
}

export interface TarSpec {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  body?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
}

export function tarBytes(entries: TarSpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = Buffer.from(e.body ?? '');
    const h: TarHeader = {
      name: e.name,
      typeflag: type === 'dir' ? '5' : type === 'symlink' ? '2' : type === 'hardlink' ? '1' : '0',
      mode: e.mode ?? (type === 'dir' ? 0o40755 : type === 'symlink' ? 0o120777 : 0o100644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      size: type === 'file' ? body.length : 0,
      mtime: e.mtime ?? 1_600_000_000,
      linkname: e.linkname ?? '',
      devmajor: 0,
      devminor: 0,
    };
    parts.push(encodeHeader(h));
    if (h.size) parts.push(body, Buffer.alloc(padding(body.length)));
  }
  parts.push(TRAILER);
  return Buffer.concat(parts);
}

export function tarStream(entries: TarSpec[] | Buffer): Readable {
  return Readable.from([Buffer.isBuffer(entries) ? entries : tarBytes(entries)]);
}

export async function collect(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export function sha256(b: Buffer): string {
  return 'sha256:' + createHash('sha256').update(b).digest('hex');
}

export function readFile(fsb: FsBackend, p: string): string {
  const h = fsb.open(p, { read: true });
  const out: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    const n = h.read(buf, 0, buf.length);
    if (n === 0) break;
    out.push(Buffer.from(buf.subarray(0, n)));
  }
  h.close();
  return Buffer.concat(out).toString();
}

export function writeFile(fsb: FsBackend, p: string, text: string, flags: { append?: boolean; mode?: number } = {}): void {
  const h = fsb.open(p, { write: true, create: true, truncate: !flags.append, append: flags.append, mode: flags.mode });
  h.write(Buffer.from(text));
  h.close();
}

/** Every path in a view with type, mode, owner, size and content: two equal trees give equal lists. */
export function snapshot(fsb: FsBackend, dir = '/'): string[] {
  const out: string[] = [];
  for (const name of fsb.readdir(dir)) {
    const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
    const st = fsb.lstat(p)!;
    const extra = st.type === 'file' ? readFile(fsb, p) : st.type === 'symlink' ? fsb.readlink(p) : '';
    out.push(`${p} ${st.type} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.type === 'dir' ? '' : st.size} ${Math.floor(st.mtimeMs / 1000)} ${extra}`);
    if (st.type === 'dir') out.push(...snapshot(fsb, p));
  }
  return out;
}

export class Recorder implements DriverEvents {
  readonly events: DriverEvent[] = [];
  emit(e: DriverEvent): void {
    this.events.push(e);
  }
  of<T extends DriverEvent['type']>(type: T): Extract<DriverEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<DriverEvent, { type: T }> => e.type === type);
  }
}
