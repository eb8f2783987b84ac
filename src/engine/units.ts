/**
 * go-units' RAMInBytes, as Docker parses memory and tmpfs sizes: a number,
 * optionally fractional, then an optional binary unit (k, m, g, t, p; "b",
 * "ib" and case ignored): "64m" = 67108864, "1.5k" = 1536, "100" = 100.
 * Returns null when the text is not a size.
 */
const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

export function ramInBytes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) return null;
  const n = Number.parseFloat(m[1]!);
  if (!Number.isFinite(n)) return null;
  return Math.trunc(n * UNITS[(m[2] ?? '').toLowerCase()]!);
}
