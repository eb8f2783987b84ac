import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRoot, type RootLayout } from '../../../src/state/root.js';
import { VolumeService, type VolumeUsers } from '../../../src/engine/volumes/service.js';
import { prepopulate } from '../../../src/engine/volumes/prepopulate.js';
import { MemoryBackend } from '../../../src/storage/memory.js';

let dir: string;
let root: RootLayout;
let users: Map<string, string[]>;
let svc: VolumeService;
const fakeUsers: VolumeUsers = {
  usersOf: (n) => users.get(n) ?? [],
  runningUsersOf: () => [],
};

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-vol-'));
  root = await openRoot(path.join(dir, 'root'));
  users = new Map();
  svc = new VolumeService(root, fakeUsers, () => new Date('2026-01-02T03:04:05.678Z'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('volume service', () => {
  it('creates under <root>/volumes/NAME/_data and keeps the first labels on re-create', async () => {
    await svc.create({ name: 'data_volume', labels: { a: 'b' } });
    await svc.create({ name: 'data_volume', labels: { c: 'd' } });
    expect(svc.inspect('data_volume')).toEqual({
      CreatedAt: '2026-01-02T03:04:05Z',
      Driver: 'local',
      Labels: { a: 'b' },
      Mountpoint: path.join(root.path, 'volumes', 'data_volume', '_data'),
      Name: 'data_volume',
      Options: null,
      Scope: 'local',
    });
    expect(fs.statSync(svc.mountpoint('data_volume')).isDirectory()).toBe(true);
  });

  it('volumes created without labels have null labels (volume create and mounts alike); anonymous ones get a 64-hex name', async () => {
    expect((await svc.create({ name: 'auto' })).Labels).toBeNull();
    expect((await svc.create({ name: 'plain', labels: {} })).Labels).toBeNull();
    expect(svc.inspect('plain').Labels).toBeNull();
    const anon = await svc.create({});
    expect(anon.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(anon.Anonymous).toBe(true);
  });

  it('refuses to remove a volume in use, naming the containers; keeps its data', async () => {
    await svc.create({ name: 'vv' });
    fs.writeFileSync(path.join(svc.mountpoint('vv'), 'f'), 'data');
    users.set('vv', ['c'.repeat(64)]);
    await expect(svc.remove('vv')).rejects.toThrow(`remove vv: volume is in use - [${'c'.repeat(64)}]`);
    expect(fs.readFileSync(path.join(svc.mountpoint('vv'), 'f'), 'utf8')).toBe('data');
    users.delete('vv');
    await svc.remove('vv');
    await expect(svc.remove('vv')).rejects.toThrow('get vv: no such volume');
    await svc.remove('vv', { force: true });
  });

  it('prunes anonymous unused volumes unless all, and counts their bytes', async () => {
    await svc.create({ name: 'named' });
    const anon = await svc.create({});
    fs.writeFileSync(path.join(svc.mountpoint(anon.Name), 'f'), '12345');
    const used = await svc.create({});
    users.set(used.Name, ['x']);
    expect(await svc.prune()).toEqual({ deleted: [anon.Name], reclaimed: 5 });
    expect((await svc.prune({ all: true })).deleted).toEqual(['named']);
    expect(svc.list().map((v) => v.Name)).toEqual([used.Name]);
  });

  it('filters like Docker', async () => {
    await svc.create({ name: 'orc_a', labels: { k: 'v' } });
    await svc.create({ name: 'orc_b' });
    await svc.create({ name: 'other' });
    users.set('orc_b', ['x']);
    expect(svc.list(['name=orc_']).map((v) => v.Name)).toEqual(['orc_a', 'orc_b']);
    expect(svc.list(['label=k=v']).map((v) => v.Name)).toEqual(['orc_a']);
    expect(svc.list(['dangling=true', 'name=orc']).map((v) => v.Name)).toEqual(['orc_a']);
    // Texts observed from Docker: an unknown key, a bad value, a flag without "=".
    expect(() => svc.list(['bogus=1'])).toThrow("Invalid filter 'bogus'");
    expect(() => svc.list(['dangling=maybe'])).toThrow("Invalid filter 'dangling=[maybe]'");
    expect(() => svc.list(['nokey'])).toThrow('invalid argument "nokey" for "-f, --filter" flag: bad format of filter (expected name=value)');
  });

  it('a tmpfs volume is bounded by its size', async () => {
    await svc.create({ name: 'tt', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=1k' } });
    const b = svc.backend('tt');
    const h = b.open('/big', { write: true, create: true });
    // As write(2) on a full tmpfs: what fits is written, the next write fails.
    expect(h.write(new Uint8Array(2048))).toBe(1024);
    expect(() => h.write(new Uint8Array(1))).toThrow(/ENOSPC/);
    h.close();
  });
});

describe('pre-population', () => {
  it('fills an empty volume from the image, never a non-empty one, never with nocopy', () => {
    const image = new MemoryBackend();
    image.mkdir('/var', 0o755);
    image.mkdir('/var/lib', 0o755);
    image.mkdir('/var/lib/mysql', 0o750);
    const h = image.open('/var/lib/mysql/ibdata1', { write: true, create: true, mode: 0o640 });
    h.write(Buffer.from('innodb'));
    h.close();
    const empty = new MemoryBackend();
    expect(prepopulate(image, '/var/lib/mysql', empty, { noCopy: false })).toBe(6);
    expect(empty.lstat('/ibdata1')).toMatchObject({ size: 6, mode: 0o640 });
    expect(empty.lstat('/')?.mode).toBe(0o750);
    expect(prepopulate(image, '/var/lib/mysql', empty, { noCopy: false })).toBe(0);
    expect(prepopulate(image, '/var/lib/mysql', new MemoryBackend(), { noCopy: true })).toBe(0);
  });
});
