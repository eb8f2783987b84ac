/**
 * The same snippets under real busybox sh (chroot) and under mydock: stdout,
 * stderr and status must agree. Skipped, with the reason printed, where the
 * reference cannot run. RECORD=1 rewrites expected.json from busybox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { BusyboxChroot, referenceUnavailable } from './helpers/busybox-ref.js';
import { runCase } from './helpers/sandbox.js';

const why = referenceUnavailable();
if (why) process.stderr.write(`[shell differential] skipped: ${why}\n`);

describe.skipIf(why !== null)('shell vs busybox sh', () => {
  let ref: BusyboxChroot;
  const recorded: Record<string, { stdout: string; stderr: string; status: number }> = {};
  beforeAll(() => {
    ref = new BusyboxChroot();
  });
  afterAll(() => {
    ref.close();
    if (process.env.RECORD === '1') {
      fs.writeFileSync(path.join(import.meta.dirname, 'expected.json'), JSON.stringify(recorded, null, 1) + '\n');
    }
  });
  for (const c of CASES) {
    it(c.name, async () => {
      const want = ref.run(c);
      recorded[c.name] = want;
      const got = await runCase(c);
      expect({ script: c.script, ...got }).toEqual({ script: c.script, ...want });
    });
  }
});
