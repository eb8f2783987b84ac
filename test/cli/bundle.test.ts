/**
 * The CLI starts from a code-cached single-file bundle when it is up to date
 * (bin/bundle-loader.js). Whatever the bundle's state, a user must see the
 * same program: these run a private copy of the package's bin/ and dist/ so
 * they can age or damage its files without disturbing other tests.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

let pkg: string;
let root: string;

function mydock(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'mydock.js'), '--root', root, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// `cp` of a missing container reaches a dynamic import() in the bundle before it fails.
const COMMANDS = [['images'], ['ps', '-a', '-s'], ['volume', 'ls'], ['--help'], ['image', 'inspect', 'nothing-here'], ['--version'], ['cp', 'none:/x', '.']];

function outputs(): string[] {
  return COMMANDS.map((c) => JSON.stringify(mydock(...c)));
}

/** The package's bundle-loader, which says whether a bundle is used. */
const loader = createRequire(import.meta.url)(path.join(REPO, 'bin', 'bundle-loader.js')) as { bundleIsFresh(): boolean };

beforeAll(() => {
  if (!loader.bundleIsFresh()) spawnSync(process.execPath, [path.join(REPO, 'bin', 'bundle.mjs')], { stdio: 'inherit' });
  pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-bundle-test-'));
  root = path.join(pkg, 'state');
  fs.cpSync(path.join(REPO, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  fs.cpSync(path.join(REPO, 'dist'), path.join(pkg, 'dist'), { recursive: true, preserveTimestamps: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(pkg, 'package.json'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(pkg, 'node_modules'));
}, 120_000);

afterAll(() => {
  fs.rmSync(pkg, { recursive: true, force: true });
});

describe('the CLI bundle', () => {
  it('is what runs while it is newer than the TypeScript build: an edit to a compiled module does not show', () => {
    const help = path.join(pkg, 'dist', 'cli', 'top-help.js');
    const original = fs.readFileSync(help, 'utf8');
    fs.writeFileSync(help, original.replace('emulates how the Docker Engine stores data', 'was rebuilt a moment ago'));
    try {
      const out = mydock('--help').stdout;
      expect(out).toContain('emulates how the Docker Engine stores data');
      expect(out).not.toContain('was rebuilt a moment ago');
    } finally {
      fs.writeFileSync(help, original);
    }
  }, 60_000);

  it('runs the same program as the compiled modules, with or without its code cache', () => {
    const fromBundle = outputs();
    expect(JSON.parse(fromBundle[0]!)).toMatchObject({ status: 0, stdout: 'REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n' });
    expect(JSON.parse(fromBundle[4]!)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^Error response from daemon: .*No such image: nothing-here:latest\n$/) });

    const cache = path.join(pkg, 'dist', 'mydock.cjs.cache');
    const kept = fs.readFileSync(cache);
    // A cache with another build's id (V8 would accept any cache made for a source of the same length).
    fs.writeFileSync(cache, Buffer.concat([Buffer.from('0'.repeat(32), 'latin1'), kept.subarray(32)]));
    expect(outputs()).toEqual(fromBundle);
    fs.rmSync(cache);
    expect(outputs()).toEqual(fromBundle);
    fs.writeFileSync(cache, kept);

    fs.renameSync(path.join(pkg, 'dist', 'mydock.cjs'), path.join(pkg, 'dist', 'mydock.cjs.away'));
    try {
      expect(outputs()).toEqual(fromBundle);
    } finally {
      fs.renameSync(path.join(pkg, 'dist', 'mydock.cjs.away'), path.join(pkg, 'dist', 'mydock.cjs'));
    }
  }, 120_000);

  it('is not used once the TypeScript build is newer: changes to the compiled modules show at once', () => {
    const help = path.join(pkg, 'dist', 'cli', 'top-help.js');
    const original = fs.readFileSync(help, 'utf8');
    fs.writeFileSync(help, original.replace('emulates how the Docker Engine stores data', 'was rebuilt a moment ago'));
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(pkg, 'dist', '.tsbuildinfo'), later, later);
    try {
      expect(mydock('--help').stdout).toContain('was rebuilt a moment ago');
    } finally {
      fs.writeFileSync(help, original);
      const before = new Date(fs.statSync(path.join(pkg, 'dist', 'mydock.cjs')).mtimeMs - 5_000);
      fs.utimesSync(path.join(pkg, 'dist', '.tsbuildinfo'), before, before);
    }
    expect(mydock('--help').stdout).toContain('emulates how the Docker Engine stores data');
  }, 60_000);
});
