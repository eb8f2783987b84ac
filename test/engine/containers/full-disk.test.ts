/**
 * A full disk: commands that only look at containers still work (a record
 * reconciled in memory is rewritten best effort), `rm -f` works (deleting
 * frees space), and `volume create` fails without leaving a directory
 * without its record. The disk is a small tmpfs mounted for the test;
 * without the right to mount (not root, or no tmpfs) the test is skipped
 * and says why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pull } from '../../../src/engine/catalog/index.js';
import { openEngine, type Engine } from '../../../src/engine/engine.js';

function tryMount(dir: string, size: string): string | null {
  if (process.getuid?.() !== 0) return 'not running as root (mounting a small tmpfs needs it)';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `cannot mount a tmpfs: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** Writes a file until the disk is full. */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  // Small writes too, so that not even a page is left.
  const small = fs.openSync(`${file}-tail`, 'w');
  try {
    for (;;) fs.writeSync(small, Buffer.alloc(512));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(small);
  }
}

describe('a full disk', () => {
  let dir: string;
  let mnt: string;
  let skip: string | null;
  let engine: Engine;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-full-'));
    mnt = path.join(dir, 'fs');
    fs.mkdirSync(mnt);
    skip = tryMount(mnt, '24m');
    if (skip) console.warn(`skipped: ${skip}`);
  });
  afterAll(() => {
    if (!skip) spawnSync('umount', [mnt]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads, rm -f and volume create on a full disk', async (ctx) => {
    if (skip) return ctx.skip();
    engine = await openEngine({ root: path.join(mnt, 'root'), storageDriver: 'vfs' });
    await pull(await engine.imageStore(), 'alpine');
    const id = await engine.containers.create({ image: 'alpine', cmd: ['true'], name: 'full' });
    // Its runner died without recording the end (as when the disk filled under it).
    const gone = spawnSync('true').pid!;
    const configFile = path.join(engine.root.containersDir, id, 'config.v2.json');
    const record = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    Object.assign(record.State, { Running: true, Status: 'running', Pid: gone });
    Object.assign(record.Mydock, { ProcessPid: gone, ProcessStart: 'gone' });
    fs.writeFileSync(configFile, JSON.stringify(record));
    fill(path.join(mnt, 'filler'));

    const list = await engine.containers.list({ all: true });
    expect(list.map((c) => [c.record.Name, c.record.State.Running, c.record.State.ExitCode])).toEqual([['/full', false, 137]]);
    expect((await engine.containers.list({ all: true, size: true }))[0]!.sizeRw).toBeTypeOf('number');
    expect(await engine.containers.list()).toEqual([]);
    expect((await engine.containers.inspect('full')).Id).toBe(id);
    expect((await engine.containers.logs('full')).entries).toEqual([]);

    const volumesBefore = fs.existsSync(engine.root.volumesDir) ? fs.readdirSync(engine.root.volumesDir) : [];
    await expect((await engine.volumes()).create({ name: 'v1' })).rejects.toThrow(/no space left on device/);
    const volumesAfter = fs.existsSync(engine.root.volumesDir) ? fs.readdirSync(engine.root.volumesDir) : [];
    expect(volumesAfter).toEqual(volumesBefore);

    await engine.containers.remove('full', { force: true });
    expect(await engine.containers.list({ all: true })).toEqual([]);
    expect(fs.existsSync(path.join(engine.root.containersDir, id))).toBe(false);
  });
});
