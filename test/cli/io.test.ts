/** What reaches the terminal, and what happens when nobody reads it any more. */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, TempRoot } from '../helpers/cli.js';

ensureBuilt();
const t = new TempRoot();
afterAll(() => t.cleanup());

describe('output to a closed pipe', () => {
  it('ends quietly with the status a shell gives docker killed by SIGPIPE (141), no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, '--root', t.root, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before mydock writes (`mydock --help | true`).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(141);
  });
});
