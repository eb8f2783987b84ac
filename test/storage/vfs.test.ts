import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { VfsDriver } from '../../src/storage/drivers/vfs.js';
import { runDriverSuite } from './driver-suite.js';
import { tempDir, tarStream } from './helpers.js';

runDriverSuite('vfs', (root) => new VfsDriver(root));
runDriverSuite('vfs (owners in a sidecar)', (root) => new VfsDriver(root, { ownership: 'sidecar' }));

describe('vfs layout', () => {
  it('keeps full copies under vfs/dir/<id>', async () => {
    const root = tempDir();
    try {
      const d = new VfsDriver(root);
      d.create('a', null);
      await d.applyDiff('a', tarStream([{ name: 'f', body: 'x' }]));
      d.freeze('a');
      d.create('b', 'a');
      expect(fs.readFileSync(path.join(root, 'vfs', 'dir', 'b', 'f'), 'utf8')).toBe('x');
      expect(d.graphData('b')).toEqual({});
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
