import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, type SnapshotEntry } from '../../../src/engine/containers/list-snapshot-format.js';
import type { ListedRecord, MountPoint } from '../../../src/engine/containers/types.js';

const DIR = { ino: '7', size: 4096, mtime: '1795353539319151823', ctime: '1795353539319151823' };

const text = fc.string({ unit: 'binary', maxLength: 12 });
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const goTime = fc
  .tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 999 }))
  .map(([s, ms]) => new Date(s * 1000 + ms).toISOString().replace('.000Z', 'Z'));

const record: fc.Arbitrary<ListedRecord> = fc.record({
  ID: hex64,
  Name: text.map((n) => `/${n}`),
  Created: goTime,
  Image: fc.constantFrom('sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)),
  Path: fc.constantFrom('sh', 'nginx', 'ünïcode'),
  Args: fc.array(text, { maxLength: 3 }),
  State: fc.record({
    Running: fc.boolean(),
    Paused: fc.boolean(),
    Restarting: fc.boolean(),
    RemovalInProgress: fc.boolean(),
    Dead: fc.boolean(),
    ExitCode: fc.integer({ min: 0, max: 255 }),
    StartedAt: goTime,
    FinishedAt: goTime,
  }),
  Config: fc.oneof(
    fc.record({ Image: text, Labels: fc.option(fc.dictionary(text, text, { maxKeys: 2 }), { nil: null }) }),
    fc.record({ Image: text, Labels: fc.dictionary(text, text, { maxKeys: 2 }), ExposedPorts: fc.constant({ '80/tcp': {} }) }),
  ),
  NetworkSettings: fc.constantFrom({ Networks: { bridge: {} } }, { Networks: {} }, { Networks: { a: {}, b: {} } }),
  MountPoints: fc.constantFrom<Record<string, MountPoint>>(
    {},
    { '/data': { Source: '/v', Destination: '/data', RW: true, Name: 'v', Driver: 'local', Type: 'volume', Relabel: '', Propagation: '', Spec: {}, SkipMountpointCreation: false } },
  ),
  Mydock: fc.record({ ProcessPid: fc.nat(), ProcessStart: text, SizeRw: fc.option(fc.nat(), { nil: null }) }),
});

const entry: fc.Arbitrary<SnapshotEntry> = fc.record({
  ino: fc.nat().map(String),
  size: fc.nat(),
  mtime: fc.bigInt({ min: 0n, max: 2n ** 62n }).map(String),
  ctime: fc.bigInt({ min: 0n, max: 2n ** 62n }).map(String),
  record,
});

/** Without the frozen-ness and sharing, which toEqual does not see anyway. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('container list snapshot format', () => {
  it('reads back every record and identity, newest first, as ASCII', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entry, { maxLength: 8, selector: (e) => e.record.ID }), fc.boolean(), (entries, withDir) => {
        const encoded = encodeSnapshot(withDir ? DIR : null, entries);
        expect(/^[\x00-\x7f]*$/.test(encoded)).toBe(true);
        const decoded = decodeSnapshot(encoded)!;
        expect(decoded.dir).toEqual(withDir ? DIR : null);
        const byId = new Map(entries.map((e) => [e.record.ID, e]));
        expect(decoded.records.map((r) => plain(r))).toEqual(decoded.records.map((r) => plain(byId.get(r.ID)!.record)));
        expect(new Set(decoded.records.map((r) => r.ID))).toEqual(new Set(byId.keys()));
        for (let i = 1; i < decoded.records.length; i++) {
          expect(Date.parse(decoded.records[i - 1]!.Created)).toBeGreaterThanOrEqual(Date.parse(decoded.records[i]!.Created));
        }
        expect(decoded.entries().map((e) => [e.ino, e.size, e.mtime, e.ctime, e.record.ID])).toEqual(
          decoded.records.map((r) => {
            const e = byId.get(r.ID)!;
            return [e.ino, e.size, e.mtime, e.ctime, r.ID];
          }),
        );
      }),
    );
  });

  it('shares one frozen value among the records that have it', () => {
    const base = fc.sample(entry, { numRuns: 2, seed: 7 });
    const [a, b] = base.map((e, i) => ({ ...e, record: { ...e.record, ID: String(i).repeat(64), Config: { Image: 'busybox', Labels: { tier: 'web' } }, Args: ['-c', 'true'] } }));
    const { records } = decodeSnapshot(encodeSnapshot(null, [a!, b!]))!;
    expect(records[0]!.Config.Labels).toBe(records[1]!.Config.Labels);
    expect(records[0]!.Args).toBe(records[1]!.Args);
    expect(Object.isFrozen(records[0]!.Config.Labels)).toBe(true);
    expect(() => {
      'use strict';
      (records[0]!.Args as string[]).push('x');
    }).toThrow(TypeError);
  });

  it('drops a row whose shared value has the wrong shape, and then stands for no directory', () => {
    const [e] = fc.sample(entry, { numRuns: 1, seed: 3 });
    const snapshot = JSON.parse(encodeSnapshot(DIR, [e!])) as { shared: unknown[]; rows: unknown[][] };
    snapshot.shared[snapshot.rows[0]![4] as number] = 'not a command';
    const decoded = decodeSnapshot(JSON.stringify(snapshot))!;
    expect(decoded.records).toEqual([]);
    expect(decoded.dir).toBeNull();
  });

  it('serves records without parsing the identities, which are read only when asked', () => {
    const [e] = fc.sample(entry, { numRuns: 1, seed: 5 });
    const snapshot = JSON.parse(encodeSnapshot(DIR, [e!])) as { identities: string };
    snapshot.identities = '[[damaged';
    const decoded = decodeSnapshot(JSON.stringify(snapshot))!;
    expect(decoded.records.map((r) => r.ID)).toEqual([e!.record.ID]);
    expect(decoded.dir).toEqual(DIR);
    expect(decoded.entries()).toEqual([]);
  });
});
