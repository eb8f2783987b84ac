/**
 * apk's database of installed packages, `/lib/apk/db/installed`: one record
 * per package, records separated by a blank line, each line `<letter>:<value>`
 * (P name, V version, I installed size, D dependencies, F a directory and
 * R the files in it with Z their checksums). apk rewrites the whole file on
 * every change, which is why a Dockerfile's `RUN apk add` layer always holds
 * a fresh copy of it.
 */
import { createHash } from 'node:crypto';
import type { WrittenFile } from './contents.js';
import type { PackageSpec } from './spec.js';

export const INSTALLED = '/lib/apk/db/installed';
export const WORLD = '/etc/apk/world';
export const SCRIPTS = '/lib/apk/db/scripts.tar';
export const TRIGGERS = '/lib/apk/db/triggers';

export interface ApkRecord {
  name: string;
  version: string;
  installedSize: number;
  /** The record's lines as stored (kept verbatim when rewriting). */
  lines: string[];
}

export function parseInstalled(text: string): ApkRecord[] {
  const out: ApkRecord[] = [];
  for (const block of text.split(/\n\n+/)) {
    const lines = block.split('\n').filter((l) => l !== '');
    if (lines.length === 0) continue;
    const get = (k: string): string => lines.find((l) => l.startsWith(`${k}:`))?.slice(2) ?? '';
    out.push({ name: get('P'), version: get('V'), installedSize: Number(get('I')) || 0, lines });
  }
  return out;
}

export function serializeInstalled(records: readonly ApkRecord[]): string {
  return records.map((r) => `${r.lines.join('\n')}\n\n`).join('');
}

/** apk's checksum notation: "Q1" and the base64 of a sha1. */
export function q1(digest: Buffer): string {
  return `Q1${digest.toString('base64')}`;
}

/** The package's identity checksum (C:), stable for a name and version. */
export function packageChecksum(p: PackageSpec): string {
  return q1(createHash('sha1').update(`${p.name}-${p.version}`).digest());
}

/** A new record for a package whose files were just written. */
export function recordFor(p: PackageSpec, arch: string, files: readonly WrittenFile[]): ApkRecord {
  const digest = createHash('sha1').update(`${p.name}-${p.version}`).digest('hex');
  const lines = [
    `C:${packageChecksum(p)}`,
    `P:${p.name}`,
    `V:${p.version}`,
    `A:${arch}`,
    `S:${p.size}`,
    `I:${p.installedSize}`,
    `T:${p.description}`,
    `U:${p.url ?? ''}`,
    `L:${p.license ?? ''}`,
    `o:${p.name}`,
    'm:Natanael Copa <ncopa@alpinelinux.org>',
    't:1676000000',
    `c:${digest}`,
  ];
  if (p.depends.length > 0) lines.push(`D:${p.depends.join(' ')}`);
  if (p.provides && p.provides.length > 0) lines.push(`p:${p.provides.join(' ')}`);
  let dir: string | null = null;
  for (const f of [...files].sort((a, b) => dirOf(a.path).localeCompare(dirOf(b.path)))) {
    const d = dirOf(f.path);
    if (d !== dir) {
      lines.push(`F:${d}`);
      dir = d;
    }
    lines.push(`R:${f.path.slice(f.path.lastIndexOf('/') + 1)}`);
    if (f.kind === 'file' && f.mode !== 0o644) lines.push(`a:0:0:${f.mode.toString(8)}`);
    lines.push(`Z:${q1(f.sha1)}`);
  }
  return { name: p.name, version: p.version, installedSize: p.installedSize, lines };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}
