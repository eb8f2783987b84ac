// Time and disk of pulling each catalog image into a fresh root, per storage
// driver (run by hand after `npm run build`: `node bench/pull-catalog.mjs [name…]`).
// Each image is pulled into its own root, so no layer is shared and every
// figure is a cold pull: generation, hashing, the driver's writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog, pull } from '../dist/engine/catalog/index.js';
import { openImageStore } from '../dist/engine/images/index.js';
import { createDriver } from '../dist/storage/index.js';
import { openLayerStore } from '../dist/storage/layer-db.js';

function diskUsage(dir) {
  const seen = new Set();
  let total = 0;
  const walk = (p) => {
    const st = fs.lstatSync(p);
    if (!seen.has(st.ino)) {
      seen.add(st.ino);
      total += st.blocks * 512;
    }
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(dir);
  return total;
}

const mb = (n) => `${(n / 1e6).toFixed(1)}MB`;
const wanted = process.argv.slice(2);
const catalog = new Catalog();
const drivers = (process.env.DRIVERS ?? 'overlay2,vfs').split(',');
console.log(['image', 'driver', 'size', 'disk', 'pull', 'again'].join('\t'));
for (const { spec } of catalog.all()) {
  const ref = `${spec.repository}:${spec.tags[0]}`;
  if (wanted.length && !wanted.some((w) => ref.startsWith(w))) continue;
  for (const driverName of drivers) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-bench-pull-'));
    try {
      const layers = openLayerStore(root, createDriver(driverName, root));
      const store = openImageStore({ root, driver: driverName, layers });
      const t0 = process.hrtime.bigint();
      const res = await pull(store, ref, { catalog });
      const t1 = process.hrtime.bigint();
      await pull(store, ref, { catalog });
      const t2 = process.hrtime.bigint();
      const ms = (a, b) => `${(Number(b - a) / 1e6).toFixed(0)}ms`;
      console.log([ref, driverName, mb(store.size(res.image)), mb(diskUsage(root)), ms(t0, t1), ms(t1, t2)].join('\t'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
}
