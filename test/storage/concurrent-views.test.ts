/**
 * A container's writable layer is shared by separate processes (its main
 * program in the shim, each `exec`): what one view remembers about the top
 * layer may be changed by another. A directory swapped for a symlink to a
 * host path must never be followed on the host by a view that had seen it as
 * a directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriver } from '../../src/storage/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-views-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('two views of one writable layer', () => {
  it('a remembered directory replaced by a symlink is not followed on the host', () => {
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret'), 'host data');
    const driver = createDriver('overlay2', path.join(dir, 'root'));
    driver.create('base', null);
    driver.freeze('base');
    driver.create('ctr', 'base');

    const a = driver.view('ctr');
    const b = driver.view('ctr');
    a.mkdir('/d', 0o755);
    a.mkdir('/d/e', 0o755);
    const h = a.open('/d/e/f', { write: true, create: true });
    h.write(Buffer.from('mine'));
    h.close();
    expect(a.lstat('/d/e/f')?.size).toBe(4); // a now remembers /d and /d/e

    // The other process swaps /d for a link to a host directory.
    b.unlink('/d/e/f');
    b.rmdir('/d/e');
    b.rmdir('/d');
    b.symlink(outside, '/d');
    fs.mkdirSync(path.join(outside, 'e'));
    fs.writeFileSync(path.join(outside, 'e', 'f'), 'host file');

    expect(a.lstat('/d')?.type).toBe('symlink');
    expect(a.lstat('/d/e/f')).toBeNull();
    expect(() => a.open('/d/e/f', { read: true })).toThrow();
    expect(() => a.open('/d/e/g', { write: true, create: true })).toThrow();
    expect(() => a.open('/d/e/f', { write: true, truncate: true })).toThrow();
    expect(() => a.chmod('/d/e/f', 0o777)).toThrow();
    expect(() => a.unlink('/d/e/f')).toThrow();
    expect(fs.readdirSync(path.join(outside, 'e'))).toEqual(['f']);
    expect(fs.readFileSync(path.join(outside, 'e', 'f'), 'utf8')).toBe('host file');
  });
});
