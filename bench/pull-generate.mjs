// Generation cost of each catalog image (hashing only, nothing written), and
// the pins it produces. After editing a fixture, `npm run build` then
// `node bench/pull-generate.mjs --write [file.json…]` stores the new pins.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CATALOG_DIR, computePins } from '../dist/engine/catalog/index.js';

const write = process.argv.includes('--write');
const only = process.argv.filter((a) => a.endsWith('.json'));
console.log(['fixture', 'size', 'tar bytes', 'generate', 'pins'].join('\t'));
for (const name of fs.readdirSync(DEFAULT_CATALOG_DIR).filter((n) => n.endsWith('.json')).sort()) {
  if (only.length && !only.includes(name)) continue;
  const file = path.join(DEFAULT_CATALOG_DIR, name);
  const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
  const t0 = process.hrtime.bigint();
  const p = computePins(spec);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const pins = { diffIds: p.diffIds, id: p.id, digest: p.digest, size: p.size };
  const same = JSON.stringify(spec.pins) === JSON.stringify(pins);
  const bytes = p.layerBytes.reduce((a, b) => a + b, 0);
  console.log([name, p.size, bytes, `${ms.toFixed(0)}ms`, same ? 'ok' : write ? 'updated' : 'STALE'].join('\t'));
  if (write && !same) {
    spec.pins = pins;
    fs.writeFileSync(file, `${JSON.stringify(spec, null, 1)}\n`);
  }
}
