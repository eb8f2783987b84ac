/** The view over the real storage: an overlay2 container layer and a host-directory volume. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ContainerFs } from '../../../src/runtime/fs/container-fs.js';
import { standardMounts } from '../../../src/runtime/fs/standard-mounts.js';
import type { StorageDriver } from '../../../src/storage/driver.js';
import { HostDirBackend } from '../../../src/storage/host-dir.js';
import { createDriver } from '../../../src/storage/index.js';
import { setupInitLayer } from '../../../src/storage/layer-db.js';

let dir: string;
let driver: StorageDriver;

beforeEach(() => {
  dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'mydock-fs-st-'));
  driver = createDriver('overlay2', dir);
  driver.create('base', null);
  const base = driver.view('base');
  base.mkdir('/etc', 0o755);
  const h = base.open('/etc/passwd', { write: true, create: true });
  h.write(Buffer.from('root:x:0:0::/root:/bin/sh\n'));
  h.close();
  driver.freeze('base');
  driver.create('ctr-init', 'base');
  setupInitLayer(driver.view('ctr-init'));
  driver.freeze('ctr-init');
  driver.create('ctr', 'ctr-init');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('a volume mount point is the only change `docker diff` sees; writes to it stay out of the layer', () => {
  fs.mkdirSync(nodePath.join(dir, 'vol'));
  const volume = new HostDirBackend(nodePath.join(dir, 'vol'), { kind: 'volume', ownersFile: nodePath.join(dir, 'vol.owners.json') });
  const cfs = new ContainerFs({ backend: driver.view('ctr') }, [
    ...standardMounts(),
    { target: '/data', backend: volume, readOnly: false, kind: 'volume', source: '/dev/sda1' },
  ]);
  expect(cfs.prepareMountpoints()).toEqual(['/data']);
  const p = cfs.forProcess('/');
  p.writeFile('/data/x', 'volume data');
  p.writeFile('/dev/null', 'discarded');
  expect(driver.changes('ctr')).toEqual([{ kind: 'A', path: '/data' }]);
  p.writeFile('/etc/passwd', 'changed\n', { append: true });
  expect(driver.changes('ctr')).toEqual([
    { kind: 'A', path: '/data' },
    { kind: 'C', path: '/etc' },
    { kind: 'C', path: '/etc/passwd' },
  ]);
  expect(fs.readFileSync(nodePath.join(dir, 'vol/x'), 'utf8')).toBe('volume data');
  expect(p.readFile('/etc/mtab').toString()).toContain('/dev/sda1 /data ext4 rw,relatime 0 0\n');
});
