import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectorOutput, EmptyInput } from '../../../src/runtime/streams.js';
import { ProcessSignals } from '../../../src/runtime/signals.js';
import type { ContainerService } from '../../../src/engine/containers/service.js';
import { matchFilters, parseFilters } from '../../../src/engine/containers/filters.js';
import { IMAGE, makeService } from './fakes.js';

let root: string;
let svc: ContainerService;

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-ctr-'));
  svc = await makeService(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const quiet = () => ({ stdin: new EmptyInput(), stdout: new CollectorOutput(), stderr: new CollectorOutput() });

describe('create', () => {
  it('writes Docker-shaped records and the three /etc files', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: [], name: 'c1', env: ['FOO=bar'], labels: { a: 'b' } });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const dir = path.join(root, 'containers', id);
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'config.v2.json'), 'utf8'));
    expect(record.Name).toBe('/c1');
    expect(record.Path).toBe('sh');
    expect(record.Args).toEqual([]);
    expect(record.Image).toBe(IMAGE.id);
    expect(record.Config.Env).toEqual(['FOO=bar', 'PATH=/usr/bin:/bin']);
    expect(record.Config.Hostname).toBe(id.slice(0, 12));
    expect(record.Config.Image).toBe('bbase:1');
    expect(record.State.StartedAt).toBe('0001-01-01T00:00:00Z');
    expect(fs.readFileSync(path.join(dir, 'hostname'), 'utf8')).toBe(`${id.slice(0, 12)}\n`);
    expect(fs.existsSync(path.join(dir, 'hosts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'resolv.conf'))).toBe(true);
    const host = JSON.parse(fs.readFileSync(path.join(dir, 'hostconfig.json'), 'utf8'));
    expect(host.LogConfig).toEqual({ Type: 'json-file', Config: {} });
    expect(host.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
  });

  it('refuses a taken name with Docker text, and a bad name', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'c1' });
    await expect(svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'c1' })).rejects.toThrow(
      `Conflict. The container name "/c1" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
    await expect(svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'a b' })).rejects.toThrow(
      'Invalid container name (a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
    );
  });

  it('generates adjective_surname names', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'] });
    expect((await svc.get(id)).record.Name).toMatch(/^\/[a-z]+_[a-z]+\d?$/);
  });

  it('says No such image and No command specified', async () => {
    await expect(svc.create({ image: 'nope:1', cmd: [] })).rejects.toThrow('No such image: nope:1');
    await expect(svc.create({ image: 'bbase:1', cmd: [], entrypoint: '' })).rejects.toThrow('No command specified');
  });

  it('finds by name, full ID and unique prefix', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sh'], name: 'c1' });
    expect((await svc.get('c1')).record.ID).toBe(id);
    expect((await svc.get(id.slice(0, 5))).record.ID).toBe(id);
    await expect(svc.get('nosuch')).rejects.toThrow('No such container: nosuch');
  });
});

describe('running attached', () => {
  it('records the exit status and caches SizeRw', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['write', '/out.txt', 'hello'], name: 'w1' });
    const status = await svc.runMain(id, quiet(), new ProcessSignals({ pid1: true }));
    expect(status).toBe(0);
    const c = await svc.get(id);
    expect(c.record.State.Running).toBe(false);
    expect(c.record.State.ExitCode).toBe(0);
    expect(c.record.Mydock.SizeRw).toBe(5);
    expect(await svc.diff(id)).toEqual([{ kind: 'A', path: '/out.txt' }]);
    const [view] = await svc.list({ all: true, size: true });
    expect(view!.sizeRw).toBe(5);
  });

  it('passes the exit status through', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['exit', '3'] });
    expect(await svc.runMain(id, quiet(), new ProcessSignals())).toBe(3);
    expect((await svc.get(id)).record.State.ExitCode).toBe(3);
  });

  it('leaves a container whose command is missing Created, with the error recorded', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['no-such-command'] });
    await expect(svc.runMain(id, quiet(), new ProcessSignals())).rejects.toMatchObject({ runStatus: 127 });
    const c = await svc.get(id);
    expect(c.record.State.StartedAt).toBe('0001-01-01T00:00:00Z');
    expect(c.record.State.ExitCode).toBe(127);
    expect(c.record.State.Error).toContain('executable file not found in $PATH');
  });

  it('removes with --rm semantics when AutoRemove', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['true'], autoRemove: true });
    await svc.runMain(id, quiet(), new ProcessSignals());
    await expect(svc.get(id)).rejects.toThrow('No such container');
  });
});

describe('exec, rm, rename, prune', () => {
  it('exec into a stopped container is refused', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['true'] });
    await expect(svc.exec(id, ['true'], quiet(), new ProcessSignals())).rejects.toThrow(`Container ${id} is not running`);
  });

  it('rm of a running container needs force; a dead runner reads as exited 137', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['sleep'] });
    const signals = new ProcessSignals({ pid1: true });
    const running = svc.runMain(id, quiet(), signals);
    await svc.waitStopped(id, 0);
    await new Promise((r) => setTimeout(r, 20));
    expect((await svc.get(id)).record.State.Running).toBe(true);
    await expect(svc.remove(id)).rejects.toThrow(`You cannot remove a running container ${id}.`);
    // exec runs while the main program does.
    const out = new CollectorOutput();
    expect(await svc.exec(id, ['echo', 'hi'], { ...quiet(), stdout: out }, new ProcessSignals())).toBe(0);
    expect(out.text()).toBe('hi\n');
    signals.send('KILL');
    expect(await running).toBe(137);
    expect((await svc.get(id)).record.State.ExitCode).toBe(137);
    await svc.remove(id);
    await expect(svc.get(id)).rejects.toThrow('No such container');
  });

  it('rename checks same name and conflicts', async () => {
    await svc.create({ image: 'bbase:1', cmd: ['true'], name: 'a1' });
    const b = await svc.create({ image: 'bbase:1', cmd: ['true'], name: 'b1' });
    await expect(svc.rename('a1', 'a1')).rejects.toThrow('Renaming a container with the same name as its current name');
    await expect(svc.rename('a1', 'b1')).rejects.toThrow(`Error when allocating new name: Conflict. The container name "/b1" is already in use by container "${b}"`);
    await svc.rename('a1', 'c1');
    expect((await svc.get('c1')).record.Name).toBe('/c1');
  });

  it('prune removes stopped containers and counts their layers', async () => {
    const id = await svc.create({ image: 'bbase:1', cmd: ['write', '/f', 'hello'] });
    await svc.runMain(id, quiet(), new ProcessSignals());
    await svc.create({ image: 'bbase:1', cmd: ['true'] });
    const { deleted, reclaimed } = await svc.prune();
    expect(deleted).toHaveLength(2);
    expect(reclaimed).toBe(5);
    expect(await svc.list({ all: true })).toHaveLength(0);
  });

  it('lists newest first and inspects with sizes', async () => {
    const a = await svc.create({ image: 'bbase:1', cmd: ['true'], name: 'a1' });
    await new Promise((r) => setTimeout(r, 5));
    const b = await svc.create({ image: 'bbase:1', cmd: ['true'], name: 'b1' });
    expect((await svc.list({ all: true })).map((v) => v.record.ID)).toEqual([b, a]);
    const info = await svc.inspect('a1', true);
    expect(info.SizeRw).toBe(0);
    expect(info.SizeRootFs).toBe(IMAGE.size);
    expect((info.State as { Status: string }).Status).toBe('created');
    const plain = await svc.inspect('a1');
    expect(plain.SizeRw).toBeUndefined();
  });

  it('orders by time, not by text, when Go drops trailing zeros of the fraction', async () => {
    const setCreated = (id: string, created: string): void => {
      const file = path.join(root, 'containers', id, 'config.v2.json');
      const record = JSON.parse(fs.readFileSync(file, 'utf8'));
      record.Created = created;
      fs.writeFileSync(file, JSON.stringify(record));
    };
    const early = await svc.create({ image: 'bbase:1', cmd: ['true'], name: 'early' });
    const late = await svc.create({ image: 'bbase:1', cmd: ['true'], name: 'late' });
    // As text, '05.1Z' sorts after '05.123Z'; in time it is 23 ms earlier.
    setCreated(early, '2026-11-22T10:00:05.1Z');
    setCreated(late, '2026-11-22T10:00:05.123Z');
    const views = await svc.list({ all: true });
    expect(views.map((v) => v.record.ID)).toEqual([late, early]);
    const since = await matchFilters(views, parseFilters(['since=early']), svc);
    expect(since.map((v) => v.record.ID)).toEqual([late]);
    const before = await matchFilters(views, parseFilters(['before=late']), svc);
    expect(before.map((v) => v.record.ID)).toEqual([early]);
  });
});
