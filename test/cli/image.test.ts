import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../helpers/cli.js';

let t: TempRoot;
beforeAll(() => {
  ensureBuilt();
  t = new TempRoot();
});
afterAll(() => t.cleanup());

describe('image commands', () => {
  it('prints CreatedAt in the local zone, as docker/cli does', () => {
    const own = new TempRoot();
    try {
      own.run(['pull', 'busybox']);
      const r = own.run(['images', '--format', '{{.CreatedAt}}', 'busybox'], { env: { TZ: 'America/New_York' } });
      expect(r.stdout).toBe('2023-07-18 19:19:33 -0400 EDT\n');
      // docker/cli: SIZE with three significant digits, VIRTUAL SIZE with four (Docker 28 prints "1.98MB|1.982MB" for a 1982426-byte image).
      expect(own.run(['images', '--format', '{{.Size}}|{{.VirtualSize}}|{{.SharedSize}}', 'busybox']).stdout).toBe('4.26MB|4.262MB|N/A\n');
    } finally {
      own.cleanup();
    }
  });

  it('pull prints Docker lines; a second pull is up to date', () => {
    const first = t.run(['pull', 'alpine']);
    expect(first.status).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toBe('Using default tag: latest');
    expect(lines[1]).toBe('latest: Pulling from library/alpine');
    expect(lines).toContain('Status: Downloaded newer image for alpine:latest');
    expect(lines.at(-1)).toBe('docker.io/library/alpine:latest');
    expect(lines.filter((l) => l === 'docker.io/library/alpine:latest')).toHaveLength(1);
    expect(t.run(['pull', 'alpine']).stdout).toContain('Status: Image is up to date for alpine:latest');
    expect(t.run(['pull', '-q', 'alpine:latest']).stdout).toBe('docker.io/library/alpine:latest\n');
  });

  it('images and history show the seed figures for alpine', () => {
    const images = t.run(['images', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}']);
    expect(images.stdout).toBe('alpine:latest 7.05MB\n');
    const table = t.run(['images']).stdout.split('\n');
    expect(table[0]).toMatch(/^REPOSITORY {3}TAG {7}IMAGE ID {7}CREATED {7}SIZE$/);
    const history = t.run(['image', 'history', 'alpine']).stdout.split('\n');
    expect(history[0]).toBe('IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT');
    expect(history[1]).toMatch(/^[0-9a-f]{12} {3}.* {3}\/bin\/sh -c #\(nop\)  CMD \["\/bin\/sh"\] {14}0B {8}$/);
    expect(history[2]).toMatch(/^<missing> {6}.*\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{17}… {3}7\.05MB {4}$/);
    expect(t.run(['history', '-q', 'alpine']).stdout.split('\n')[1]).toBe('<missing>');
  });

  it('tag, rmi and their errors', () => {
    expect(t.run(['tag', 'alpine', 'acme/x:1']).status).toBe(0);
    expect(t.run(['tag', 'alpine', 'Bad:1'])).toMatchObject({
      status: 1,
      stderr: 'Error parsing reference: "Bad:1" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase\n',
    });
    expect(t.run(['rmi', 'acme/x:1'])).toMatchObject({ status: 0, stdout: 'Untagged: acme/x:1\n' });
    expect(t.run(['rmi', 'nosuch:1'])).toMatchObject({ status: 1, stderr: 'Error response from daemon: No such image: nosuch:1\n' });
    expect(t.run(['rmi', '-f', 'nosuch:1'])).toMatchObject({ status: 0, stderr: 'Error response from daemon: No such image: nosuch:1\n' });
    expect(t.run(['image', 'inspect', 'nosuch:1'])).toMatchObject({
      status: 1,
      stdout: '[]\n',
      stderr: 'Error response from daemon: no such image: nosuch:1: No such image: nosuch:1\n',
    });
    expect(t.run(['image', 'inspect', '--format', '{{.Size}}', 'alpine']).stdout).toBe('7049688\n');
  });

  it('unknown repositories and tags fail as a registry says', () => {
    expect(t.run(['pull', 'nosuchimage']).stderr).toBe(
      "Error response from daemon: pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n",
    );
    expect(t.run(['pull', 'alpine:nosuch'])).toMatchObject({
      status: 1,
      stderr: 'Error response from daemon: manifest for alpine:nosuch not found: manifest unknown: manifest unknown\n',
    });
  });
});
