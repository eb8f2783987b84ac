/**
 * CLI test fixture: a fresh root holding `bbase:1`, the conformance base
 * image (busybox and its applets, /etc/passwd), built from the host's
 * static busybox and registered through the engine, so the tests need no
 * `load` or network. Tests run the built binary against the root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(REPO, 'bin', 'mydock.js');
export const HAVE_BUSYBOX = fs.existsSync('/bin/busybox');

const APPLETS = 'sh ls cat echo printf mkdir rm cp mv chmod touch ln du find sleep tail head wc env id'.split(' ');

function rootfsTar(dir: string): string {
  const root = path.join(dir, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'root', 'var/lib']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  for (const a of APPLETS) fs.symlinkSync('busybox', path.join(root, 'bin', a));
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  const tar = path.join(dir, 'rootfs.tar');
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu', '-C', root, '-cf', tar, '.']);
  return tar;
}

/** A new root with bbase:1 in it. */
export async function rootWithBase(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-cli-ctr-'));
  const tar = rootfsTar(dir);
  const root = path.join(dir, 'root');
  const { openEngine } = await import(path.join(REPO, 'dist/engine/engine.js'));
  const { parseDaemonNamed } = await import(path.join(REPO, 'dist/engine/reference/index.js'));
  const engine = await openEngine({ root });
  const layers = await engine.layerStore();
  const store = await engine.imageStore();
  const layer = await layers.register(fs.createReadStream(tar), null);
  const img = await store.createFromConfig({
    architecture: 'amd64',
    config: { Env: null, Cmd: null, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null },
    created: '2026-01-01T00:00:00Z',
    history: [{ created: '2026-01-01T00:00:00Z', comment: 'Imported from -' }],
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  });
  store.addReference(parseDaemonNamed('bbase:1'), img.id, { touch: true });
  return root;
}

export interface Result {
  stdout: string;
  stderr: string;
  status: number;
}

export function mydock(root: string, args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, [BIN, '--root', root, ...args], { encoding: 'utf8', input: input ?? '', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** Kills every container of the root (and so their shims), then deletes the root's directory. */
export function cleanup(root: string): void {
  const ids = mydock(root, ['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) mydock(root, ['rm', '-f', ...ids]);
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
}

/** Pids of shims still alive for a root's containers. */
export function liveShims(ids: string[]): number {
  const out = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  return ids.filter((id) => out.includes(`mydock-shim ${id.slice(0, 12)}`)).length;
}
