import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../helpers/cli.js';

let t: TempRoot;
beforeAll(() => {
  ensureBuilt();
  t = new TempRoot('mydock-cli-system-');
  t.run(['run', '--name', 'sys_c1', 'alpine', 'sh', '-c', 'printf xy > /x']);
  t.run(['volume', 'create', 'sys_vol']);
}, 120_000);
afterAll(() => t.cleanup());

/** Table cells as the conformance normalizer sees them (runs of 2+ spaces are one separator). */
const cells = (lineText: string) => lineText.trim().split(/ {2,}/);

describe('mydock system df', () => {
  it('prints the summary rows with Docker percentages', () => {
    const r = t.run(['system', 'df']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(cells(lines[0]!)).toEqual(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE']);
    expect(cells(lines[1]!)).toEqual(['Images', '1', '1', '7.05MB', '0B (0%)']);
    expect(cells(lines[2]!)).toEqual(['Containers', '1', '0', '2B', '2B (100%)']);
    expect(cells(lines[3]!)).toEqual(['Local Volumes', '1', '0', '0B', '0B']);
    expect(cells(lines[4]!)).toEqual(['Build Cache', '0', '0', '0B', '0B']);
    expect(t.run(['system', 'df', '--format', '{{.Type}}']).stdout).toBe('Images\nContainers\nLocal Volumes\nBuild Cache\n');
    expect(t.run(['system', 'df', '--format', 'json']).stdout.split('\n')[0]).toBe(
      '{"Active":"1","Reclaimable":"0B (0%)","Size":"7.05MB","TotalCount":"1","Type":"Images"}',
    );
  });

  it('-v prints the four sections with their headers', () => {
    const out = t.run(['system', 'df', '-v']).stdout;
    const lines = out.split('\n');
    expect(lines[0]).toBe('Images space usage:');
    expect(cells(lines[2]!)).toEqual(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS']);
    expect(cells(lines[3]!)).toEqual(['alpine', 'latest', expect.stringMatching(/^[0-9a-f]{12}$/), expect.stringMatching(/ ago$/), '7.05MB', '0B', '7.05MB', '1']);
    expect(out).toContain('\nContainers space usage:\n\n');
    expect(out).toMatch(/"sh -c 'printf xy > …"\s+0\s+2B\s+/);
    expect(out).toContain('\nLocal Volumes space usage:\n\n');
    expect(out).toMatch(/\nsys_vol\s+0\s+0B\n/);
    expect(out.endsWith('\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n')).toBe(true);
  });
});

describe('mydock inspect', () => {
  it('finds containers, then images, then volumes', () => {
    expect(t.run(['inspect', '--format', '{{.Name}}', 'sys_c1']).stdout).toBe('/sys_c1\n');
    expect(t.run(['inspect', '--format', '{{.Name}} {{.Driver}}', 'sys_vol']).stdout).toBe('sys_vol local\n');
    expect(t.run(['inspect', '--format', '{{index .RepoTags 0}}', 'alpine']).stdout).toBe('alpine:latest\n');
    expect(t.run(['inspect', '-s', '--format', '{{.SizeRw}}', 'sys_c1'])).toMatchObject({ stdout: '2\n', stderr: '', status: 0 });
    const image = t.run(['inspect', '-s', '--format', '{{.Os}}', 'alpine']);
    expect(image).toMatchObject({ stdout: 'linux\n', stderr: 'WARNING: --size ignored for image\n', status: 0 });
  });

  it('reports unknown names as Docker does, with and without --type', () => {
    expect(t.run(['inspect', 'nosuch'])).toMatchObject({ stdout: '[]\n', stderr: 'Error: No such object: nosuch\n', status: 1 });
    expect(t.run(['inspect', '--format', '{{.Name}}', 'nosuch'])).toMatchObject({ stdout: '\n', stderr: 'Error: No such object: nosuch\n', status: 1 });
    expect(t.run(['inspect', '--type', 'container', 'nosuch']).stderr).toBe('Error response from daemon: No such container: nosuch\n');
    expect(t.run(['inspect', '--type', 'image', 'nosuch']).stderr).toBe('Error response from daemon: no such image: nosuch: No such image: nosuch:latest\n');
    expect(t.run(['inspect', '--type', 'volume', 'nosuch']).stderr).toBe('Error response from daemon: get nosuch: no such volume\n');
    expect(t.run(['inspect', '--type', 'bogus', 'x'])).toMatchObject({
      stdout: '',
      stderr: 'unknown type: "bogus": must be one of "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"\n',
      status: 1,
    });
  });
});

describe('mydock info and version', () => {
  it('info lays out the Client and Server sections and answers --format', () => {
    const out = t.run(['info']).stdout;
    expect(out.startsWith('Client:\n Version:    0.1.0\n Context:    default\n Debug Mode: false\n\nServer:\n Containers: 1\n  Running: 0\n  Paused: 0\n  Stopped: 1\n Images: 1\n Server Version: 0.1.0\n Storage Driver: overlay2\n  Backing Filesystem: ')).toBe(true);
    expect(out).toContain(`\n Docker Root Dir: ${t.root}\n Debug Mode: false\n`);
    expect(out.endsWith(' Live Restore Enabled: false\n\n')).toBe(true);
    expect(t.run(['info', '--format', '{{.Driver}} {{.DockerRootDir}}']).stdout).toBe(`overlay2 ${t.root}\n`);
    const json = JSON.parse(t.run(['info', '--format', '{{json .}}']).stdout) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 6)).toEqual(['ID', 'Containers', 'ContainersRunning', 'ContainersPaused', 'ContainersStopped', 'Images']);
    expect(Object.keys(json).at(-1)).toBe('ClientInfo');
  });

  it('a vfs root shows only the driver name', () => {
    const v = new TempRoot('mydock-cli-system-vfs-');
    try {
      const out = v.run(['--storage-driver', 'vfs', 'info']).stdout;
      expect(out).toContain('\n Storage Driver: vfs\n Logging Driver: json-file\n');
    } finally {
      v.cleanup();
    }
  });

  it('version prints Client and Server sections; --format reads the server', () => {
    const out = t.run(['version']).stdout;
    expect(out).toMatch(/^Client:\n Version:           0\.1\.0\n API version:       1\.41\n Go version:        node\S+\n/);
    expect(out).toContain('\nServer:\n Engine:\n  Version:          0.1.0\n  API version:      1.41 (minimum version 1.12)\n');
    expect(out).toContain('\n overlay2:\n  Version:          0.1.0\n');
    expect(t.run(['version', '--format', '{{.Server.Version}}']).stdout).toBe('0.1.0\n');
  });
});

describe('mydock system check and prune', () => {
  it('check is silent on a healthy root and reports and repairs damage', () => {
    expect(t.run(['system', 'check'])).toMatchObject({ stdout: '', status: 0 });
    const orphan = path.join(t.root, 'overlay2', 'f'.repeat(64));
    fs.mkdirSync(path.join(orphan, 'diff'), { recursive: true });
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(orphan, old, old);
    expect(t.run(['system', 'check'])).toMatchObject({ stdout: `overlay2/${'f'.repeat(64)}: a driver directory no layer or container refers to\n`, status: 1 });
    expect(t.run(['system', 'check', '--repair'])).toMatchObject({
      stdout: `overlay2/${'f'.repeat(64)}: a driver directory no layer or container refers to\n  repaired: removed overlay2/${'f'.repeat(64)}\n`,
      status: 0,
    });
    expect(fs.existsSync(orphan)).toBe(false);
  });

  it('prune asks first, then removes stopped containers, unused volumes and images', () => {
    const asked = t.run(['system', 'prune'], { input: 'n\n' });
    expect(asked.stdout).toBe(
      'WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue? [y/N] ',
    );
    expect(t.run(['ps', '-aq']).stdout).not.toBe('');
    const r = t.run(['system', 'prune', '-a', '-f', '--volumes']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Deleted Containers:');
    expect(lines[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stdout).toContain('\n\nDeleted Volumes:\nsys_vol\n\nDeleted Images:\nuntagged: alpine:latest\n');
    expect(r.stdout).toMatch(/\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: 7\.05MB\n$/);
    expect(t.run(['system', 'prune', '-f'])).toMatchObject({ stdout: 'Total reclaimed space: 0B\n', status: 0 });
    expect(t.run(['system', 'prune', '-f', '--volumes', '--filter', 'until=1h']).stderr).toBe('ERROR: The "until" filter is not supported with "--volumes"\n');
  });
});
