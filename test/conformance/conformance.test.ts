/**
 * The conformance scenarios run through mydock and compared with the golden
 * outputs captured from a real Docker engine (see README.md here): every
 * scenario must match its golden exactly. By hand:
 * `bash test/conformance/run.sh --cli "node bin/mydock.js" [--only NN]`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, REPO } from '../helpers/cli.js';

const SCENARIOS = fs
  .readdirSync(path.join(REPO, 'test/conformance/scenarios'))
  .filter((f) => /^\d\d-.*\.sh$/.test(f))
  .map((f) => f.slice(0, 2))
  .sort();

// The base image is built from Debian's static busybox, as real Docker's was.
const busybox = spawnSync('dpkg', ['-s', 'busybox-static'], { encoding: 'utf8' }).status === 0;
const reason = busybox ? '' : ' (skipped: Debian package busybox-static is not installed)';

describe.skipIf(!busybox)(`conformance with Docker's goldens${reason}`, () => {
  beforeAll(() => ensureBuilt());
  it.each(SCENARIOS)('scenario %s matches', (n) => {
    const r = spawnSync('bash', [path.join(REPO, 'test/conformance/run.sh'), '--cli', `${process.execPath} ${BIN}`, '--only', n], {
      encoding: 'utf8',
      cwd: REPO,
      timeout: 600_000,
    });
    // On a mismatch the runner prints the unified diff: show it.
    expect(r.stdout + r.stderr).toMatch(/^1 passed, 0 failed$/m);
    expect(r.status).toBe(0);
  }, 600_000);
});
