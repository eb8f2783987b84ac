/**
 * The conformance scenarios run through mydock and compared with the golden
 * outputs captured from a real Docker engine (see README.md here). Every
 * scenario listed in MATCHING must match its golden exactly; the others are
 * being brought in line and are run by hand with
 * `bash test/conformance/run.sh --cli "node bin/mydock.js"`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, REPO } from '../helpers/cli.js';

const MATCHING = ['01', '02', '03', '04', '06', '08', '12', '13', '14'];

// The base image is built from Debian's static busybox, as real Docker's was.
const busybox = spawnSync('dpkg', ['-s', 'busybox-static'], { encoding: 'utf8' }).status === 0;
const reason = busybox ? '' : ' (skipped: Debian package busybox-static is not installed)';

describe.skipIf(!busybox)(`conformance with Docker's goldens${reason}`, () => {
  beforeAll(() => ensureBuilt());
  it.each(MATCHING)('scenario %s matches', (n) => {
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
