import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { Overlay2Driver } from '../../src/storage/drivers/overlay2.js';
import { runDriverSuite } from './driver-suite.js';
import { tempDir, tarStream } from './helpers.js';

runDriverSuite('overlay2', (root) => new Overlay2Driver(root));
runDriverSuite('overlay2 (owners in a sidecar)', (root) => new Overlay2Driver(root, { ownership: 'sidecar' }));

describe('overlay2 layout', () => {
  it('lays layers out as Docker does', async () => {
    const root = tempDir();
    try {
      const d = new Overlay2Driver(root);
      d.create('a', null);
      await d.applyDiff('a', tarStream([{ name: 'f', body: 'x' }]));
      d.freeze('a');
      d.create('b', 'a');
      d.freeze('b');
      d.create('c', 'b');
      const home = path.join(root, 'overlay2');
      expect(fs.readdirSync(path.join(home, 'a')).sort()).toEqual(['committed', 'diff', 'link', 'merged', 'work']);
      const link = (id: string): string => fs.readFileSync(path.join(home, id, 'link'), 'utf8');
      expect(link('a')).toMatch(/^[A-Z2-7]{26}$/);
      expect(fs.readlinkSync(path.join(home, 'l', link('a')))).toBe('../a/diff');
      expect(fs.existsSync(path.join(home, 'a', 'lower'))).toBe(false);
      expect(fs.readFileSync(path.join(home, 'c', 'lower'), 'utf8')).toBe(`l/${link('b')}:l/${link('a')}`);
      expect(d.graphData('c')).toEqual({
        LowerDir: `${path.join(home, 'b', 'diff')}:${path.join(home, 'a', 'diff')}`,
        MergedDir: path.join(home, 'c', 'merged'),
        UpperDir: path.join(home, 'c', 'diff'),
        WorkDir: path.join(home, 'c', 'work'),
      });
      d.remove('c');
      expect(fs.readdirSync(path.join(home, 'l')).sort()).toEqual([link('a'), link('b')].sort());
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('stores whiteouts and opaque markers in diff/ in the OCI form', async () => {
    const root = tempDir();
    try {
      const d = new Overlay2Driver(root);
      d.create('a', null);
      await d.applyDiff('a', tarStream([{ name: 'd/', type: 'dir' }, { name: 'd/x', body: 'x' }, { name: 'f', body: 'f' }]));
      d.freeze('a');
      d.create('b', 'a');
      const v = d.view('b');
      v.unlink('/f');
      v.unlink('/d/x');
      v.rmdir('/d');
      v.mkdir('/d', 0o700);
      const diff = path.join(root, 'overlay2', 'b', 'diff');
      expect(fs.readdirSync(diff).sort()).toEqual(['.wh.f', 'd']);
      expect(fs.readdirSync(path.join(diff, 'd'))).toEqual(['.wh..wh..opq']);
      expect(fs.statSync(path.join(diff, '.wh.f')).size).toBe(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
