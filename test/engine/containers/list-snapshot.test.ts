import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRecords, type ListSource } from '../../../src/engine/containers/list-snapshot.js';
import type { ContainerService } from '../../../src/engine/containers/service.js';
import { ContainerStore } from '../../../src/engine/containers/store.js';
import type { ContainerRecord } from '../../../src/engine/containers/types.js';
import { checkRoot } from '../../../src/engine/system/check/index.js';
import { openRoot, type RootLayout } from '../../../src/state/root.js';
import { makeService } from './fakes.js';

let dir: string;
let layout: RootLayout;
let svc: ContainerService;
let store: ContainerStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-ctr-list-'));
  svc = await makeService(dir);
  layout = await openRoot(dir);
  store = new ContainerStore(layout);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const configFile = (id: string) => path.join(layout.containersDir, id, 'config.v2.json');

/** The store's own source, counting the records read in full. */
function source(): ListSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    file: layout.containerListFile,
    dir: layout.containersDir,
    ids: () => store.ids(),
    configFile,
    read(id) {
      reads.push(id);
      return JSON.parse(fs.readFileSync(configFile(id), 'utf8')) as ContainerRecord;
    },
  };
}

/** Records written in a test are seconds old at most: list as if later, so that the snapshot keeps them. */
const later = () => Date.now() + 60_000;

const names = (records: { Name: string }[]) => records.map((r) => r.Name).sort();

/**
 * File times come from a clock that moves once per kernel tick: the tests
 * list as if later (so that entries are kept), which lifts the guard against
 * two writes within one tick, so they wait a tick before changing a record.
 */
const pastClockTick = () => new Promise((resolve) => setTimeout(resolve, 25));

describe('container list snapshot', () => {
  it('reads each record once, then only what changed', async () => {
    const a = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    const b = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'bb' });
    const first = source();
    expect(names(listRecords(first, later()))).toEqual(['/aa', '/bb']);
    expect(first.reads.sort()).toEqual([a, b].sort());
    expect(fs.existsSync(layout.containerListFile)).toBe(true);

    const second = source();
    expect(names(listRecords(second, later()))).toEqual(['/aa', '/bb']);
    expect(second.reads).toEqual([]);

    await pastClockTick();
    await svc.rename('bb', 'cc');
    const third = source();
    expect(names(listRecords(third, later()))).toEqual(['/aa', '/cc']);
    expect(third.reads).toEqual([b]);
  });

  it('does not see a record rewritten by hand until the containers directory changes, as dockerd would not', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aaaa' });
    listRecords(source(), later());
    const file = configFile(id);
    const before = fs.statSync(file);
    await pastClockTick();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"/aaaa"', '"/bbbb"'));
    expect(fs.statSync(file).size).toBe(before.size);
    const unseen = source();
    expect(names(listRecords(unseen, later()))).toEqual(['/aaaa']);
    expect(unseen.reads).toEqual([]);
    // Any change to the directory (here a touch) sends the next listing to the records, which finds the edit.
    fs.utimesSync(layout.containersDir, new Date(), new Date());
    const seen = source();
    expect(names(listRecords(seen, later()))).toEqual(['/bbbb']);
    expect(seen.reads).toEqual([id]);
  });

  it('stats no record while the containers directory is as the snapshot recorded it', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    listRecords(source(), later());
    const statted: string[] = [];
    const watching = { ...source(), configFile: (id: string) => (statted.push(id), configFile(id)) };
    expect(names(listRecords(watching, later()))).toEqual(['/aa']);
    expect(statted).toEqual([]);
  });

  it('trusts the directory only once it has settled, and only when every record was kept', async () => {
    const a = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    // Listed now: the directory changed moments ago, so the next listing stats the records again.
    listRecords(source());
    const statted: string[] = [];
    listRecords({ ...source(), configFile: (id: string) => (statted.push(id), configFile(id)) }, later());
    expect(statted).toEqual([a]);
  });

  it('sees changes another process makes: a rename, a new container, a removal', async () => {
    const a = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    const b = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'bb' });
    expect(names(store.listed().map((c) => c.record))).toEqual(['/aa', '/bb']);
    listRecords(source(), later());
    // Another process replaces one record atomically and copies another container's directory under a new ID.
    const script = `
      const fs = require('node:fs');
      const [file, copyFrom, copyTo] = process.argv.slice(1);
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      r.Name = '/renamed';
      fs.writeFileSync(file + '.tmp', JSON.stringify(r));
      fs.renameSync(file + '.tmp', file);
      fs.cpSync(copyFrom, copyTo, { recursive: true });
      const c = JSON.parse(fs.readFileSync(copyTo + '/config.v2.json', 'utf8'));
      c.ID = require('node:path').basename(copyTo);
      c.Name = '/copy';
      fs.writeFileSync(copyTo + '/config.v2.json', JSON.stringify(c));
    `;
    const copyId = 'f'.repeat(64);
    execFileSync(process.execPath, ['-e', script, configFile(a), path.join(layout.containersDir, b), path.join(layout.containersDir, copyId)]);
    expect(names(listRecords(source(), later()))).toEqual(['/bb', '/copy', '/renamed']);
    await svc.remove('bb');
    expect(names(listRecords(source(), later()))).toEqual(['/copy', '/renamed']);
    const snapshot = JSON.parse(fs.readFileSync(layout.containerListFile, 'utf8')) as { rows: string[][] };
    expect(snapshot.rows.map((e) => e[1]).sort()).toEqual(['/copy', '/renamed']);
  });

  it('keeps no entry for a record changed just now: its file times may not tell the next change apart', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    listRecords(source());
    const again = source();
    listRecords(again);
    expect(again.reads).toEqual([id]);
    listRecords(source(), later());
    const settled = source();
    listRecords(settled, later());
    expect(settled.reads).toEqual([]);
  });

  it.each([
    ['garbage', 'not json at all \u0000\u00ff'],
    ['truncated', '{"format":"mydock container list","version":3,"dir":null,"shared":[],"rows":[["1",'],
    ['another format', JSON.stringify({ format: 'something else', version: 1, entries: [] })],
    ['another version', JSON.stringify({ format: 'mydock container list', version: 2, dir: null, images: [], entries: [] })],
    ['rows of the wrong shape', JSON.stringify({ format: 'mydock container list', version: 3, dir: null, shared: ['x'], rows: [null, 3, { ino: 1 }, ['1', 1, '1', '1', 'x'], ['a'.repeat(64), '/aa', '2026-11-22T10:00:00Z', 7, 0, 0, 0, '', '', 0, 0, 0, 0, 0, 0, '', null]], identities: '[]' })],
    ['an empty file', ''],
  ])('ignores a snapshot that is %s, and replaces it', async (_what, content) => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'bb' });
    fs.mkdirSync(path.dirname(layout.containerListFile), { recursive: true });
    fs.writeFileSync(layout.containerListFile, content);
    const listing = source();
    expect(names(listRecords(listing, later()))).toEqual(['/aa', '/bb']);
    expect(listing.reads).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(layout.containerListFile, 'utf8'))).toMatchObject({ format: 'mydock container list' });
    expect(names((await svc.list({ all: true })).map((v) => v.record))).toEqual(['/aa', '/bb']);
  });

  it('uses an entry only while its record keeps the identity it was read with', async () => {
    const a = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    listRecords(source(), later());
    // An entry changed in the snapshot alone is what a listing shows: the snapshot is read, not the record...
    const snapshot = JSON.parse(fs.readFileSync(layout.containerListFile, 'utf8')) as { dir: unknown; rows: unknown[][] };
    snapshot.rows[0]![1] = '/from-the-snapshot';
    // (without the directory's identity, so that each record's is checked)
    snapshot.dir = null;
    fs.writeFileSync(layout.containerListFile, JSON.stringify(snapshot));
    expect(names(listRecords(source(), later()))).toEqual(['/from-the-snapshot']);
    // ...until the record's file changes in any way, here only its times (and the directory is touched, as mydock's writes do).
    await pastClockTick();
    fs.utimesSync(configFile(a), new Date(), new Date());
    fs.utimesSync(layout.containersDir, new Date(), new Date());
    expect(names(listRecords(source(), later()))).toEqual(['/aa']);
  });

  it('does not let a snapshot missing an entry stand for the directory', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'bb' });
    listRecords(source(), later());
    const snapshot = JSON.parse(fs.readFileSync(layout.containerListFile, 'utf8')) as { dir: unknown; rows: unknown[][] };
    expect(snapshot.dir).not.toBeNull();
    snapshot.rows[1] = ['damaged'];
    fs.writeFileSync(layout.containerListFile, JSON.stringify(snapshot));
    const listing = source();
    expect(names(listRecords(listing, later()))).toEqual(['/aa', '/bb']);
    expect(listing.reads).toHaveLength(1);
  });

  it('keeps names and labels beyond ASCII', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa', labels: { 'café': 'naïve ☕ 😀' } });
    listRecords(source(), later());
    const [record] = listRecords(source(), later());
    expect(record!.Config.Labels).toEqual({ 'café': 'naïve ☕ 😀' });
    expect(fs.readFileSync(layout.containerListFile).every((b) => b < 0x80)).toBe(true);
  });

  it('lists without keeping a snapshot where it cannot be written', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    // A directory where the snapshot file belongs: writing it fails, as on a read-only root.
    fs.mkdirSync(layout.containerListFile, { recursive: true });
    expect(names(listRecords(source(), later()))).toEqual(['/aa']);
    expect(names(listRecords(source(), later()))).toEqual(['/aa']);
    expect(fs.readdirSync(path.dirname(layout.containerListFile))).toEqual([path.basename(layout.containerListFile)]);
  });

  it('serves lookups by name and by ID prefix, read in full', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'web' });
    listRecords(source(), later());
    const c = store.find('web')!;
    expect(c.record.ID).toBe(id);
    expect(c.record.LogPath).toContain(id);
    expect(c.host.RestartPolicy.Name).toBe('no');
    expect(store.find(id.slice(0, 6))!.record.Config.Cmd).toEqual(['sh']);
    expect(store.find('nope')).toBeNull();
  });

  it('is not a problem for system check, and a repair drops it', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    listRecords(source(), later());
    const report = await checkRoot(dir, { verifyContents: false });
    expect(report.findings.filter((f) => /mydock|container-list/.test(f.message))).toEqual([]);
    // (These containers' layers live in memory: the repair removes them, their records being all it finds.)
    await checkRoot(dir, { repair: true, verifyContents: false });
    expect(fs.existsSync(layout.containerListFile)).toBe(false);
    expect(names(listRecords(source(), later()))).toEqual(names(store.all().map((c) => c.record)));
  });

  it('names a temporary snapshot left by an interrupted listing as a leftover', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'aa' });
    listRecords(source(), later());
    const leftover = path.join(path.dirname(layout.containerListFile), `.${path.basename(layout.containerListFile)}.tmp-123-0123abcd`);
    fs.writeFileSync(leftover, '{');
    const report = await checkRoot(dir, { verifyContents: false, minAgeMs: 0 });
    expect(report.findings.map((f) => f.message)).toContain(`${path.relative(dir, leftover)}: left over from an interrupted write`);
  });
});
