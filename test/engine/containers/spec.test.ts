/** Table-driven checks of the create rules (Docker's merge) and commit's -c changes. */
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../../src/engine/containers/commit-changes.js';
import type { ImageInfo } from '../../../src/engine/containers/ports.js';
import { buildConfig, buildHostConfig, commandOf, mergeEnv } from '../../../src/engine/containers/spec.js';
import { processEnv } from '../../../src/engine/containers/runtime-launcher.js';

const image = (config: ImageInfo['config']): ImageInfo => ({ id: 'sha256:' + '0'.repeat(64), config, topLayer: null, size: 0, repoTags: [] });

describe('create merges user and image config as the daemon does', () => {
  it.each([
    { name: 'image CMD when no command', cmd: [], ep: undefined, img: { Cmd: ['sh'] }, argv: ['sh'], storedCmd: ['sh'], storedEp: null },
    { name: 'user command replaces CMD', cmd: ['ls', '/'], ep: undefined, img: { Cmd: ['sh'] }, argv: ['ls', '/'], storedCmd: ['ls', '/'], storedEp: null },
    { name: 'image ENTRYPOINT + user args', cmd: ['-c', 'x'], ep: undefined, img: { Entrypoint: ['sh'], Cmd: ['-i'] }, argv: ['sh', '-c', 'x'], storedCmd: ['-c', 'x'], storedEp: ['sh'] },
    { name: '--entrypoint drops image CMD', cmd: [], ep: 'env', img: { Entrypoint: ['sh'], Cmd: ['-i'] }, argv: ['env'], storedCmd: null, storedEp: ['env'] },
    { name: '--entrypoint "" clears it', cmd: ['true'], ep: '', img: { Entrypoint: ['sh'] }, argv: ['true'], storedCmd: ['true'], storedEp: [''] },
  ])('$name', ({ cmd, ep, img, argv, storedCmd, storedEp }) => {
    const r = commandOf({ image: 'x', cmd, entrypoint: ep }, image(img));
    expect(r.argv).toEqual(argv);
    expect(r.cmd).toEqual(storedCmd);
    expect(r.entrypoint).toEqual(storedEp);
  });

  it('puts the user env first, then the image env the user did not set', () => {
    expect(mergeEnv(['A=1', 'PATH=/x'], ['PATH=/bin', 'B=2'])).toEqual(['A=1', 'PATH=/x', 'B=2']);
  });

  it('records attach flags as run/create/run -d do', () => {
    const attached = buildConfig('a'.repeat(64), { image: 'x', cmd: ['sh'], openStdin: true }, image({})).config;
    expect([attached.AttachStdin, attached.AttachStdout, attached.StdinOnce]).toEqual([true, true, true]);
    const detached = buildConfig('a'.repeat(64), { image: 'x', cmd: ['sh'], openStdin: true, tty: true, detach: true }, image({})).config;
    expect([detached.AttachStdin, detached.AttachStdout, detached.OpenStdin, detached.Tty]).toEqual([false, false, true, true]);
    expect(detached.Hostname).toBe('aaaaaaaaaaaa');
  });

  it('places optional HostConfig fields where Docker prints them', () => {
    const keys = Object.keys(buildHostConfig({ image: 'x', cmd: [], tmpfs: { '/t': '' }, hostMounts: [{ Type: 'tmpfs', Target: '/m' }], init: true }));
    expect(keys.indexOf('Tmpfs')).toBe(keys.indexOf('SecurityOpt') + 1);
    expect(keys.indexOf('Mounts')).toBe(keys.indexOf('MaskedPaths') - 1);
    expect(keys[keys.length - 1]).toBe('Init');
  });

  it('builds the process environment as the daemon and runc do', () => {
    expect(processEnv(['FOO=bar'], 'h1', true, '/root')).toEqual({
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: 'h1',
      TERM: 'xterm',
      FOO: 'bar',
      HOME: '/root',
    });
    expect(processEnv(['PATH=/only'], 'h1', false, '/')).toEqual({ PATH: '/only', HOSTNAME: 'h1', HOME: '/' });
  });
});

describe('commit -c', () => {
  it.each([
    ['CMD ["cat","/f"]', { Cmd: ['cat', '/f'] }],
    ['CMD echo hi', { Cmd: ['/bin/sh', '-c', 'echo hi'] }],
    ['ENV A=1 B="two words"', { Env: ['A=1', 'B=two words'] }],
    ['ENV C 3', { Env: ['C=3'] }],
    ['LABEL x=y', { Labels: { x: 'y' } }],
    ['WORKDIR /app', { WorkingDir: '/app' }],
    ['USER nobody', { User: 'nobody' }],
    ['EXPOSE 80 53/udp', { ExposedPorts: { '80/tcp': {}, '53/udp': {} } }],
    ['VOLUME /data', { Volumes: { '/data': {} } }],
    ['ENTRYPOINT ["sh"]', { Entrypoint: ['sh'], Cmd: null }],
  ])('%s', (change, expected) => {
    expect(applyChanges({ Cmd: ['old'] }, [change])).toMatchObject(expected);
  });

  it('refuses other instructions with Docker text', () => {
    expect(() => applyChanges({}, ['RUN echo hi'])).toThrow('run is not a valid change command');
  });
});
