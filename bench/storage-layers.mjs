// 100 container layers on a 63MB image, through the storage API: how long it
// takes and how much disk it costs, overlay2 against vfs. Run by hand after a
// build (`npm run bench storage`); prints its figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createDriver } from '../dist/storage/index.js';
import { openLayerStore } from '../dist/storage/layer-db.js';
import { allocatedBytes } from '../dist/storage/layout.js';
import { encodeHeader, padding, TRAILER } from '../dist/storage/tar/header.js';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 100);
const MB = 1024 * 1024;

/** A 63MB image layer: 60 files of 1MB, 3MB of small files, some directories. */
function* imageTar() {
  const dir = (name) => encodeHeader({ name, typeflag: '5', mode: 0o40755, uid: 0, gid: 0, size: 0, mtime: 0, linkname: '', devmajor: 0, devminor: 0 });
  const file = function* (name, body) {
    yield encodeHeader({ name, typeflag: '0', mode: 0o100644, uid: 0, gid: 0, size: body.length, mtime: 0, linkname: '', devmajor: 0, devminor: 0 });
    yield body;
    const pad = padding(body.length);
    if (pad) yield Buffer.alloc(pad);
  };
  yield dir('usr/');
  yield dir('usr/lib/');
  for (let i = 0; i < 60; i++) yield* file(`usr/lib/big${i}.so`, randomBytes(MB));
  yield dir('etc/');
  for (let i = 0; i < 768; i++) yield* file(`etc/conf${i}`, randomBytes(4096));
  yield* file('etc/passwd', Buffer.from('root:x:0:0:root:/root:/bin/sh\n'));
  yield dir('tmp/');
  yield TRAILER;
}

const human = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)}GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}MB` : `${(n / 1e3).toFixed(1)}kB`);

const rows = [];
for (const name of ['overlay2', 'vfs']) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-bench-'));
  try {
    const driver = createDriver(name, root);
    const store = openLayerStore(root, driver);
    let t = performance.now();
    const image = await store.register(Readable.from(imageTar()), null);
    const registerMs = performance.now() - t;
    const imageDisk = allocatedBytes(root);

    t = performance.now();
    for (let i = 0; i < CONTAINERS; i++) store.createRwLayer(`c${i}`, image.chainId, { hostname: `c${i}` });
    const createMs = performance.now() - t;
    const afterCreate = allocatedBytes(root);

    // Each container appends to one 1MB library (a copy-up on overlay2) and writes a small file.
    t = performance.now();
    for (let i = 0; i < CONTAINERS; i++) {
      const v = store.rwView(`c${i}`);
      const h = v.open('/usr/lib/big0.so', { write: true, append: true });
      h.write(Buffer.from('patched'));
      h.close();
      const f = v.open('/tmp/out', { write: true, create: true });
      f.write(Buffer.from('hello'));
      f.close();
    }
    const writeMs = performance.now() - t;
    const afterWrite = allocatedBytes(root);

    t = performance.now();
    let sizeRw = 0;
    for (let i = 0; i < CONTAINERS; i++) sizeRw += store.rwSize(`c${i}`);
    const sizeMs = performance.now() - t;

    rows.push({
      driver: name,
      'register image': `${registerMs.toFixed(0)}ms`,
      'image on disk': human(imageDisk),
      [`create ${CONTAINERS}`]: `${createMs.toFixed(0)}ms`,
      'disk after create': human(afterCreate - imageDisk),
      'write in each': `${writeMs.toFixed(0)}ms`,
      'disk after writes': human(afterWrite - imageDisk),
      'sum of SIZE': human(sizeRw),
      'size all': `${sizeMs.toFixed(0)}ms`,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
console.table(rows);
