// The ratio for bench/shell-loop.sh, from hyperfine's --export-json file:
// mydock's time over busybox's, by mean and by median (the median shrugs off
// a run slowed by whatever else the machine was doing), against the target.
// Usage: node bench/shell-loop.mjs TIMES.json
import fs from 'node:fs';

const TARGET = 3;
const { results } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byName = new Map(results.map((r) => [r.command, r]));
const mydock = byName.get('mydock');
const busybox = byName.get('busybox');
if (!mydock || !busybox) throw new Error('expected hyperfine results named "mydock" and "busybox"');

const s = (x) => `${x.toFixed(3)} s`;
for (const [name, r] of [['mydock', mydock], ['busybox', busybox]]) {
  console.log(`${name.padEnd(8)} mean ${s(r.mean)} ± ${s(r.stddev ?? 0)}, median ${s(r.median)}, min ${s(r.min)} (${r.times.length} runs)`);
}
const byMean = mydock.mean / busybox.mean;
const byMedian = mydock.median / busybox.median;
console.log(`ratio    ${byMean.toFixed(2)}x by mean, ${byMedian.toFixed(2)}x by median (target: at most ${TARGET}x)`);
process.exitCode = Math.max(byMean, byMedian) <= TARGET ? 0 : 1;
