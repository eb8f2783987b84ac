/**
 * A small run of bench/reliability-parallel.sh (the full one starts 50
 * containers): concurrent `run -d`, a race for one name, `build`, `rm`,
 * `volume create` and `ps -s` against one root; every container recorded
 * once, names unique, `system check` clean, no shim left after `rm -f`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, REPO } from '../helpers/cli.js';

describe('parallel use of one root', () => {
  it('keeps every record once and every name unique', () => {
    ensureBuilt();
    const r = spawnSync('bash', [path.join(REPO, 'bench', 'reliability-parallel.sh'), '4'], { encoding: 'utf8', timeout: 110_000 });
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 120_000);
});
