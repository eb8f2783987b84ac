/**
 * busybox's make_human_readable_str: powers of 1024, one decimal digit from
 * 1K up ("1.5K", "1024.0K", "117.7M"), the plain number below 1024.
 */
export function humanSize(value: number, blockSize = 1, noFraction = false): string {
  let val = Math.floor(value * blockSize);
  if (val === 0) return '0';
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let u = 0;
  let frac = 0;
  while (val >= 1024 && u < units.length - 1) {
    frac = val % 1024;
    val = Math.floor(val / 1024);
    u++;
  }
  if (u === 0) return String(val);
  frac = Math.floor((frac * 10 + 512) / 1024);
  if (frac >= 10) {
    val++;
    frac = 0;
  }
  // busybox's block_size 0: round to a whole unit ("2M" for 1.5M).
  if (noFraction) return `${frac >= 5 ? val + 1 : val}${units[u]}`;
  return `${val}.${frac}${units[u]}`;
}
