/**
 * busybox's parse_datestr (date -d, touch -d): "@SECONDS",
 * "YYYY-MM-DD[ hh:mm[:ss]]", "YYYY-MM-DDThh:mm[:ss]", "YYYY.MM.DD-hh:mm[:ss]",
 * "hh:mm[:ss]" (today), "MMDDhhmm[[YY]YY][.ss]". All in UTC.
 * Returns milliseconds, or null when the text is not a date.
 */
export function parseDate(text: string, nowMs: number): number | null {
  let m = /^@(-?\d+)$/.exec(text);
  if (m) return Number(m[1]) * 1000;
  m = /^(\d{4})[-.](\d{1,2})[-.](\d{1,2})(?:[ T-](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (m) {
    const d = new Date(nowMs);
    return utc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), +m[1]!, +m[2]!, +(m[3] ?? 0));
  }
  m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2}|\d{4})?(?:\.(\d{2}))?$/.exec(text);
  if (m) {
    const year = m[5] === undefined ? new Date(nowMs).getUTCFullYear() : m[5].length === 4 ? +m[5] : century(+m[5]);
    return utc(year, +m[1]!, +m[2]!, +m[3]!, +m[4]!, +(m[6] ?? 0));
  }
  return null;
}

/** touch -t: [[CC]YY]MMDDhhmm[.ss]. */
export function parseTouchStamp(text: string, nowMs: number): number | null {
  const m = /^(\d{2})?(\d{2})?(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{2}))?$/.exec(text);
  if (!m) return null;
  let year: number;
  if (m[1] !== undefined && m[2] !== undefined) year = Number(m[1] + m[2]);
  else if (m[1] !== undefined) year = century(+m[1]);
  else year = new Date(nowMs).getUTCFullYear();
  return utc(year, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +(m[7] ?? 0));
}

function century(yy: number): number {
  return yy < 69 ? 2000 + yy : 1900 + yy;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}
