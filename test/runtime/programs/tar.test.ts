/**
 * tar beyond what the differential test can set up: stdin and stdout
 * archives, hard links, long names, unsafe member names and links, gzip
 * round trips, ownership by name. Texts and formats are busybox's.
 */
import { describe, expect, it } from 'vitest';
import { baseFs, run } from './helpers/run.js';

const T = Date.UTC(2024, 0, 10, 9, 30);

/** A ustar header as busybox writes it, for archives busybox would not write itself. */
function header(name: string, type: string, size: number, linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'latin1');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14547461630\0', 136);
  h.write(type, 156);
  h.write(linkname, 157, 'latin1');
  h.write('ustar  \0', 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}
const body = (s: string): Buffer => Buffer.concat([Buffer.from(s), Buffer.alloc((512 - (s.length % 512)) % 512)]);

describe('tar', () => {
  it('round-trips a tree with a hard link, a long name and a symlink, through a file and through gzip', async () => {
    const fs = baseFs();
    const long = `src/${'n'.repeat(120)}.txt`;
    fs.put('/w/src/a.txt', 'alpha\n', { mtimeMs: T });
    fs.put(`/w/${long}`, 'long\n', { mtimeMs: T });
    fs.link('/w/src/a.txt', '/w/src/hard');
    fs.symlink('a.txt', '/w/src/link');
    expect(await run(['tar', 'cf', '/t.tar', '-C', '/w', 'src/a.txt', 'src/hard', 'src/link', long], { fs })).toMatchObject({ status: 0, stderr: '' });
    const list = await run(['tar', 'tvf', '/t.tar'], { fs });
    expect(list.stdout).toBe(
      [
        '-rw-r--r-- root/root         6 2024-01-10 09:30:00 src/a.txt',
        '-rw-r--r-- root/root         0 2024-01-10 09:30:00 src/hard -> src/a.txt',
        'lrwxrwxrwx root/root         0 2024-01-15 12:00:00 src/link -> a.txt',
        `-rw-r--r-- root/root         5 2024-01-10 09:30:00 ${long}`,
        '',
      ].join('\n'),
    );
    expect(await run(['tar', 'xf', '/t.tar', '-C', '/out'], { fs })).toMatchObject({ status: 1, stderr: "tar: can't change directory to '/out': No such file or directory\n" });
    fs.mkdir('/out');
    expect(await run(['tar', 'xf', '/t.tar', '-C', '/out'], { fs })).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFile(`/out/${long}`).toString()).toBe('long\n');
    expect(fs.stat('/out/src/hard').nlink).toBe(2);
    expect(fs.readlink('/out/src/link')).toBe('a.txt');
    expect(fs.stat('/out/src/a.txt').mtimeMs).toBe(T);

    expect((await run(['tar', 'czf', '/t.tgz', '-C', '/w', 'src/a.txt'], { fs })).status).toBe(0);
    expect(fs.readFile('/t.tgz').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect((await run(['tar', 'tzf', '/t.tgz'], { fs })).stdout).toBe('src/a.txt\n');
    // Given by name, a gzip archive is recognised without -z, as busybox does on a seekable file.
    expect((await run(['tar', 'xOf', '/t.tgz'], { fs })).stdout).toBe('alpha\n');
  });

  it('reads the archive from stdin and writes it to stdout; verbose names go to stderr then', async () => {
    const fs = baseFs();
    fs.put('/d/f', 'x\n', { mtimeMs: T });
    const archive = Buffer.concat([header('d/f', '0', 2), body('x\n'), Buffer.alloc(1024)]);
    expect(await run(['tar', 'tv'], { fs, stdin: archive })).toMatchObject({ stdout: '-rw-r--r-- 0/0         2 2024-01-10 09:30:00 d/f\n', status: 0 });
    expect(await run(['tar', 'xOf', '-'], { fs, stdin: archive })).toMatchObject({ stdout: 'x\n', status: 0 });
    const c = await run(['tar', 'cvf', '-', 'd'], { fs, cwd: '/' });
    expect(c.stderr).toBe('d/\nd/f\n');
    expect(c.status).toBe(0);
    // A gzip stream on stdin needs -z (busybox cannot seek back on a pipe to look for it).
    const gz = (await import('node:zlib')).gzipSync(archive);
    expect(await run(['tar', 'tf', '-'], { fs, stdin: gz })).toMatchObject({ stderr: 'tar: short read\n', status: 1 });
    expect(await run(['tar', 'tzf', '-'], { fs, stdin: gz })).toMatchObject({ stdout: 'd/f\n', status: 0 });
  });

  it('strips leading "/" and "../" from member names, and makes links that climb out last', async () => {
    const fs = baseFs();
    fs.mkdir('/x');
    const archive = Buffer.concat([
      header('/abs.txt', '0', 2), body('a\n'),
      header('../../up.txt', '0', 2), body('u\n'),
      header('esc', '2', 0, '/etc'),
      header('esc/passwd', '0', 2), body('p\n'),
      Buffer.alloc(1024),
    ]);
    fs.put('/ar.tar', archive);
    const r = await run(['tar', 'xvf', '/ar.tar', '-C', '/x'], { fs });
    expect(r.stderr).toBe("tar: removing leading '/' from member names\ntar: can't create symlink 'esc' to '/etc': File exists\n");
    expect(r.stdout).toBe('abs.txt\nup.txt\nesc\nesc/passwd\n');
    expect(fs.readFile('/x/abs.txt').toString()).toBe('a\n');
    expect(fs.readFile('/x/up.txt').toString()).toBe('u\n');
    // esc/passwd went into a real directory esc/ ... which then could not become the link.
    expect(fs.readFile('/etc/passwd').toString()).not.toBe('p\n');
    expect(r.status).toBe(1);
  });

  it('short reads, bad magic and a lone zero block end as busybox ends them', async () => {
    const fs = baseFs();
    const one = Buffer.concat([header('f', '0', 2), body('x\n')]);
    fs.put('/noend.tar', one);
    expect(await run(['tar', 'tf', '/noend.tar'], { fs })).toMatchObject({ stdout: 'f\n', stderr: 'tar: short read\n', status: 0 });
    fs.put('/zero.tar', Buffer.concat([one, Buffer.alloc(512)]));
    expect(await run(['tar', 'tf', '/zero.tar'], { fs })).toMatchObject({ stdout: 'f\n', stderr: '', status: 0 });
    fs.put('/empty.tar', '');
    expect(await run(['tar', 'tf', '/empty.tar'], { fs })).toMatchObject({ stderr: 'tar: short read\n', status: 1 });
    fs.put('/bad.tar', Buffer.alloc(1024, 0x41));
    expect(await run(['tar', 'tf', '/bad.tar'], { fs })).toMatchObject({ stderr: 'tar: invalid tar magic\n', status: 1 });
  });
});
