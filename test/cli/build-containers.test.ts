/**
 * The classic builder's intermediate containers are real containers: a
 * failed RUN leaves its container `Exited (N)`, `--rm=false` keeps every
 * step's container (metadata steps as `Created`), `--force-rm` removes them
 * even on failure, and a RUN after a VOLUME writes into a throwaway volume.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../helpers/cli.js';

describe('mydock build: intermediate containers', () => {
  let t: TempRoot;
  const ctx = (name: string, dockerfile: string): string => {
    const dir = path.join(t.dir, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    return dir;
  };
  const psRows = (label: string): string[] =>
    t.run(['ps', '-a', '--filter', `label=${label}`, '--format', '{{.Status}}|{{.Command}}']).stdout.split('\n').filter(Boolean);

  beforeAll(() => {
    ensureBuilt();
    t = new TempRoot('mydock-build-ctr-');
  });
  afterAll(() => t.cleanup());

  it('a failing RUN leaves its container Exited with its command; a successful build leaves none', () => {
    const dir = ctx('fail', 'FROM alpine\nLABEL bc=fail\nRUN echo before && exit 7\n');
    const r = t.run(['build', dir]);
    expect(r.status).toBe(7);
    expect(r.stdout).not.toMatch(/Step 3\/3[^]*Removing intermediate container/);
    const rows = psRows('bc=fail');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^Exited \(7\) .* ago\|"\/bin\/sh -c 'echo be…"$/);
    const ok = t.run(['build', ctx('ok', 'FROM alpine\nLABEL bc=ok\nRUN true\n')]);
    expect(ok.status).toBe(0);
    expect(psRows('bc=ok')).toEqual([]);
  });

  it('--force-rm removes the failed container too, printing its removal before the error', () => {
    const r = t.run(['build', '--force-rm', ctx('force', 'FROM alpine\nLABEL bc=force\nRUN exit 3\n')]);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/ ---> Running in ([0-9a-f]{12})\nRemoving intermediate container \1\n$/);
    expect(psRows('bc=force')).toEqual([]);
  });

  it('--rm=false keeps every step container: metadata steps Created, RUN Exited (0); no Removing lines', () => {
    const r = t.run(['build', '--rm=false', ctx('keep', 'FROM alpine\nLABEL bc=keep\nWORKDIR /w\nRUN echo x > /w/f\n')]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Removing intermediate container');
    const rows = psRows('bc=keep');
    expect(rows).toHaveLength(3);
    // Steps created within the same instant may list in either order: count them.
    expect(rows.filter((row) => /^Exited \(0\) /.test(row))).toHaveLength(1);
    expect(rows.filter((row) => row.startsWith(`Created|"/bin/sh -c '#(nop) …"`))).toHaveLength(2);
    // The kept RUN container still has its changes (it was committed by copying, not by moving its files).
    const id = t.run(['ps', '-a', '-q', '--filter', 'label=bc=keep', '--filter', 'status=exited']).stdout.split('\n')[0]!;
    expect(t.run(['diff', id]).stdout).toContain('A /w/f');
  });

  it('a RUN after VOLUME writes into the step container\'s anonymous volume, not the image', () => {
    const r = t.run(['build', '-t', 'bc/vol:1', ctx('vol', 'FROM alpine\nRUN mkdir /vol && echo seeded > /vol/seed\nVOLUME /vol\nRUN echo lost > /vol/lost\n')]);
    expect(r.status).toBe(0);
    const ls = t.run(['run', '--rm', 'bc/vol:1', 'ls', '/vol']);
    expect(ls.stdout).toBe('seed\n');
    const history = t.run(['history', '--format', '{{.Size}}', 'bc/vol:1']).stdout.split('\n');
    expect(history[0]).toBe('0B');
    // The step containers' anonymous volumes went with them.
    expect(t.run(['volume', 'ls', '-q']).stdout).toBe('');
  });
});
