/**
 * An interrupted `create`: the container directory is built aside and
 * renamed into place once its records exist, so a crash leaves a temporary
 * directory (removed by `system check --repair`); a container directory that
 * an older create left without config.v2.json, holding only derived files,
 * is removed on repair, and one holding anything else is kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pull } from '../../../src/engine/catalog/index.js';
import { openEngine, type Engine } from '../../../src/engine/engine.js';
import { ContainerStore } from '../../../src/engine/containers/store.js';
import { checkRoot } from '../../../src/engine/system/check/index.js';

let dir: string;
let engine: Engine;

const age = (p: string) => fs.utimesSync(p, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
const ID = 'ab'.repeat(32);
const ls = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d) : []);

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-check-create-'));
  engine = await openEngine({ root: path.join(dir, 'root'), storageDriver: 'vfs' });
  await pull(await engine.imageStore(), 'alpine');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A container directory as an interrupted create used to leave it. */
function halfCreated(extra: Record<string, string> = {}): string {
  const d = path.join(engine.root.containersDir, ID);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'hostname'), `${ID.slice(0, 12)}\n`);
  fs.writeFileSync(path.join(d, 'hosts'), '127.0.0.1\tlocalhost\n');
  fs.writeFileSync(path.join(d, `${ID}-json.log`), '');
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(d, name), text);
  return d;
}

describe('interrupted container create', () => {
  it('never shows a container directory before its records exist; a failed create leaves nothing', async () => {
    const containers = ls(engine.root.containersDir);
    await expect(
      engine.containers.create({ image: 'alpine', cmd: ['true'], mounts: [{ type: 'bind', source: path.join(dir, 'missing'), target: '/x', readOnly: false, origin: 'mount-flag', mode: '', propagation: '' }] } as never),
    ).rejects.toThrow();
    expect(ls(engine.root.containersDir)).toEqual(containers);
    const id = await engine.containers.create({ image: 'alpine', cmd: ['true'] });
    expect(fs.readdirSync(engine.root.containersDir)).toEqual([id]);
    expect(fs.existsSync(path.join(engine.root.containersDir, id, 'config.v2.json'))).toBe(true);
    expect(await checkRoot(engine.root.path)).toEqual({ findings: [], remaining: 0 });
  });

  it('a crash while staging leaves only a temporary directory, which repair removes', async () => {
    const store = new ContainerStore(engine.root);
    const staged = store.stage(ID);
    store.writeFile(ID, 'hostname', 'x\n', staged);
    age(staged);
    expect(await engine.containers.list({ all: true })).toEqual([]);
    const r = await checkRoot(engine.root.path);
    expect(r.findings.map((f) => f.message)).toEqual([`containers/${path.basename(staged)}: left over from an interrupted write`]);
    await checkRoot(engine.root.path, { repair: true });
    expect(fs.existsSync(staged)).toBe(false);
    expect(await checkRoot(engine.root.path)).toEqual({ findings: [], remaining: 0 });
  });

  it('repair removes a directory without config.v2.json holding only derived files', async () => {
    const d = halfCreated({ 'resolv.conf': 'nameserver 8.8.8.8\n' });
    const r = await checkRoot(engine.root.path);
    expect(r.findings.map((f) => f.message)).toEqual([`container ${ID.slice(0, 12)}: config.v2.json is missing`]);
    const fixed = await checkRoot(engine.root.path, { repair: true });
    expect(fixed.remaining).toBe(0);
    expect(fs.existsSync(d)).toBe(false);
    expect(await checkRoot(engine.root.path)).toEqual({ findings: [], remaining: 0 });
  });

  it('keeps a directory without config.v2.json that holds anything else', async () => {
    const extras: Record<string, string>[] = [{ 'notes.txt': 'mine' }, { [`${ID}-json.log`]: '{"log":"hi\\n","stream":"stdout"}\n' }, { 'hostconfig.json': '{}' }];
    for (const extra of extras) {
      const d = halfCreated(extra);
      const fixed = await checkRoot(engine.root.path, { repair: true });
      expect(fixed.findings.map((f) => [f.message, f.repaired])).toEqual([[`container ${ID.slice(0, 12)}: config.v2.json is missing`, null]]);
      expect(fs.existsSync(d)).toBe(true);
      fs.rmSync(d, { recursive: true });
    }
  });

  it('removing a container leaves no directory behind', async () => {
    const id = await engine.containers.create({ image: 'alpine', cmd: ['true'] });
    await engine.containers.remove(id);
    expect(fs.readdirSync(engine.root.containersDir)).toEqual([]);
  });
});
