/**
 * Tar archives made to hurt an extractor: names that climb out or are
 * absolute, a symlink and then a file written through it, hard links to
 * outside, sizes far larger than the body, and byte-level damage on top
 * (cut short, a flipped byte that breaks the checksum, gzip garbage).
 * Shared by the fuzz properties and the escape tests.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { encodeHeader, padding, TRAILER, type TarHeader, type TypeFlag } from '../../src/storage/tar/header.js';

export interface HostileEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char';
  linkname: string;
  body: string;
  /** Size written in the header; the body may be shorter (a lie). */
  declaredSize?: number;
}

const TYPEFLAG: Record<HostileEntry['type'], TypeFlag> = { file: '0', dir: '5', symlink: '2', hardlink: '1', fifo: '6', char: '3' };
const MODE: Record<HostileEntry['type'], number> = { file: 0o100644, dir: 0o40755, symlink: 0o120777, hardlink: 0o100644, fifo: 0o10644, char: 0o20644 };

export function hostileTar(entries: readonly HostileEntry[], trailer = true): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.type === 'file' ? e.body : '');
    const size = e.declaredSize ?? body.length;
    const h: TarHeader = {
      name: e.name,
      typeflag: TYPEFLAG[e.type],
      mode: MODE[e.type],
      uid: 0,
      gid: 0,
      size: e.type === 'file' ? size : 0,
      mtime: 1_600_000_000,
      linkname: e.linkname,
      devmajor: 0,
      devminor: 0,
    };
    parts.push(encodeHeader(h));
    if (e.type === 'file' && body.length) parts.push(body, Buffer.alloc(padding(body.length)));
  }
  if (trailer) parts.push(TRAILER);
  return Buffer.concat(parts);
}

/** Names an attacker tries; `canary` is a path component next to the root that must stay untouched. */
export function hostileNames(canary: string): string[] {
  return [
    'etc/passwd', 'a', 'a/b', 'dir/', './x', 'link', 'link/x', 'link/../x', '../x', '../../x', `../../../../${canary}/owned`,
    `/${canary}/owned`, '/etc/x', '/../../x', 'a/../../x', '.wh.a', 'a/.wh..wh..opq', '.wh..wh.plnk', '.wh.../x', 'x'.repeat(120),
    `${'d/'.repeat(60)}deep`, '', '.', '..', '/', 'é/ü', 'a\\b', 'nul\u0000x',
  ];
}

export function hostileTargets(canary: string): string[] {
  return ['/', '..', '../..', `../../../../../${canary}`, `/${canary}`, `/${canary}/file`, 'a', 'link', '.', '', '/etc/passwd', 'a/b', 'missing', 'link/x'];
}

export function hostileEntry(canary: string): fc.Arbitrary<HostileEntry> {
  return fc.record(
    {
      name: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...hostileNames(canary)) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
      type: fc.constantFrom<HostileEntry['type']>('file', 'file', 'dir', 'symlink', 'symlink', 'hardlink', 'fifo', 'char'),
      linkname: fc.constantFrom(...hostileTargets(canary)),
      body: fc.string({ maxLength: 40 }),
      declaredSize: fc.option(fc.constantFrom(0, 1, 511, 513, 8 * 1024 ** 3, 2 ** 53, 77_777_777_777), { freq: 8 }).map((v) => v ?? undefined),
    },
    { requiredKeys: ['name', 'type', 'linkname', 'body'] },
  );
}

/** Damage applied to a well-formed archive. */
export type Damage = { kind: 'none' } | { kind: 'cut'; at: number } | { kind: 'flip'; at: number; xor: number } | { kind: 'gzip-garbage' } | { kind: 'append'; bytes: Uint8Array };

export const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Damage>({ kind: 'none' }) },
  { weight: 2, arbitrary: fc.nat().map((at): Damage => ({ kind: 'cut', at })) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }).map((r): Damage => ({ kind: 'flip', ...r })) },
  { weight: 1, arbitrary: fc.constant<Damage>({ kind: 'gzip-garbage' }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1100 }).map((bytes): Damage => ({ kind: 'append', bytes })) },
);

export function applyDamage(tar: Buffer, d: Damage): Buffer {
  switch (d.kind) {
    case 'none':
      return tar;
    case 'cut':
      return tar.subarray(0, d.at % (tar.length + 1));
    case 'flip': {
      if (tar.length === 0) return tar;
      const out = Buffer.from(tar);
      const i = d.at % out.length;
      out[i] = out[i]! ^ d.xor;
      return out;
    }
    case 'gzip-garbage': {
      // A gzip member whose tail is cut: the magic says gzip, the body is broken.
      const gz = gzipSync(tar);
      return gz.subarray(0, Math.max(10, gz.length >> 1));
    }
    case 'append':
      return Buffer.concat([tar, Buffer.from(d.bytes)]);
  }
}
