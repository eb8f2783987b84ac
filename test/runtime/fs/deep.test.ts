import { expect, it } from 'vitest';
import { FsError } from '../../../src/storage/backend.js';
import { ContainerFs } from '../../../src/runtime/fs/container-fs.js';
import { MemoryTree } from '../../../src/runtime/fs/memory-tree.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
  return 'ok';
}

it('mkdir -p and rm -r cost one lookup per component, however deep', () => {
  const root = new MemoryTree();
  let lookups = 0;
  const lstat = root.lstat.bind(root);
  root.lstat = (path: string) => {
    lookups++;
    return lstat(path);
  };
  const p = new ContainerFs({ backend: root }).forProcess('/');
  const deep = '/' + 'd/'.repeat(1500);
  p.mkdir(deep, { recursive: true });
  expect(lookups).toBeLessThan(1500 * 6);
  lookups = 0;
  p.rm('/d', { recursive: true });
  expect(lookups).toBeLessThan(1500 * 8);
  expect(p.readdir('/')).toEqual([]);
  expect(code(() => p.mkdir('/' + 'x/'.repeat(2100), { recursive: true }))).toBe('ENAMETOOLONG');
});

it('mkdir -p through symlinks: followed to a directory, EEXIST when dangling', () => {
  const p = new ContainerFs({ backend: new MemoryTree() }).forProcess('/');
  p.mkdir('/real');
  p.symlink('/real', '/link');
  p.mkdir('/link/a/b', { recursive: true });
  expect(p.stat('/real/a/b').type).toBe('dir');
  p.symlink('/nowhere', '/dangling');
  expect(code(() => p.mkdir('/dangling/x', { recursive: true }))).toBe('EEXIST');
  expect(p.exists('/nowhere')).toBe(false);
});
