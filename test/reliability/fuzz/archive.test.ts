/**
 * `load` and `import` through the engine on hostile archives: an image, or a
 * MydockError with Docker's text ("Error processing tar file(exit status 1):
 * ...", "invalid diffID ...", "open x: no such file or directory"); nothing
 * written outside the root; the root's temporary directory left empty.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openEngine, type Engine } from '../../../src/engine/engine.js';
import { MydockError } from '../../../src/engine/errors.js';
import { applyDamage, damage, hostileEntry, hostileNames, hostileTar, type HostileEntry } from '../hostile-tar.js';
import { fingerprint, plantCanary, topNames } from '../canary.js';
import { assertOptions, budgetMs, classifyAsync, fuzzRuns, Tally } from './harness.js';

const acceptArchive = (err: unknown): string | null => (err instanceof MydockError ? null : 'not a MydockError');

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A docker-save archive (legacy layout) whose parts an attacker controls. */
function saveArchive(layer: Buffer, parts: { layerPath: string; configPath: string; repoTag: string; diffIdOk: boolean; extra: HostileEntry[] }): Buffer {
  const diffId = `sha256:${parts.diffIdOk ? sha(layer) : 'e'.repeat(64)}`;
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] }, history: [{ created_by: 'x' }] }));
  const manifest = JSON.stringify([{ Config: parts.configPath, RepoTags: [parts.repoTag], Layers: [parts.layerPath] }]);
  const entries: HostileEntry[] = [
    ...parts.extra,
    { name: parts.configPath, type: 'file', linkname: '', body: config.toString('latin1') },
    { name: parts.layerPath, type: 'file', linkname: '', body: layer.toString('latin1') },
    { name: 'manifest.json', type: 'file', linkname: '', body: manifest },
  ];
  return hostileTar(entries.map((e) => ({ ...e, body: e.body })), true);
}

describe('fuzz: load and import (engine)', () => {
  let dir: string;
  let canary: string;
  let before: string[];
  let engine: Engine;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-fuzz-archive-'));
    canary = path.join(dir, 'canary');
    plantCanary(canary);
    before = fingerprint(canary);
    engine = await openEngine({ root: path.join(dir, 'root') });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const runs = Math.max(200, Math.floor(fuzzRuns() / 10));

  it(`import: an image or Docker's error (${runs} runs)`, async () => {
    const tally = new Tally('archive.import');
    const canaryName = path.basename(canary);
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEntry(canaryName), { maxLength: 6 }), damage, fc.boolean(), async (entries, d, gz) => {
        let bytes = applyDamage(hostileTar(entries), d);
        if (gz) bytes = gzipSync(bytes);
        tally.add(await classifyAsync(() => engine.archive.import({ source: Readable.from([bytes]), sourceName: '-' }), acceptArchive));
      }),
      assertOptions(runs),
    );
    tally.report();
    expect(fingerprint(canary)).toEqual(before);
    expect(topNames(dir)).toEqual(['canary', 'root']);
  }, budgetMs(40, 200));

  it(`load: images or Docker's error (${runs} runs)`, async () => {
    const tally = new Tally('archive.load');
    const canaryName = path.basename(canary);
    const member = fc.constantFrom('layer.tar', 'abc/layer.tar', `../../../${canaryName}/file`, `/${canaryName}/file`, 'missing.tar', 'manifest.json', '', 'x/../layer.tar');
    const config = fc.constantFrom('config.json', `../${canaryName}/file`, `/${canaryName}/sub/secret`, 'layer.tar', 'nope.json', '');
    const tag = fc.constantFrom('fuzz:1', 'FUZZ:1', 'fuzz@sha256:' + 'a'.repeat(64), 'fuzz', '', ':', 'a'.repeat(300));
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileEntry(canaryName), { maxLength: 4 }),
        member,
        config,
        tag,
        fc.boolean(),
        fc.array(fc.record({ name: fc.constantFrom(...hostileNames(canaryName), 'layer.tar', 'config.json'), type: fc.constantFrom<HostileEntry['type']>('symlink', 'hardlink', 'dir', 'file'), linkname: fc.constantFrom('/', `../${canaryName}`, `/${canaryName}/file`, 'layer.tar'), body: fc.constant('') }), { maxLength: 3 }),
        damage,
        fc.boolean(),
        async (layerEntries, layerPath, configPath, repoTag, diffIdOk, extra, d, gz) => {
          const layer = hostileTar(layerEntries);
          let bytes = applyDamage(saveArchive(layer, { layerPath, configPath, repoTag, diffIdOk, extra }), d);
          if (gz) bytes = gzipSync(bytes);
          tally.add(await classifyAsync(() => engine.archive.load(Readable.from([bytes])), acceptArchive));
        },
      ),
      assertOptions(runs),
    );
    tally.report();
    expect(fingerprint(canary)).toEqual(before);
    expect(topNames(dir)).toEqual(['canary', 'root']);
    const tmp = path.join(dir, 'root', 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  }, budgetMs(40, 200));
});
