/**
 * The content hashes the classic builder writes into COPY/ADD history rows
 * (`COPY file:<hash> in /x `, `dir:<hash>`, `multi:<hash>`).
 *
 * The daemon computes them with tarsum v1 over the context tar the CLI sent:
 * per entry, sha256 of the selected header fields (name, mode, uid, gid,
 * size, typeflag, linkname, uname, gname, devmajor, devminor — mtime is not
 * one of them, so touching a file keeps the cache) followed by the body.
 * The CLI writes every entry as 0:0 with Go's FileInfoHeader modes, and
 * uname/gname are blanked for compatibility, so the hash depends only on
 * the path, permissions, type, link target and content.
 */
import { createHash, type Hash } from 'node:crypto';

export interface SumHeader {
  /** Tar name: "a/b.txt", "dir/" for a directory. */
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  typeflag: string;
  linkname: string;
}

/** A hasher primed with the header fields; feed it the body and take `digest('hex')`. */
export function tarsumStart(h: SumHeader): Hash {
  const hash = createHash('sha256');
  const fields: [string, string][] = [
    ['name', h.name],
    ['mode', String(h.mode)],
    ['uid', String(h.uid)],
    ['gid', String(h.gid)],
    ['size', String(h.size)],
    ['typeflag', h.typeflag],
    ['linkname', h.linkname],
    ['uname', ''],
    ['gname', ''],
    ['devmajor', '0'],
    ['devminor', '0'],
  ];
  for (const [k, v] of fields) hash.update(k + v);
  return hash;
}

/** hashStringSlice: "dir:" / "multi:" + sha256 of the hashes joined with ",". */
export function hashStringSlice(prefix: string, hashes: readonly string[]): string {
  return `${prefix}:${createHash('sha256').update(hashes.join(',')).digest('hex')}`;
}
