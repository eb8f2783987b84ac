/**
 * Layer tars, the input of `load`, `import` and pulls: the reader gives
 * entries or "invalid tar"; registering a hostile tar in a layer store gives
 * a layer or a StorageError, leaves no half-made layer behind, and never
 * writes outside the root (a canary beside the root stays unchanged).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTar } from '../../../src/storage/tar/reader.js';
import { StorageError } from '../../../src/storage/errors.js';
import { FsError } from '../../../src/storage/backend.js';
import { createDriver } from '../../../src/storage/index.js';
import { openLayerStore } from '../../../src/storage/layer-db.js';
import type { DriverName } from '../../../src/storage/driver.js';
import { applyDamage, damage, hostileEntry, hostileTar } from '../hostile-tar.js';
import { fingerprint, plantCanary, topNames } from '../canary.js';
import { assertOptions, budgetMs, classifyAsync, fuzzRuns, Tally } from './harness.js';

const acceptReader = (err: unknown): string | null =>
  err instanceof StorageError && err.code === 'INVALID_TAR' ? null : 'not an INVALID_TAR StorageError';

// FsError is storage's typed error for a filesystem refusal (a file entry named "/" gives
// EISDIR); it is tallied apart, since Docker's wording for those cases differs.
const acceptRegister = (err: unknown): string | null => (err instanceof StorageError || err instanceof FsError ? null : 'not a StorageError');

const NOOP = { entry: () => {}, data: () => {}, endEntry: () => {}, trailer: () => {} };

describe('fuzz: tar reader', () => {
  it('entries or "invalid tar", for damaged archives and raw bytes', async () => {
    const tally = new Tally('tar.parseTar');
    const input = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(fc.array(hostileEntry('canary'), { maxLength: 6 }), fc.boolean(), damage).map(([es, t, d]) => applyDamage(hostileTar(es, t), d)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
    );
    await fc.assert(
      fc.asyncProperty(input, fc.integer({ min: 1, max: 700 }), async (bytes, chunk) => {
        // Feed in odd-sized chunks: state carried across chunk edges is where readers break.
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
        tally.add(await classifyAsync(() => parseTar(Readable.from(chunks), NOOP), acceptReader));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(2));
});

for (const driverName of ['overlay2', 'vfs'] as const satisfies readonly DriverName[]) {
  describe(`fuzz: layer store register (${driverName})`, () => {
    let dir: string;
    let root: string;
    let canary: string;
    let before: string[];
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-fuzz-tar-'));
      root = path.join(dir, 'root');
      canary = path.join(dir, 'canary');
      plantCanary(canary);
      before = fingerprint(canary);
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    // Registering touches the disk: a tenth of the parser runs.
    const runs = Math.max(200, Math.floor(fuzzRuns() / 10));
    it(`a layer or a StorageError; nothing outside the root (${runs} runs)`, async () => {
      const store = openLayerStore(root, createDriver(driverName, root));
      const tally = new Tally(`tar.register.${driverName}`);
      const canaryName = path.basename(canary);
      await fc.assert(
        fc.asyncProperty(fc.array(hostileEntry(canaryName), { minLength: 1, maxLength: 6 }), damage, async (entries, d) => {
          const bytes = applyDamage(hostileTar(entries), d);
          tally.add(await classifyAsync(() => store.register(Readable.from([bytes]), null), acceptRegister));
        }),
        assertOptions(runs),
      );
      tally.report();
      expect(fingerprint(canary)).toEqual(before);
      expect(topNames(dir)).toEqual(['canary', 'root']);
      // Every layer directory the driver holds belongs to a registered layer (failed registers clean up).
      const cacheIds = new Set(store.list().map((l) => l.cacheId));
      const home = driverName === 'vfs' ? path.join(root, 'vfs', 'dir') : path.join(root, 'overlay2');
      const driverDirs = fs.readdirSync(home).filter((n) => n !== 'l');
      expect(driverDirs.filter((n) => !cacheIds.has(n))).toEqual([]);
    }, budgetMs(30, 200));
  });
}
