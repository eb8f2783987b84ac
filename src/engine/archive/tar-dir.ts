/**
 * A host directory as a tar stream, as moby's archive.Tar(dir, Uncompressed)
 * writes the directory `save` assembled: filepath.Walk order (names sorted
 * bytewise, depth first, the root left out), directories ending in "/",
 * times to the second, everything owned by root (uid 0, named "root": the
 * daemon's files, as Go's FileInfoHeader names their owner).
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeHeader, padding, TRAILER } from '../../storage/tar/header.js';
import { compareBytes } from '../../storage/paths.js';
import { S_IFDIR, S_IFLNK, S_IFREG } from '../../storage/host-stat.js';

const CHUNK = 1 << 20;

function* fileBody(file: string, size: number): Generator<Buffer> {
  const fd = fs.openSync(file, 'r');
  try {
    let pos = 0;
    while (pos < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) throw new Error(`${file} shrank while it was archived`);
      pos += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
  const pad = padding(size);
  if (pad) yield Buffer.alloc(pad);
}

export function* tarDirectory(root: string): Generator<Buffer> {
  function* walk(rel: string): Generator<Buffer> {
    const dir = path.join(root, rel);
    for (const name of fs.readdirSync(dir).sort(compareBytes)) {
      const relName = rel === '' ? name : `${rel}/${name}`;
      const full = path.join(dir, name);
      const st = fs.lstatSync(full);
      const mtime = Math.floor(st.mtimeMs / 1000);
      const common = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime, devmajor: 0, devminor: 0 };
      if (st.isDirectory()) {
        yield encodeHeader({ ...common, name: `${relName}/`, typeflag: '5', mode: S_IFDIR | (st.mode & 0o7777), size: 0, linkname: '' });
        yield* walk(relName);
      } else if (st.isSymbolicLink()) {
        yield encodeHeader({ ...common, name: relName, typeflag: '2', mode: S_IFLNK | 0o777, size: 0, linkname: fs.readlinkSync(full) });
      } else if (st.isFile()) {
        yield encodeHeader({ ...common, name: relName, typeflag: '0', mode: S_IFREG | (st.mode & 0o7777), size: st.size, linkname: '' });
        yield* fileBody(full, st.size);
      }
    }
  }
  yield* walk('');
  yield TRAILER;
}
