/**
 * The context's tar size and source hashes, pinned to what Docker 20.10
 * printed for the same files (a classic build of this context: "Sending
 * build context to Docker daemon  6.656kB" and the COPY history rows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFromDirectory, type BuildContext } from '../../../src/engine/build/context/context.js';
import { hashStringSlice } from '../../../src/engine/build/context/tarsum.js';

describe('build context', () => {
  let dir: string;
  let ctx: BuildContext;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-ctx-'));
    fs.mkdirSync(path.join(dir, 'src/sub'), { recursive: true });
    const file = (p: string, text: string) => {
      fs.writeFileSync(path.join(dir, p), text);
      fs.chmodSync(path.join(dir, p), 0o644);
    };
    file('single.txt', 'single\n');
    file('src/main.txt', 'main\n');
    file('src/sub/deep.txt', 'deep\n');
    file('Dockerfile', 'FROM bbase:1\nCOPY single.txt /x/\nCOPY src /app\nCOPY src/main.txt single.txt /multi/\nCOPY . /ctx\n');
    fs.symlinkSync('single.txt', path.join(dir, 'link'));
    for (const d of ['.', 'src', 'src/sub']) fs.chmodSync(path.join(dir, d), 0o755);
    ctx = contextFromDirectory(dir, { dockerfile: 'Dockerfile' });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has the size of the tar the CLI sends', () => {
    expect(ctx.tarSize).toBe(6656);
  });

  it('hashes a file, a directory, several sources and the whole context as the daemon does', () => {
    const file = 'file:c45de0b032fdcde71d2db9a40936473b8f6f36b449d3923701ab31f2ecf1a938';
    expect(ctx.sourceHash('single.txt')).toBe(file);
    expect(ctx.sourceHash('src')).toBe('dir:32eb10f7608ff545f354a90df6819f381c12e49dfe42f84bf76bc59f0be8764a');
    expect(ctx.sourceHash('')).toBe('dir:8bea6d16205fbd7bef761e297403df3422061459801ecc7317c7364fbe32d704');
    expect(hashStringSlice('multi', [ctx.sourceHash('src/main.txt'), file])).toBe(
      'multi:eca55c0522952fdb2e600dec081674f99475ef2e73618777046f256f3826c684',
    );
  });

  it('resolves symlinks without leaving the context', () => {
    expect(ctx.resolve('link')).toBe('single.txt');
    expect(ctx.resolve('../../single.txt')).toBe('single.txt');
    expect(ctx.resolve('missing')).toBeNull();
  });
});
