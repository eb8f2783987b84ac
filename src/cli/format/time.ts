/**
 * Times as Docker shows them: go-units HumanDuration for relative times,
 * the daemon's container status strings, Go's time.Time.String() layout for
 * CreatedAt columns, and RFC 3339 with nanoseconds for JSON.
 *
 * Functions take the clock as an argument (`nowMs`) so callers and tests
 * decide what "now" is.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * units.HumanDuration. Go truncates each unit with int(); hours are rounded
 * (`int(d.Hours() + 0.5)`), which is why 1h31m is "2 hours". Negative
 * durations (clock skew) read "Less than a second", as in Go.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / HOUR + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / HOUR) / 24 / 365)} years`;
}

/**
 * `3 minutes ago`, as in the CREATED column of `ps` and `images`.
 * Docker stores creation times in whole seconds for these lists
 * (`time.Unix(created, 0)`), so pass `truncateToSeconds` when the source is
 * a list entry rather than an inspect record.
 */
export function ago(thenMs: number, nowMs: number, truncateToSeconds = false): string {
  const then = truncateToSeconds ? Math.floor(thenMs / SECOND) * SECOND : thenMs;
  return `${humanDuration(nowMs - then)} ago`;
}

/** A container's state, as far as its status text depends on it. */
export interface ContainerStateForStatus {
  running: boolean;
  paused?: boolean;
  restarting?: boolean;
  dead?: boolean;
  removalInProgress?: boolean;
  exitCode: number;
  /** Epoch ms; undefined or 0 when never started. */
  startedAtMs?: number;
  /** Epoch ms; undefined or 0 when never finished. */
  finishedAtMs?: number;
  /** Health status when the container has a health check. */
  health?: 'starting' | 'healthy' | 'unhealthy';
}

/**
 * The daemon's State.String(), which `docker ps` prints in STATUS:
 * `Up 3 seconds`, `Up 5 minutes (Paused)`, `Up 2 hours (healthy)`,
 * `Up 1 second (health: starting)`, `Restarting (1) 5 seconds ago`,
 * `Exited (0) 2 minutes ago`, `Created`, `Dead`, `Removal In Progress`.
 */
export function containerStatus(state: ContainerStateForStatus, nowMs: number): string {
  const since = (t: number | undefined): string => humanDuration(nowMs - (t ?? 0));
  if (state.running) {
    if (state.paused) return `Up ${since(state.startedAtMs)} (Paused)`;
    if (state.restarting) return `Restarting (${state.exitCode}) ${since(state.finishedAtMs)} ago`;
    if (state.health) {
      const h = state.health === 'starting' ? 'health: starting' : state.health;
      return `Up ${since(state.startedAtMs)} (${h})`;
    }
    return `Up ${since(state.startedAtMs)}`;
  }
  if (state.removalInProgress) return 'Removal In Progress';
  if (state.dead) return 'Dead';
  if (!state.startedAtMs) return 'Created';
  if (!state.finishedAtMs) return '';
  return `Exited (${state.exitCode}) ${since(state.finishedAtMs)} ago`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The zone a time is shown in: UTC, or the process's local zone. */
export type Zone = 'UTC' | 'local';

/** Go's zone abbreviation: the tz name when it has one, else "+0100"-style digits like "+01". */
function zoneAbbrev(date: Date, offsetMin: number): string {
  if (offsetMin === 0 && process.env.TZ === undefined) return 'UTC';
  const name = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  if (name && /^[A-Z]{3,5}$/.test(name)) return name === 'GMT' && offsetMin === 0 ? 'UTC' : name;
  // Zones without a letter abbreviation in the tz database are named by
  // their offset, e.g. "+03" or "+0530".
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return sign + pad(Math.trunc(abs / 60)) + (abs % 60 ? pad(abs % 60) : '');
}

/**
 * time.Time.String() for a whole-second time, the CreatedAt of `ps` and
 * `images`: `2026-11-22 08:31:59 +0000 UTC`.
 */
export function goTimeString(ms: number, zone: Zone = 'UTC'): string {
  const d = new Date(ms);
  const offsetMin = zone === 'UTC' ? 0 : -d.getTimezoneOffset();
  const shifted = new Date(ms + offsetMin * 60_000);
  const date = `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
  const time = `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
  const frac = ms % 1000 === 0 ? '' : '.' + pad(((ms % 1000) + 1000) % 1000, 3).replace(/0+$/, '');
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${pad(Math.trunc(abs / 60))}${pad(abs % 60)}`;
  const abbrev = zone === 'UTC' ? 'UTC' : zoneAbbrev(d, offsetMin);
  return `${date} ${time}${frac} ${offset} ${abbrev}`;
}

/** Docker's CreatedAt for list commands: whole seconds, Go's time.Time.String(). */
export function createdAt(ms: number, zone: Zone = 'UTC'): string {
  return goTimeString(Math.floor(ms / 1000) * 1000, zone);
}

/** Go's time.Time.Format(time.RFC3339) in the local zone, as `history` prints CreatedAt. */
export function rfc3339Local(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return off === 0 ? `${date}Z` : `${date}${off > 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}

/** Go's zero time.Time in JSON (e.g. FinishedAt of a container never run). */
export const ZERO_TIME_JSON = '0001-01-01T00:00:00Z';

/**
 * RFC 3339 with nanoseconds as Go's time.Time marshals to JSON, in UTC:
 * trailing zeros of the fraction are dropped and a whole second has none
 * (`2026-11-22T08:31:59.123456789Z`, `2026-11-22T08:31:59.5Z`,
 * `2026-11-22T08:31:59Z`). JS clocks have millisecond precision; pass
 * `extraNanos` (0–999999) to carry the sub-millisecond part when known.
 */
export function rfc3339Nano(ms: number, extraNanos = 0): string {
  const wholeMs = Math.floor(ms);
  const d = new Date(wholeMs);
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const nanos = (wholeMs - Math.floor(wholeMs / 1000) * 1000) * 1_000_000 + Math.trunc(extraNanos);
  const frac = nanos === 0 ? '' : '.' + pad(nanos, 9).replace(/0+$/, '');
  return `${base}${frac}Z`;
}

/** Parses an RFC 3339 timestamp (any fraction length) to epoch ms and leftover nanos. */
export function parseRfc3339Nano(text: string): { ms: number; extraNanos: number } {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) throw new RangeError(`not an RFC 3339 time: ${text}`);
  const fraction = (m[2] ?? '').padEnd(9, '0');
  const ms = Date.parse(`${m[1]}${m[3]}`) + Number(fraction.slice(0, 3));
  return { ms, extraNanos: Number(fraction.slice(3)) };
}

/**
 * A Go time.Time for records that templates read: JSON gives RFC 3339 with
 * nanoseconds, printing (`{{.Created}}`, `{{.Metadata}}`) gives Go's
 * String() layout `2026-11-22 08:42:57.226243357 +0000 UTC`.
 */
export class GoTime {
  static readonly goTypeName = 'time.Time';
  constructor(
    readonly ms: number,
    readonly extraNanos = 0,
  ) {}
  toJSON(): string {
    return this.ms === ZERO_TIME_MS ? ZERO_TIME_JSON : rfc3339Nano(this.ms, this.extraNanos);
  }
  String(): string {
    if (this.ms === ZERO_TIME_MS) return '0001-01-01 00:00:00 +0000 UTC';
    const base = goTimeString(Math.floor(this.ms / 1000) * 1000, 'UTC');
    const nanos = (this.ms - Math.floor(this.ms / 1000) * 1000) * 1_000_000 + Math.trunc(this.extraNanos);
    if (nanos === 0) return base;
    const frac = '.' + String(nanos).padStart(9, '0').replace(/0+$/, '');
    return base.replace(/^(\S+ \S+)/, `$1${frac}`);
  }
}

/** Epoch ms of Go's zero time (0001-01-01T00:00:00Z). */
export const ZERO_TIME_MS = -62135596800000;
