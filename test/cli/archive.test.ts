/**
 * `save`, `load`, `import`, `export` through the built binary: what is
 * printed, exit statuses, Docker's error texts, a round trip that keeps the
 * image ID, and the export of a container's merged filesystem.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, TempRoot } from '../helpers/cli.js';
import { gzip, legacyArchive, rootfsTar, sha256, tar, testImage } from '../engine/archive/tar-fixtures.js';

const HAVE_SCRIPT = spawnSync('script', ['--version']).status === 0;

describe('archive commands', () => {
  let t: TempRoot;
  let rootfs: string;
  beforeAll(() => {
    ensureBuilt();
    t = new TempRoot('mydock-cli-archive-');
    rootfs = path.join(t.dir, 'rootfs.tar');
    fs.writeFileSync(rootfs, rootfsTar());
  });
  afterAll(() => {
    const ids = t.run(['ps', '-aq']).stdout.split('\n').filter(Boolean);
    if (ids.length) t.run(['rm', '-f', ...ids]);
    t.cleanup();
  });

  it('import prints the new ID; the layer is the tar as given; history says "Imported from -"', () => {
    const r = t.run(['import', rootfs, 'imp:1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(t.run(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', 'imp:1']).stdout).toBe(`["${sha256(rootfsTar())}"]\n`);
    expect(t.run(['history', '--format', '{{.CreatedBy}}|{{.Size}}|{{.Comment}}', 'imp:1']).stdout).toBe('|20B|Imported from -\n');
  });

  it('import - reads stdin (gzip too) and applies -c and -m', () => {
    fs.writeFileSync(path.join(t.dir, 'rootfs.tgz'), gzip(rootfsTar()));
    const r = spawnSync('sh', ['-c', `cat rootfs.tgz | "${process.execPath}" "${path.resolve('bin/mydock.js')}" --root "${t.root}" import -m "from stdin" -c 'CMD ["cat", "/a.txt"]' -c "ENV X=1" - imp:2`], {
      cwd: t.dir,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const out = t.run(['image', 'inspect', '--format', '{{json .Config.Cmd}} {{json .Config.Env}} {{.Comment}} {{len .RootFS.Layers}}', 'imp:2']).stdout;
    expect(out).toBe('["cat","/a.txt"] ["X=1"] from stdin 1\n');
  });

  it("import errors: Docker's texts and status 1", () => {
    expect(t.run(['import', 'nosuch.tar', 'bad:1'])).toMatchObject({ stderr: 'open nosuch.tar: no such file or directory\n', status: 1 });
    expect(t.run(['import', '-', 'bad:1'], { input: 'not a tar\n' })).toMatchObject({
      stderr: 'Error response from daemon: Error processing tar file(exit status 1): unexpected EOF\n',
      status: 1,
    });
    expect(t.run(['import', '-c', 'FROM x', rootfs])).toMatchObject({ stderr: 'Error response from daemon: from is not a valid change command\n', status: 1 });
  });

  it('save -o, rmi, load -i: same ID, "Loaded image:", history <missing> below the top', () => {
    const img = testImage([tar([{ name: 'a.txt', body: 'a\n' }]), tar([{ name: 'b.txt', body: 'b\n' }])]);
    fs.writeFileSync(path.join(t.dir, 'two.tar'), legacyArchive(img, ['two:1']));
    expect(t.run(['load', '-i', 'two.tar'])).toMatchObject({ stdout: 'Loaded image: two:1\n', status: 0 });
    expect(t.run(['save', '-o', 'saved.tar', 'two:1'])).toMatchObject({ stdout: '', stderr: '', status: 0 });
    const listing = execFileSync('tar', ['-tf', path.join(t.dir, 'saved.tar')], { encoding: 'utf8' });
    expect(listing).toContain('index.json');
    expect(listing).toContain('manifest.json');
    expect(t.run(['rmi', 'two:1']).status).toBe(0);
    expect(t.run(['load', '-i', 'saved.tar'])).toMatchObject({ stdout: 'Loaded image: two:1\n', status: 0 });
    expect(t.run(['load', '-q', '-i', 'saved.tar']).stdout).toBe('Loaded image: two:1\n');
    expect(t.run(['image', 'inspect', '--format', '{{.Id}}', 'two:1']).stdout).toBe(`${img.id}\n`);
    expect(t.run(['history', '-q', 'two:1']).stdout).toBe(`${img.id.slice(7, 19)}\n<missing>\n`);
    expect(t.run(['save', '-o', 'byid.tar', img.id]).status).toBe(0);
    expect(t.run(['rmi', 'two:1']).status).toBe(0);
    expect(t.run(['load', '-i', 'byid.tar']).stdout).toBe(`Loaded image ID: ${img.id}\n`);
  });

  it("save and load errors: Docker's texts and status 1", () => {
    expect(t.run(['save', 'nosuch:1', '-o', 'x.tar'])).toMatchObject({ stderr: 'Error response from daemon: reference does not exist\n', status: 1 });
    expect(t.run(['save', '-o', 'no/such/dir/x.tar', 'imp:1'])).toMatchObject({
      stderr: 'failed to save image: invalid output path: directory "no/such/dir" does not exist\n',
      status: 1,
    });
    expect(t.run(['load', '-i', 'no-such-file.tar'])).toMatchObject({ stderr: 'open no-such-file.tar: no such file or directory\n', status: 1 });
    expect(t.run(['load'], { input: 'not a tar\n' })).toMatchObject({ stderr: 'Error processing tar file(exit status 1): unexpected EOF\n', status: 1 });
  });

  it.skipIf(!HAVE_SCRIPT)('refuses to write an archive to a terminal, and to read one from it', () => {
    const bin = `"${process.execPath}" "${path.resolve('bin/mydock.js')}" --root "${t.root}"`;
    const onTty = (cmd: string) => spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', input: '' });
    const save = onTty(`${bin} save imp:1`);
    expect(save.stdout.replace(/\r/g, '')).toBe('cowardly refusing to save to a terminal. Use the -o flag or redirect\n');
    const load = onTty(`${bin} load`);
    expect(load.stdout.replace(/\r/g, '')).toBe('requested load from stdin, but stdin is empty\n');
  });

  it("export writes the container's merged filesystem (init layer files, no ./ prefix), -o too", () => {
    expect(t.run(['create', '--name', 'exp_c', 'imp:1', '/bin/tool']).status).toBe(0);
    const r = t.run(['export', '-o', 'c.tar', 'exp_c']);
    expect(r).toMatchObject({ stdout: '', stderr: '', status: 0 });
    const names = execFileSync('tar', ['-tf', path.join(t.dir, 'c.tar')], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    for (const n of ['.dockerenv', 'a.txt', 'bin/', 'bin/alias', 'bin/tool', 'dev/console', 'etc/hostname', 'etc/hosts', 'etc/mtab', 'etc/resolv.conf', 'proc/', 'sys/']) {
      expect(names).toContain(n);
    }
    expect(names.some((n) => n.startsWith('./'))).toBe(false);
    expect(execFileSync('tar', ['-xOf', path.join(t.dir, 'c.tar'), 'etc/hostname'], { encoding: 'utf8' })).toBe('');
    expect(t.run(['export', 'nosuch'])).toMatchObject({ stderr: 'Error response from daemon: No such container: nosuch\n', status: 1 });
  });

  it('export | import flattens a container into one layer', () => {
    const r = spawnSync('sh', ['-c', `${process.execPath} bin/mydock.js --root "${t.root}" export exp_c | ${process.execPath} bin/mydock.js --root "${t.root}" import - flat:1`], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(t.run(['history', '--format', '{{.Comment}}', 'flat:1']).stdout).toBe('Imported from -\n');
    expect(t.run(['image', 'inspect', '--format', '{{len .RootFS.Layers}}', 'flat:1']).stdout).toBe('1\n');
  });
});
