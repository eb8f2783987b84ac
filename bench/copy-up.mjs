// Copy-up through the storage API: the first append to a 100MB file of an
// image layer copies the whole file into the container's layer (overlay2).
// Set beside `cp` of the very same file on the host (target: at most 1.5x).
// Run by hand after a build (`npm run bench copy-up`); prints its figures.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createDriver } from '../dist/storage/index.js';
import { openLayerStore } from '../dist/storage/layer-db.js';
import { encodeHeader, padding, TRAILER } from '../dist/storage/tar/header.js';

const MB = Number(process.env.BENCH_MB ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SIZE = MB * 1_000_000;

function* imageTar() {
  yield encodeHeader({ name: 'big', typeflag: '0', mode: 0o100644, uid: 0, gid: 0, size: SIZE, mtime: 0, linkname: '', devmajor: 0, devminor: 0 });
  for (let left = SIZE; left > 0; left -= 1_000_000) yield randomBytes(Math.min(left, 1_000_000));
  const pad = padding(SIZE);
  if (pad) yield Buffer.alloc(pad);
  yield TRAILER;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-bench-copyup-'));
try {
  const store = openLayerStore(root, createDriver('overlay2', root));
  const image = await store.register(Readable.from(imageTar()), null);

  const copyUps = [];
  for (let i = 0; i < RUNS; i++) {
    store.createRwLayer(`c${i}`, image.chainId, { hostname: `c${i}` });
    const view = store.rwView(`c${i}`);
    const t = performance.now();
    const h = view.open('/big', { write: true, append: true });
    h.write(Buffer.from('x\n'));
    h.close();
    copyUps.push(performance.now() - t);
    store.removeRwLayer(`c${i}`);
  }

  // The image layer's own file on the host, which the copy-up read.
  const source = fs
    .readdirSync(root, { recursive: true })
    .map((p) => path.join(root, p))
    .find((p) => p.endsWith(`${path.sep}diff${path.sep}big`) && fs.statSync(p).size === SIZE);
  if (!source) throw new Error('copy-up bench: the image layer file was not found');
  const target = path.join(root, 'cp-target');
  const cps = [];
  for (let i = 0; i < RUNS; i++) {
    fs.rmSync(target, { force: true });
    const t = performance.now();
    const r = spawnSync('cp', [source, target], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('copy-up bench: cp failed');
    cps.push(performance.now() - t);
  }

  console.log(`copy-up of ${MB}MB on first append (overlay2, ${RUNS} fresh container layers): median ${fmt(median(copyUps))}, best ${fmt(Math.min(...copyUps))}`);
  console.log(`cp of the same file: median ${fmt(median(cps))}, best ${fmt(Math.min(...cps))}`);
  console.log(`ratio (medians): ${(median(copyUps) / median(cps)).toFixed(2)}x (target at most 1.5x)`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
