/**
 * Containers, Dockerfiles, build contexts and archives that try to reach the
 * host. Beside the root sit a canary directory no container is given and a
 * bind directory one is given; after every attempt the canary's files,
 * contents and mtimes are unchanged, nothing new appears beside the root
 * (outside the named bind paths), marker files named by absolute host paths
 * do not exist, and no command dies with a stack trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot, type CliResult } from '../helpers/cli.js';
import { fingerprint, plantCanary, topNames } from './canary.js';
import { hostileTar, type HostileEntry } from './hostile-tar.js';

describe('escape attempts', () => {
  let t: TempRoot;
  let canary: string;
  let bind: string;
  let before: string[];
  /** A name no host path has; containers try to create it at absolute host paths. */
  const marker = `mydock-escape-${process.pid}`;
  const hostMarkers = () => [path.join('/', marker), path.join(os.tmpdir(), marker), path.join(path.dirname(canary), marker), path.join(canary, marker)];

  beforeAll(() => {
    ensureBuilt();
    t = new TempRoot('mydock-escape-');
    canary = path.join(t.dir, 'canary');
    bind = path.join(t.dir, 'bind');
    plantCanary(canary);
    fs.mkdirSync(bind);
    // Links planted by the host in a directory it binds: the container must resolve them in its own namespace.
    fs.symlinkSync('../canary', path.join(bind, 'up'));
    fs.symlinkSync(canary, path.join(bind, 'abs'));
    before = fingerprint(canary);
    expect(t.run(['pull', 'alpine']).status).toBe(0);
  });
  afterAll(() => t.cleanup());

  /** The checks after every attempt. `allowed` are extra names that may appear beside the root (build contexts, outputs). */
  const allowedNames = new Set(['bind', 'canary', 'root']);
  const expectNoEscape = (results: CliResult[], allowed: string[] = []): void => {
    for (const a of allowed) allowedNames.add(a);
    if (process.env['ESCAPE_VERBOSE']) for (const r of results) console.log(`[${r.status}] ${r.stdout.slice(0, 200)}${r.stderr.slice(0, 300)}`);
    for (const r of results) expect(r.stderr, 'a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(fingerprint(canary)).toEqual(before);
    expect(topNames(t.dir).filter((n) => !allowedNames.has(n))).toEqual([]);
    for (const m of hostMarkers()) expect(fs.existsSync(m), m).toBe(false);
  };

  const sh = (script: string, extra: string[] = []): CliResult => t.run(['run', '--rm', ...extra, 'alpine', 'sh', '-c', script]);

  it('symlinks to /, to .. and to absolute host paths resolve inside the container', () => {
    const rel = path.relative('/', canary);
    const r = sh(
      [
        'ln -s / /hostroot',
        'ln -s ../../../../../../.. /up',
        `ln -s ${canary} /abs`,
        `echo x > /hostroot/${rel}/${marker}`,
        `echo x > /up/${rel}/${marker}`,
        `echo x > /abs/${marker}`,
        `echo x > /up/${marker}`,
        `echo x > /hostroot/tmp/${marker}`,
        `mkdir -p /up/${rel} && echo x > /up/${rel}/file`,
        'true',
      ].join('; '),
    );
    expect(r.status).toBe(0);
    expectNoEscape([r]);
  });

  it('links planted in a bind mount by the host resolve in the container namespace', () => {
    const r = sh(`echo x > /data/up/${marker}; echo x > /data/abs/${marker}; cat /data/up/file /data/abs/file; ln -s / /data/root; echo x > /data/root/${marker}; rm -f /data/root; true`, ['-v', `${bind}:/data`]);
    expect(r.stdout).not.toContain('canary');
    expectNoEscape([r]);
  });

  it('a bind source that is itself a link is the one path the user named; its siblings stay out of reach', () => {
    const link = path.join(t.dir, 'bindlink');
    fs.symlinkSync(bind, link);
    try {
      const r = sh(`echo x > /data/../${marker}; echo x > /data/up/${marker}; true`, ['-v', `${link}:/data`]);
      expectNoEscape([r], ['bindlink']);
    } finally {
      fs.unlinkSync(link);
    }
  });

  it('volume names with "/" or "..", and -v with "..", are refused with Docker\'s texts', () => {
    const results = [
      t.run(['volume', 'create', '../canary']),
      t.run(['volume', 'create', 'a/b']),
      t.run(['volume', 'create', '..']),
      t.run(['run', '--rm', '-v', '../canary:/data', 'alpine', 'true']),
      t.run(['run', '--rm', '-v', 'x/../../canary:/data', 'alpine', 'true']),
      t.run(['run', '--rm', '--mount', 'type=volume,src=../canary,dst=/data', 'alpine', 'true']),
      t.run(['run', '--rm', '-v', `${bind}:/data/../..`, 'alpine', 'true']),
    ];
    for (const r of results.slice(0, 3)) {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/includes invalid characters for a local volume name/);
    }
    for (const r of results.slice(3, 6)) expect(r.status).toBe(125);
    expect(results[6]!.stderr).toMatch(/destination can't be '\/'/);
    expectNoEscape(results);
    const volumes = path.join(t.root, 'volumes');
    expect(fs.existsSync(volumes) ? fs.readdirSync(volumes).filter((n) => n.includes('canary')) : []).toEqual([]);
  });

  it('cp through links, container to host and host to container', () => {
    const rel = path.relative('/', canary);
    const out = path.join(t.dir, 'out');
    fs.mkdirSync(out);
    const results: CliResult[] = [];
    results.push(t.run(['run', '-d', '--name', 'cpx', 'alpine', 'sleep', '300']));
    results.push(t.run(['exec', 'cpx', 'sh', '-c', `ln -s ${canary} /abs; ln -s ../../../../../../.. /up; ln -s / /root2; mkdir -p /d; ln -s ${canary}/file /d/f`]));
    // Out of the container: links are copied as links, or followed inside the container (-L).
    results.push(t.run(['cp', 'cpx:/abs', path.join(out, 'abs')]));
    results.push(t.run(['cp', '-L', 'cpx:/abs/file', path.join(out, 'f1')]));
    results.push(t.run(['cp', `cpx:/up/${rel}/file`, path.join(out, 'f2')]));
    results.push(t.run(['cp', 'cpx:/d', path.join(out, 'd')]));
    // Into the container through its links: the writes land inside the container.
    const src = path.join(out, marker);
    fs.writeFileSync(src, 'x');
    results.push(t.run(['cp', src, 'cpx:/abs/']));
    results.push(t.run(['cp', src, `cpx:/up/${rel}/`]));
    results.push(t.run(['cp', src, `cpx:/root2/${rel}/`]));
    results.push(t.run(['cp', src, 'cpx:/d/f']));
    fs.unlinkSync(src);
    // A tar on stdin whose entries climb out.
    const tar = hostileTar([
      { name: `../../../../../../..${canary}/${marker}`, type: 'file', linkname: '', body: 'x' },
      { name: 'lnk', type: 'symlink', linkname: canary, body: '' },
      { name: `lnk/${marker}`, type: 'file', linkname: '', body: 'x' },
      { name: 'hl', type: 'hardlink', linkname: `../../../../..${canary}/file`, body: '' },
    ]);
    results.push(t.run(['cp', '-', 'cpx:/tmp'], { input: tar.toString('latin1') }));
    results.push(t.run(['rm', '-f', 'cpx']));
    expect(fs.existsSync(path.join(out, 'f1'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'f2'))).toBe(false);
    expect(fs.lstatSync(path.join(out, 'abs')).isSymbolicLink()).toBe(true);
    expectNoEscape(results, ['out']);
  });

  it('Dockerfiles and contexts: COPY ../, links in the context, ADD of a hostile tar', () => {
    const ctx = path.join(t.dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.symlinkSync(canary, path.join(ctx, 'abs'));
    fs.symlinkSync('../canary', path.join(ctx, 'up'));
    fs.writeFileSync(
      path.join(ctx, 'evil.tar'),
      hostileTar([
        { name: `../../../../../..${canary}/${marker}`, type: 'file', linkname: '', body: 'x' },
        { name: 'l', type: 'symlink', linkname: canary, body: '' },
        { name: `l/${marker}`, type: 'file', linkname: '', body: 'x' },
      ]),
    );
    const build = (dockerfile: string): CliResult => {
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile);
      return t.run(['build', '-q', ctx]);
    };
    const results = [
      build('FROM alpine\nCOPY ../canary/file /x\n'),
      build(`FROM alpine\nCOPY ${canary}/file /x\n`),
      build('FROM alpine\nCOPY abs/file /x\n'),
      build('FROM alpine\nCOPY up/file /x\n'),
      build('FROM alpine\nCOPY up /x\n'),
      build('FROM alpine\nADD evil.tar /t/\n'),
      build(`FROM alpine\nRUN ln -s / /h && echo x > /h${canary}/${marker}; true\nWORKDIR /h${canary}\nRUN echo x > ${marker}; true\n`),
      build(`FROM alpine\nVOLUME ${canary}\nRUN echo x > ${canary}/${marker}\n`),
    ];
    // Nothing of the canary may have been copied into an image: COPY of a link copies the link, and the
    // paths outside the context are refused.
    expect(results[0]!.status).toBe(1);
    expect(results[1]!.status).toBe(1);
    expectNoEscape(results, ['ctx']);
  });

  it('load and import of archives that climb out, link out and write through links', () => {
    const entries: HostileEntry[][] = [
      [{ name: `../../../../../..${canary}/${marker}`, type: 'file', linkname: '', body: 'x' }],
      [{ name: `${canary}/${marker}`, type: 'file', linkname: '', body: 'x' }],
      [
        { name: 'l', type: 'symlink', linkname: canary, body: '' },
        { name: `l/${marker}`, type: 'file', linkname: '', body: 'x' },
      ],
      [
        { name: 'u', type: 'symlink', linkname: '../../../../../../..', body: '' },
        { name: `u${canary}/${marker}`, type: 'file', linkname: '', body: 'x' },
      ],
      [{ name: 'h', type: 'hardlink', linkname: `../../../../../..${canary}/file`, body: '' }],
      [{ name: 'h', type: 'hardlink', linkname: `${canary}/file`, body: '' }],
      [{ name: 'big', type: 'file', linkname: '', body: 'x', declaredSize: 8 * 1024 ** 3 }],
    ];
    const results: CliResult[] = [];
    entries.forEach((es, i) => {
      const file = path.join(t.dir, `a${i}.tar`);
      fs.writeFileSync(file, hostileTar(es));
      results.push(t.run(['import', file, `evil:${i}`]));
      // The same entries as the outer archive of `load`.
      fs.writeFileSync(file, hostileTar([...es, { name: 'manifest.json', type: 'file', linkname: '', body: '[]' }]));
      results.push(t.run(['load', '-i', file]));
      fs.unlinkSync(file);
    });
    // Whatever was imported: a container of it sees the names inside the image, never the host's canary.
    const imported = t.run(['images', '-q', 'evil']).stdout.trim().split('\n').filter(Boolean);
    for (const id of imported) results.push(t.run(['run', '--rm', id, 'true']));
    expectNoEscape(results);
    expect(fs.readdirSync(path.join(t.root, 'tmp'))).toEqual([]);
  });
});
