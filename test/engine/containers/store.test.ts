import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerService } from '../../../src/engine/containers/service.js';
import { ContainerStore } from '../../../src/engine/containers/store.js';
import { openRoot } from '../../../src/state/root.js';
import { makeService } from './fakes.js';

let root: string;
let svc: ContainerService;
let store: ContainerStore;

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-ctr-store-'));
  svc = await makeService(root);
  store = new ContainerStore(await openRoot(root));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const hostFile = (id: string) => path.join(root, 'containers', id, 'hostconfig.json');

describe('container records', () => {
  it('reads hostconfig.json only when the host config is used', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'c1' });
    const saved = fs.readFileSync(hostFile(id), 'utf8');
    fs.rmSync(hostFile(id));
    const c = store.read(id)!;
    expect(c.record.Name).toBe('/c1');
    expect(() => c.host).toThrow(/hostconfig\.json is damaged \(missing\)/);
    fs.writeFileSync(hostFile(id), saved);
    expect(store.read(id)!.host.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
  });

  it('keeps the host config in copies, spreads and clones', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'] });
    expect({ ...store.read(id)! }.host.LogConfig.Type).toBe('json-file');
    expect(structuredClone(store.read(id)!).host.LogConfig.Type).toBe('json-file');
    const views = await svc.list({ all: true });
    expect(views[0]!.host.LogConfig.Type).toBe('json-file');
  });

  it('rewrites hostconfig.json only when it was looked at', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'] });
    const inode = () => fs.statSync(hostFile(id)).ino;
    const before = inode();
    await store.update(id, (c) => {
      c.record.RestartCount = 3;
    });
    expect(inode()).toBe(before);
    expect(store.read(id)!.record.RestartCount).toBe(3);
    await store.update(id, (c) => {
      c.host.AutoRemove = true;
    });
    expect(inode()).not.toBe(before);
    expect(store.read(id)!.host.AutoRemove).toBe(true);
    await store.update(id, (c) => {
      c.host = { ...c.host, ReadonlyRootfs: true };
    });
    expect(store.read(id)!.host).toMatchObject({ AutoRemove: true, ReadonlyRootfs: true });
  });

  it('writes both records to another directory, looked at or not', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'] });
    const elsewhere = path.join(root, 'copy');
    store.write(store.read(id)!, elsewhere);
    expect(JSON.parse(fs.readFileSync(path.join(elsewhere, 'hostconfig.json'), 'utf8'))).toEqual(store.read(id)!.host);
  });
});
