/** A container on host temp dirs: a root "layer", a volume, a bind, a host file and a canary beside them. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { ContainerFs } from '../../../src/runtime/fs/container-fs.js';
import type { Mount } from '../../../src/runtime/fs/mount-table.js';
import { HostTestBackend } from './host-backend.js';

export interface Fixture {
  dir: string;
  layer: string;
  vol: string;
  bind: string;
  canary: string;
  root: HostTestBackend;
  backends: HostTestBackend[];
  cfs: ContainerFs;
  cleanup(): void;
}

export function makeFixture(options: { readOnlyRoot?: boolean; extraMounts?: (dir: string) => Mount[] } = {}): Fixture {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'mydock-fs-'));
  const layer = nodePath.join(dir, 'layer');
  const vol = nodePath.join(dir, 'vol');
  const bind = nodePath.join(dir, 'bind');
  const canary = nodePath.join(dir, 'canary');
  for (const d of [layer, vol, bind, canary]) fs.mkdirSync(d);
  fs.mkdirSync(nodePath.join(layer, 'etc'));
  fs.mkdirSync(nodePath.join(layer, 'tmp'));
  fs.writeFileSync(nodePath.join(layer, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(nodePath.join(canary, 'secret'), 'host secret\n');
  fs.writeFileSync(nodePath.join(dir, 'motd'), 'welcome\n');
  fs.writeFileSync(nodePath.join(bind, 'ro.txt'), 'read only\n');

  const root = new HostTestBackend(layer, 'overlay2');
  const volume = new HostTestBackend(vol, 'volume');
  const bindB = new HostTestBackend(bind, 'bind');
  const motd = new HostTestBackend(nodePath.join(dir, 'motd'), 'bind');
  const mounts: Mount[] = [
    { target: '/data', backend: volume, readOnly: false, kind: 'volume', source: '/dev/sda1' },
    { target: '/ro', backend: bindB, readOnly: true, kind: 'bind', source: '/dev/sda1' },
    { target: '/etc/motd', backend: motd, readOnly: false, kind: 'file', source: '/dev/sda1' },
    ...(options.extraMounts?.(dir) ?? []),
  ];
  const cfs = new ContainerFs({ backend: root, readOnly: options.readOnlyRoot ?? false }, mounts);
  return {
    dir,
    layer,
    vol,
    bind,
    canary,
    root,
    backends: [root, volume, bindB, motd],
    cfs,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every file under a host dir with its content, to compare before and after. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = nodePath.join(d, name);
      const st = fs.lstatSync(p);
      const key = `${rel}/${name}`;
      if (st.isDirectory()) {
        out[key] = 'dir';
        walk(p, key);
      } else if (st.isSymbolicLink()) out[key] = `-> ${fs.readlinkSync(p)}`;
      else out[key] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
