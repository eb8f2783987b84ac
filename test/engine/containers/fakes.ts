/** Test doubles for the container service: an in-memory layer store, a fixed image, a launcher that runs scripted programs. */
import { MemoryBackend } from '../../../src/storage/memory.js';
import type { LayerStore, RwLayer } from '../../../src/storage/layer-store.js';
import type { Change } from '../../../src/storage/driver.js';
import type { FsBackend } from '../../../src/storage/backend.js';
import type { ImageInfo, ImagePort } from '../../../src/engine/containers/ports.js';
import { NO_VOLUMES } from '../../../src/engine/containers/ports.js';
import type { Launcher, LaunchSpec } from '../../../src/engine/containers/launcher.js';
import { ociCreateFailed, ociExecFailed } from '../../../src/engine/errors.js';
import { ContainerService } from '../../../src/engine/containers/service.js';
import { openRoot } from '../../../src/state/root.js';

export const IMAGE: ImageInfo = {
  id: 'sha256:' + 'ab'.repeat(32),
  config: { Cmd: ['sh'], Env: ['PATH=/usr/bin:/bin'] },
  topLayer: 'sha256:' + 'cd'.repeat(32),
  size: 3982717,
  repoTags: ['bbase:1'],
};

/** Writable layers as memory trees; size = sum of file sizes, changes = files at top level. */
export function fakeLayers(): LayerStore {
  const rw = new Map<string, { layer: RwLayer; fs: MemoryBackend }>();
  const walk = (fs: FsBackend, dir: string, out: Change[], sizes: number[]): void => {
    for (const name of fs.readdir(dir)) {
      // What the real store keeps in the init layer below the writable one.
      if (dir === '/' && ['dev', 'proc', 'sys', 'etc'].includes(name)) continue;
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const st = fs.lstat(p)!;
      out.push({ kind: 'A', path: p });
      if (st.type === 'dir') walk(fs, p, out, sizes);
      else sizes.push(st.size);
    }
  };
  const store: Partial<LayerStore> = {
    driver: { name: 'overlay2', graphData: (id: string) => ({ UpperDir: `/x/${id}/diff` }) } as unknown as LayerStore['driver'],
    createRwLayer(containerId, parent) {
      const layer = { containerId, mountId: containerId + 'm', initId: containerId + 'm-init', parent };
      rw.set(containerId, { layer, fs: new MemoryBackend() });
      return layer;
    },
    getRwLayer: (id) => rw.get(id)?.layer ?? null,
    removeRwLayer: (id) => void rw.delete(id),
    rwView: (id) => rw.get(id)!.fs,
    rwChanges(id) {
      const out: Change[] = [];
      walk(rw.get(id)!.fs, '/', out, []);
      return out;
    },
    rwSize(id) {
      const sizes: number[] = [];
      walk(rw.get(id)!.fs, '/', [], sizes);
      return sizes.reduce((a, b) => a + b, 0);
    },
  };
  return store as LayerStore;
}

export function fakeImages(): ImagePort {
  return {
    resolve: (name) => (name === 'bbase:1' || name === IMAGE.id ? IMAGE : null),
    resolveId: (name) => (name === 'bbase:1' || name === IMAGE.id ? IMAGE.id : null),
    byId: (id) => (id === IMAGE.id ? IMAGE : null),
    async commit() {
      throw new Error('no');
    },
  };
}

/**
 * Programs: `true`, `exit N`, `write PATH TEXT`, `echo TEXT`, `sleep` (until a
 * terminating signal); anything else is "not found".
 */
export const fakeLauncher: Launcher = {
  async prepare(spec: LaunchSpec, mode) {
    const [cmd, ...args] = spec.argv;
    const known = ['true', 'exit', 'write', 'echo', 'sleep', 'sh'];
    if (!known.includes(cmd!)) throw mode === 'main' ? ociCreateFailed(cmd!, 'not-found') : ociExecFailed(cmd!, 'not-found');
    return {
      async run() {
        const fs = spec.fs.forProcess('/');
        switch (cmd) {
          case 'true':
            return 0;
          case 'exit':
            return Number(args[0]);
          case 'write':
            fs.writeFile(args[0]!, args[1]!);
            return 0;
          case 'echo':
            await spec.stdout.write(args.join(' ') + '\n');
            return 0;
          default:
            try {
              await spec.signals.wait();
            } catch (e) {
              return (e as { status: number }).status;
            }
            return 0;
        }
      },
    };
  },
};

export async function makeService(root: string): Promise<ContainerService> {
  const layout = await openRoot(root);
  const layers = fakeLayers();
  return new ContainerService({
    root: layout,
    layers: () => layers,
    images: () => fakeImages(),
    volumes: () => NO_VOLUMES,
    launcher: () => fakeLauncher,
    shim: () => ({
      async spawn() {
        throw new Error('no shim in engine tests');
      },
      async spawnExec() {
        throw new Error('no shim in engine tests');
      },
    }),
  });
}
