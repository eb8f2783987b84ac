/**
 * Runs the built binary against a fresh temporary root, as a user would.
 * The suite builds once (`npm test` runs tsc first); a test file that needs
 * the binary calls `ensureBuilt()` in case it runs alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'mydock.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  status: number;
}

export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(REPO, 'dist', 'cli', 'main.js'))) {
    execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(REPO, 'tsconfig.json')], { stdio: 'inherit' });
  }
}

export class TempRoot {
  readonly dir: string;
  readonly root: string;
  constructor(prefix = 'mydock-cli-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.root = path.join(this.dir, 'root');
  }

  run(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
    const r = spawnSync(process.execPath, [BIN, '--root', this.root, ...args], {
      input: options.input ?? '',
      encoding: 'utf8',
      cwd: options.cwd ?? this.dir,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      timeout: 120_000,
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
