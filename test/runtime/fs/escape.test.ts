/**
 * No path a program can write reaches outside the container's backends:
 * a canary beside the layer directories stays untouched by hostile input,
 * and random paths of "..", ".", names and symlinks always resolve to a
 * canonical container path, with every backend call given a normalised path.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FsError } from '../../../src/storage/backend.js';
import { ContainerFs } from '../../../src/runtime/fs/container-fs.js';
import { MemoryTree } from '../../../src/runtime/fs/memory-tree.js';
import type { ProcessFs } from '../../../src/runtime/fs/process-fs.js';
import { makeFixture, snapshot } from './fixture.js';
import { guard } from './guard.js';

/** Runs an operation, tolerating the errors a program may get (FsError), nothing else. */
function attempt(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof FsError)) throw e;
  }
}

function hostileBatch(p: ProcessFs, hostDir: string, canary: string): void {
  const rel = nodePath.relative('/', canary);
  const links: [string, string][] = [
    ['/tmp/up', '../../../../../../..'],
    ['/tmp/upc', '../../../../../canary'],
    ['/tmp/hostabs', canary],
    ['/tmp/hostdir', hostDir],
    ['/tmp/secret', canary + '/secret'],
    ['/data/out', '../../canary'],
    ['/data/deep', '../../../../../../' + rel],
    ['/tmp/loop', '/tmp/loop'],
    ['/tmp/dots', '..'],
  ];
  for (const [path, target] of links) attempt(() => p.symlink(target, path));
  const paths = [
    '../canary/secret',
    '/../canary/secret',
    '../../../../../../../../' + rel + '/secret',
    canary + '/secret',
    canary + '/../canary/new',
    hostDir + '/motd',
    '/tmp/up/canary/secret',
    '/tmp/upc/secret',
    '/tmp/hostabs/secret',
    '/tmp/hostdir/canary/secret',
    '/tmp/secret',
    '/data/out/secret',
    '/data/../../canary/secret',
    '/data/deep/secret',
    '/data/deep/x/y/z',
    '/tmp/loop/x',
    '/tmp/dots/dots/dots/canary/secret',
    '/etc/motd/../../canary/secret',
    '/ro/../../canary/secret',
    'a\\..\\..\\canary',
    '..\0/canary',
    'x'.repeat(300),
    '/' + 'a/'.repeat(3000),
  ];
  for (const path of paths) {
    attempt(() => p.readFile(path));
    attempt(() => p.writeFile(path, 'pwned'));
    attempt(() => p.writeFile(path, 'pwned', { append: true }));
    attempt(() => p.mkdir(path + '/sub', { recursive: true }));
    attempt(() => p.chmod(path, 0o777));
    attempt(() => p.chown(path, 1, 1));
    attempt(() => p.utimes(path, 0, 0));
    attempt(() => p.symlink('/x', path));
    attempt(() => p.link('/etc/passwd', path));
    attempt(() => p.rename('/etc/passwd', path));
    attempt(() => p.rename(path, '/tmp/moved'));
    attempt(() => p.open(path, { write: true, create: true, exclusive: true }).close());
    attempt(() => p.realpath(path, { allowMissingLeaf: true }));
    attempt(() => p.readdir(path));
  }
  for (const path of paths) {
    attempt(() => p.unlink(path));
    attempt(() => p.rm(path, { recursive: true, force: true }));
  }
  for (const path of ['..', '/..', '/tmp/up', '/tmp/up/', '/data/..', '/']) attempt(() => p.rm(path, { recursive: true, force: true }));
}

describe('escape attempts', () => {
  it('leave a canary directory beside the layers untouched', () => {
    const fx = makeFixture();
    try {
      fx.cfs.prepareMountpoints();
      const before = snapshot(fx.canary);
      const outside = fs.readdirSync(fx.dir).sort();
      const p = fx.cfs.forProcess('/');
      hostileBatch(p, fx.dir, fx.canary);
      hostileBatch(p.withCwd('/'), fx.dir, fx.canary);
      expect(snapshot(fx.canary)).toEqual(before);
      expect(fs.readdirSync(fx.dir).sort()).toEqual(outside);
      expect(fs.readFileSync(nodePath.join(fx.dir, 'motd'), 'utf8')).not.toContain('pwned');
      for (const b of fx.backends) expect(b.badPaths).toEqual([]);
    } finally {
      fx.cleanup();
    }
  });
});

const NAMES = ['a', 'b', 'c', 'l1', 'l2', 'l3', 'data', 'f'] as const;
const token = fc.constantFrom('..', '.', '', ...NAMES);
const pathArb = fc.tuple(fc.boolean(), fc.array(token, { minLength: 0, maxLength: 10 }), fc.boolean()).map(([abs, parts, slash]) => {
  const body = parts.join('/');
  const p = (abs ? '/' : '') + body + (slash && body !== '' ? '/' : '');
  return p === '' ? '.' : p;
});
const linkArb = fc.record({ dir: fc.constantFrom('/', '/a', '/a/b', '/data', '/data/c'), name: fc.constantFrom('l1', 'l2', 'l3'), target: pathArb });

function randomContainer(links: { dir: string; name: string; target: string }[], bad: string[]): ContainerFs {
  const root = new MemoryTree({ kind: 'overlay2' });
  root.mkdir('/a', 0o755);
  root.mkdir('/a/b', 0o755);
  root.mkdir('/data', 0o755);
  root.open('/f', { write: true, create: true }).close();
  const vol = new MemoryTree({ kind: 'volume' });
  vol.mkdir('/c', 0o755);
  const cfs = new ContainerFs({ backend: guard(root, bad) }, [{ target: '/data', backend: guard(vol, bad), readOnly: false, kind: 'volume', source: 'v' }]);
  const p = cfs.forProcess('/');
  for (const l of links) attempt(() => p.symlink(l.target, `${l.dir}/${l.name}`));
  return cfs;
}

describe('property: resolution stays inside', () => {
  it('random paths resolve to canonical container paths and backends only see normalised paths', () => {
    fc.assert(
      fc.property(fc.array(linkArb, { maxLength: 8 }), fc.constantFrom('/', '/a', '/a/b', '/data', '/data/c'), fc.array(pathArb, { minLength: 1, maxLength: 6 }), (links, cwd, paths) => {
        const bad: string[] = [];
        const p = randomContainer(links, bad).forProcess(cwd);
        for (const path of paths) {
          for (const follow of [true, false]) {
            try {
              const r = follow ? p.realpath(path, { allowMissingLeaf: true }) : (p.lstat(path), p.realpath(path));
              expect(r.startsWith('/')).toBe(true);
              expect(r === '/' || !r.endsWith('/')).toBe(true);
              expect(r.split('/').slice(1).every((c) => r === '/' || (c !== '' && c !== '.' && c !== '..'))).toBe(true);
            } catch (e) {
              if (!(e instanceof FsError)) throw e;
            }
          }
          attempt(() => p.writeFile(path, 'x'));
          attempt(() => p.mkdir(path, { recursive: true }));
          attempt(() => p.rename(path, 'a/moved'));
          attempt(() => p.rm(path, { recursive: true }));
        }
        expect(bad).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('random paths with writes never touch a host canary', () => {
    const fx = makeFixture();
    try {
      fx.cfs.prepareMountpoints();
      const before = snapshot(fx.canary);
      const outside = fs.readdirSync(fx.dir).sort();
      const p = fx.cfs.forProcess('/');
      const hostLinks = fc.record({ dir: fc.constantFrom('/tmp', '/data', '/etc'), name: fc.constantFrom('l1', 'l2'), target: fc.oneof(pathArb, fc.constant(fx.canary), fc.constant('../../canary')) });
      fc.assert(
        fc.property(fc.array(hostLinks, { maxLength: 4 }), fc.array(pathArb, { minLength: 1, maxLength: 4 }), (links, paths) => {
          for (const l of links) attempt(() => p.symlink(l.target, `${l.dir}/${l.name}`));
          for (const path of paths) {
            attempt(() => p.writeFile(path, 'pwned'));
            attempt(() => p.mkdir(path + '/canary', { recursive: true }));
            attempt(() => p.writeFile(path + '/canary/secret', 'pwned'));
          }
        }),
        { numRuns: 150 },
      );
      expect(snapshot(fx.canary)).toEqual(before);
      expect(fs.readdirSync(fx.dir).sort()).toEqual(outside);
      for (const b of fx.backends) expect(b.badPaths).toEqual([]);
    } finally {
      fx.cleanup();
    }
  });
});
