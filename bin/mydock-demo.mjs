#!/usr/bin/env node
// The seeds' walkthrough on a throwaway root: every command is printed before
// its output, exactly as a learner would type it. `npm run demo` runs it;
// `--keep` leaves the root in place to explore afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'mydock.js');
const keep = process.argv.includes('--keep');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-demo-'));
const root = path.join(work, 'root');
const ctx = path.join(work, 'seed-layers');
fs.cpSync(path.join(repo, 'fixtures', 'contexts', 'seed-layers'), ctx, { recursive: true });
const hostDb = path.join(work, 'some_db');

const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);

function section(title) {
  process.stdout.write(`\n${bold(`## ${title}`)}\n`);
}

/** Runs one mydock command in the seed context, printing it first. */
function mydock(...args) {
  const shown = args.map((a) => (/^[\w./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  process.stdout.write(`${bold(`$ mydock ${shown}`)}\n`);
  const r = spawnSync(process.execPath, [bin, '--root', root, ...args], { cwd: ctx, encoding: 'utf8', env: { ...process.env } });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== 0) process.stdout.write(`(exit status ${r.status})\n`);
  return r;
}

/** Waits (quietly, up to a minute) until mysqld in a container answers, as a reader would before typing a query. */
function waitForMysql(name) {
  process.stdout.write(`# waiting until mysqld in ${name} is ready for connections\n`);
  for (let i = 0; i < 120; i++) {
    const r = spawnSync(process.execPath, [bin, '--root', root, 'exec', name, 'mysqladmin', '-uroot', '-psecret', 'ping'], { encoding: 'utf8' });
    if (r.status === 0) return;
    spawnSync('sleep', ['0.5']);
  }
}

try {
  section('Images are stacks of layers (seed 002)');
  mydock('build', '-t', 'acme/my-base-image:1.0', '-f', 'Dockerfile.base', '.');
  mydock('build', '-t', 'acme/my-final-image:1.0', '-f', 'Dockerfile', '.');
  mydock('images', '--format', 'table {{.ID}}\t{{.Repository}}\t{{.Size}}');
  mydock('image', 'history', 'acme/my-base-image:1.0');
  mydock('image', 'history', 'acme/my-final-image:1.0');

  section('Five containers share one image; each has its own thin writable layer');
  for (let i = 1; i <= 5; i++) mydock('run', '-dit', '--name', `my_container_${i}`, 'acme/my-final-image:1.0', 'bash');
  mydock('ps', '--size', '--format', 'table {{.ID}}\t{{.Image}}\t{{.Names}}\t{{.Size}}');
  for (let i = 1; i <= 3; i++) mydock('exec', `my_container_${i}`, 'sh', '-c', 'printf hello > /out.txt');
  mydock('ps', '--size', '--format', 'table {{.ID}}\t{{.Image}}\t{{.Names}}\t{{.Size}}');
  mydock('diff', 'my_container_1');
  mydock('rm', '-f', 'my_container_1', 'my_container_2', 'my_container_3', 'my_container_4', 'my_container_5');

  section('A database keeps its data only if the datadir is in a volume (seed 004)');
  mydock('volume', 'create', 'data_volume');
  mydock('run', '-d', '--name', 'db', '-e', 'MYSQL_ROOT_PASSWORD=secret', '-v', 'data_volume:/var/lib/mysql', 'mysql:5.7');
  waitForMysql('db');
  mydock('exec', 'db', 'mysql', '-uroot', '-psecret', '-e', "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT, item VARCHAR(20)); INSERT INTO shop.orders VALUES (1, 'book');");
  mydock('rm', '-f', 'db');
  mydock('run', '-d', '--name', 'db2', '-e', 'MYSQL_ROOT_PASSWORD=secret', '-v', 'data_volume:/var/lib/mysql', 'mysql:5.7');
  waitForMysql('db2');
  mydock('exec', 'db2', 'mysql', '-uroot', '-psecret', '-e', 'SELECT * FROM shop.orders;');
  mydock('rm', '-f', 'db2');
  mydock('run', '-d', '--name', 'db3', '-e', 'MYSQL_ROOT_PASSWORD=secret', 'mysql:5.7');
  waitForMysql('db3');
  mydock('exec', 'db3', 'mysql', '-uroot', '-psecret', '-e', 'SHOW DATABASES;');
  mydock('rm', '-f', '-v', 'db3');

  section('A bind mount: the host sees the files');
  mydock('run', '-d', '--name', 'db4', '-e', 'MYSQL_ROOT_PASSWORD=secret', '-v', `${hostDb}:/var/lib/mysql`, 'mysql:5.7');
  waitForMysql('db4');
  process.stdout.write(`${bold(`$ ls ${hostDb}`)}\n${fs.existsSync(hostDb) ? fs.readdirSync(hostDb).join('\n') + '\n' : ''}`);
  mydock('rm', '-f', 'db4');

  section('tmpfs lives in memory and never counts in the container layer (seed 000)');
  mydock('run', '-d', '-it', '--name', 'tmptest', '--tmpfs', '/app', 'nginx:latest');
  mydock('exec', 'tmptest', 'sh', '-c', 'echo scratch > /app/note && ls /app');
  mydock('ps', '-s', '--filter', 'name=tmptest', '--format', '{{.Names}} {{.Size}}');
  mydock('inspect', '--format', '{{json .HostConfig.Tmpfs}}', 'tmptest');
  mydock('rm', '-f', 'tmptest');

  section('Disk usage');
  mydock('system', 'df', '-v');
} finally {
  if (keep) {
    process.stdout.write(`\nThe demo root is kept at ${root}: try  mydock --root ${root} images\n`);
  } else {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
