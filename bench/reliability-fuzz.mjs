#!/usr/bin/env node
/**
 * The fuzz properties of test/reliability/fuzz at full strength: 100,000
 * inputs per parser (FUZZ_RUNS, override with the first argument), one
 * vitest run under a wall-clock limit so that a hang in synchronous parser
 * code (which no in-process timer can interrupt) still ends the run.
 * Prints one row per property: runs, time, outcomes.
 *
 *   node bench/reliability-fuzz.mjs [runs] [limit-minutes]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.argv[2] ?? '100000';
const limitMin = Number(process.argv[3] ?? '60');
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mydock-fuzz-')), 'report.jsonl');

const t0 = Date.now();
const r = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/reliability/fuzz'], {
  cwd: repo,
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_REPORT: report, NO_COLOR: '1' },
  stdio: ['ignore', 'inherit', 'inherit'],
  timeout: limitMin * 60_000,
  killSignal: 'SIGKILL',
});
const wall = ((Date.now() - t0) / 1000).toFixed(1);

const rows = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
console.log(`\nFUZZ_RUNS=${runs}  wall ${wall}s  exit ${r.status ?? r.signal}${r.signal ? ' (killed: hang or over the limit)' : ''}`);
console.log('property'.padEnd(44) + 'runs'.padStart(9) + 'time'.padStart(10) + '  outcomes');
let total = 0;
for (const row of rows) {
  total += row.runs;
  const outcomes = Object.entries(row.outcomes).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(row.property.padEnd(44) + String(row.runs).padStart(9) + `${(row.ms / 1000).toFixed(1)}s`.padStart(10) + '  ' + outcomes);
}
console.log(`total ${total} inputs`);
process.exit(r.status ?? 1);
