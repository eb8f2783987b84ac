/**
 * Differential round trips through a real Docker engine, when one answers
 * (`docker version` through the usual DOCKER_HOST): an image made in
 * mydock, saved and `docker load`ed keeps its ID and history; an image
 * `docker save`d and loaded into mydock keeps its ID; a tar imported by both
 * gets the same DiffID. Without an engine the suite is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../helpers/cli.js';
import { legacyArchive, rootfsTar, tar, testImage } from '../engine/archive/tar-fixtures.js';

function docker(args: string[], input?: Buffer): { stdout: string; stderr: string; status: number } {
  const r = spawnSync('docker', args, { encoding: 'utf8', input, timeout: 120_000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : ''), status: r.status ?? -1 };
}

const probe = docker(['version', '--format', '{{.Server.Version}}']);
const reason = probe.status === 0 ? null : (probe.stderr.trim().split('\n')[0] ?? 'docker is not available');

describe.skipIf(reason !== null)('round trips through real Docker', () => {
  const tag = `mydock-rt-${randomBytes(4).toString('hex')}`;
  let t: TempRoot;
  beforeAll(() => {
    ensureBuilt();
    t = new TempRoot('mydock-cli-docker-');
  });
  afterAll(() => {
    docker(['rmi', '-f', `${tag}:imp`, `${tag}:two`, `${tag}:back`]);
    t.cleanup();
  });

  it('an image saved by mydock loads into Docker with the same ID and <missing> history', () => {
    const img = testImage([tar([{ name: 'a.txt', body: 'a\n' }]), tar([{ name: 'b.txt', body: 'b\n' }])]);
    fs.writeFileSync(path.join(t.dir, 'in.tar'), legacyArchive(img, [`${tag}:two`]));
    expect(t.run(['load', '-i', 'in.tar']).status).toBe(0);
    expect(t.run(['save', '-o', 'out.tar', `${tag}:two`]).status).toBe(0);
    const load = docker(['load', '-i', path.join(t.dir, 'out.tar')]);
    expect(load.stdout).toBe(`Loaded image: ${tag}:two\n`);
    expect(docker(['image', 'inspect', '--format', '{{.Id}}', `${tag}:two`]).stdout).toBe(`${img.id}\n`);
    expect(docker(['history', '-q', `${tag}:two`]).stdout).toBe(`${img.id.slice(7, 19)}\n<missing>\n`);
  });

  it('a tar imported by both gets the same DiffID', () => {
    const file = path.join(t.dir, 'rootfs.tar');
    fs.writeFileSync(file, rootfsTar());
    expect(t.run(['import', file, `${tag}:imp`]).status).toBe(0);
    expect(docker(['import', file, `${tag}:imp`]).status).toBe(0);
    const layers = (run: (a: string[]) => { stdout: string }) => run(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', `${tag}:imp`]).stdout;
    expect(layers((a) => t.run(a))).toBe(layers(docker));
  });

  it('an image saved by Docker loads into mydock with the same ID', () => {
    const id = docker(['image', 'inspect', '--format', '{{.Id}}', `${tag}:imp`]).stdout.trim();
    expect(docker(['tag', `${tag}:imp`, `${tag}:back`]).status).toBe(0);
    const file = path.join(t.dir, 'from-docker.tar');
    expect(docker(['save', '-o', file, `${tag}:back`]).status).toBe(0);
    expect(t.run(['load', '-i', file]).stdout).toBe(`Loaded image: ${tag}:back\n`);
    expect(t.run(['image', 'inspect', '--format', '{{.Id}}', `${tag}:back`]).stdout).toBe(`${id}\n`);
  });
});

describe.skipIf(reason === null)('round trips through real Docker', () => {
  it(`skipped: no Docker engine answers (${reason})`, () => {
    expect(reason).not.toBeNull();
  });
});
