/**
 * The snippet table against the results real busybox sh gave for them
 * (expected.json, recorded by `RECORD=1 npx vitest run test/runtime/shell/differential.test.ts`).
 * Runs everywhere: no busybox needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { runCase } from './helpers/sandbox.js';

type Expected = Record<string, { stdout: string; stderr: string; status: number }>;
const expected = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'expected.json'), 'utf8')) as Expected;

describe('shell snippets (results observed from busybox 1.35 sh)', () => {
  for (const c of CASES) {
    const want = expected[c.name];
    it.skipIf(!want)(c.name, async () => {
      const got = await runCase(c);
      expect({ script: c.script, ...got }).toEqual({ script: c.script, ...want });
    });
  }
});
