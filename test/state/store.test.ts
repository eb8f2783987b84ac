import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/state/atomic.js';
import { readJsonFile } from '../../src/state/json-file.js';
import { LOCK_NAME, withRootLock } from '../../src/state/lock.js';
import { openRoot, ROOT_FILE } from '../../src/state/root.js';
import { ClientError } from '../../src/engine/errors.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-state-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('state store', () => {
  it('replaces a record atomically and leaves no temp files', () => {
    const f = path.join(dir, 'a', 'rec.json');
    writeFileAtomic(f, '{"n":1}');
    writeFileAtomic(f, '{"n":2}');
    expect(readJsonFile<{ n: number }>(f)).toEqual({ n: 2 });
    expect(fs.readdirSync(path.dirname(f))).toEqual(['rec.json']);
  });

  it('names a damaged file and says what to do', () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{"n":');
    expect(() => readJsonFile(f)).toThrow(/the state file .*bad\.json is damaged .*move it away/);
  });

  it('missing records read as null', () => {
    expect(readJsonFile(path.join(dir, 'none.json'))).toBeNull();
  });

  it('serialises read-modify-write cycles: no lost update among concurrent writers', async () => {
    const f = path.join(dir, 'counter.json');
    writeFileAtomic(f, '{"n":0}');
    await Promise.all(
      Array.from({ length: 40 }, () =>
        withRootLock(dir, async () => {
          const cur = readJsonFile<{ n: number }>(f)!;
          await new Promise((r) => setTimeout(r, 1));
          writeFileAtomic(f, JSON.stringify({ n: cur.n + 1 }));
        }),
      ),
    );
    expect(readJsonFile<{ n: number }>(f)).toEqual({ n: 40 });
  });

  it('is re-entrant inside one call chain', async () => {
    const out = await withRootLock(dir, () => withRootLock(dir, () => 42));
    expect(out).toBe(42);
  });
});

describe('openRoot', () => {
  it('creates a root with a schema version and the default driver, and keeps it', async () => {
    const root = await openRoot(path.join(dir, 'r'));
    expect(root.driver).toBe('overlay2');
    const info = readJsonFile<{ schemaVersion: number; storageDriver: string }>(path.join(dir, 'r', ROOT_FILE))!;
    expect(info.schemaVersion).toBe(1);
    expect((await openRoot(path.join(dir, 'r'))).driver).toBe('overlay2');
    expect(root.imageContentDir).toBe(path.join(dir, 'r', 'image', 'overlay2', 'imagedb', 'content', 'sha256'));
  });

  it('refuses to switch driver, a foreign directory, an unknown driver, a newer schema', async () => {
    await openRoot(path.join(dir, 'v'), 'vfs');
    await expect(openRoot(path.join(dir, 'v'), 'overlay2')).rejects.toThrow(/created with the vfs storage driver/);
    fs.mkdirSync(path.join(dir, 'foreign'));
    fs.writeFileSync(path.join(dir, 'foreign', 'x'), '');
    await expect(openRoot(path.join(dir, 'foreign'))).rejects.toThrow(/is not a mydock root/);
    await expect(openRoot(path.join(dir, 'z'), 'btrfs')).rejects.toThrow('error initializing graphdriver: driver not supported: btrfs');
    fs.mkdirSync(path.join(dir, 'new'));
    fs.writeFileSync(path.join(dir, 'new', ROOT_FILE), JSON.stringify({ schemaVersion: 99, storageDriver: 'overlay2' }));
    await expect(openRoot(path.join(dir, 'new'))).rejects.toBeInstanceOf(ClientError);
  });
});

describe('the root lock after release', () => {
  it('is not held by a callback scheduled while it was: that callback takes it for itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-lock-'));
    try {
      let later!: Promise<boolean>;
      await withRootLock(dir, () => {
        later = new Promise((resolve) => setTimeout(() => resolve(withRootLock(dir, () => fs.existsSync(path.join(dir, LOCK_NAME)))), 50));
      });
      expect(await later).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not held by such a callback either while another root stays locked in this process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-lock-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-lock-other-'));
    try {
      let releaseOther!: () => void;
      const otherHeld = withRootLock(other, () => new Promise<void>((resolve) => (releaseOther = resolve)));
      let later!: Promise<boolean>;
      await withRootLock(dir, () => {
        later = new Promise((resolve) => setTimeout(() => resolve(withRootLock(dir, () => fs.existsSync(path.join(dir, LOCK_NAME)))), 50));
      });
      expect(await later).toBe(true);
      releaseOther();
      await otherHeld;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
