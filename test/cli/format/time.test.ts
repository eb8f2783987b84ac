import { describe, it, expect } from 'vitest';
import {
  humanDuration,
  ago,
  containerStatus,
  goTimeString,
  createdAt,
  rfc3339Nano,
  parseRfc3339Nano,
  GoTime,
  ZERO_TIME_MS,
} from '../../../src/cli/format/time.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const W = 7 * D;
const MO = 30 * D;
const Y = 365 * D;

describe('humanDuration (go-units HumanDuration, its own test table)', () => {
  const cases: Array<[number, string]> = [
    [450, 'Less than a second'],
    [-5 * S, 'Less than a second'],
    [1 * S, '1 second'],
    [45 * S, '45 seconds'],
    [59 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [3 * M, '3 minutes'],
    [35 * M + 40 * S, '35 minutes'],
    [59 * M, '59 minutes'],
    [1 * H, 'About an hour'],
    [1 * H + 29 * M, 'About an hour'],
    [1 * H + 31 * M, '2 hours'],
    [3 * H + 29 * M, '3 hours'],
    [3 * H + 31 * M, '4 hours'],
    [24 * H, '24 hours'],
    [1 * D + 12 * H, '36 hours'],
    [2 * D, '2 days'],
    [13 * D + 5 * H, '13 days'],
    [2 * W, '2 weeks'],
    [4 * W + 3 * D, '4 weeks'],
    [1 * MO, '4 weeks'],
    [1 * MO + 2 * W, '6 weeks'],
    [2 * MO, '2 months'],
    [3 * MO + 1 * W, '3 months'],
    [13 * MO, '13 months'],
    [24 * MO, '24 months'],
    [24 * MO + 2 * W, '2 years'],
    [3 * Y + 2 * MO, '3 years'],
  ];
  it.each(cases)('%d ms -> %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('ago() appends "ago" and can truncate to whole seconds', () => {
    expect(ago(0, 3 * M)).toBe('3 minutes ago');
    expect(ago(2500, 3000)).toBe('Less than a second ago');
    expect(ago(2500, 3000, true)).toBe('1 second ago');
  });
});

describe('containerStatus (the daemon State.String())', () => {
  const now = 10 * H;
  it.each<[Parameters<typeof containerStatus>[0], string]>([
    [{ running: true, exitCode: 0, startedAtMs: now - 3 * S }, 'Up 3 seconds'],
    [{ running: true, exitCode: 0, startedAtMs: now - 200 }, 'Up Less than a second'],
    [{ running: true, paused: true, exitCode: 0, startedAtMs: now - 5 * M }, 'Up 5 minutes (Paused)'],
    [{ running: true, exitCode: 0, startedAtMs: now - 2 * H, health: 'healthy' }, 'Up 2 hours (healthy)'],
    [{ running: true, exitCode: 0, startedAtMs: now - 1 * S, health: 'starting' }, 'Up 1 second (health: starting)'],
    [{ running: true, restarting: true, exitCode: 1, finishedAtMs: now - 5 * S }, 'Restarting (1) 5 seconds ago'],
    [{ running: false, exitCode: 0, startedAtMs: now - 3 * M, finishedAtMs: now - 2 * M }, 'Exited (0) 2 minutes ago'],
    [{ running: false, exitCode: 137, startedAtMs: 1, finishedAtMs: now - 1 * H }, 'Exited (137) About an hour ago'],
    [{ running: false, exitCode: 0 }, 'Created'],
    [{ running: false, exitCode: 0, dead: true, startedAtMs: 1 }, 'Dead'],
    [{ running: false, exitCode: 0, removalInProgress: true }, 'Removal In Progress'],
  ])('%j -> %s', (state, text) => {
    expect(containerStatus(state, now)).toBe(text);
  });
});

describe('Go time layouts', () => {
  const t = Date.UTC(2026, 10, 22, 8, 31, 59, 123);
  it('CreatedAt of ps/images: whole seconds, Go time.Time.String()', () => {
    expect(createdAt(t)).toBe('2026-11-22 08:31:59 +0000 UTC');
    expect(goTimeString(t)).toBe('2026-11-22 08:31:59.123 +0000 UTC');
  });

  it('RFC 3339 with nanoseconds, trailing zeros dropped', () => {
    expect(rfc3339Nano(t, 456789)).toBe('2026-11-22T08:31:59.123456789Z');
    expect(rfc3339Nano(t)).toBe('2026-11-22T08:31:59.123Z');
    expect(rfc3339Nano(Date.UTC(2026, 10, 22, 8, 31, 59, 500))).toBe('2026-11-22T08:31:59.5Z');
    expect(rfc3339Nano(Date.UTC(2026, 10, 22, 8, 31, 59))).toBe('2026-11-22T08:31:59Z');
    expect(parseRfc3339Nano('2026-11-22T08:31:59.123456789Z')).toEqual({ ms: t, extraNanos: 456789 });
  });

  it('GoTime prints like time.Time and marshals like it', () => {
    const gt = new GoTime(Date.UTC(2026, 10, 22, 8, 42, 57, 226), 243357);
    expect(gt.String()).toBe('2026-11-22 08:42:57.226243357 +0000 UTC');
    expect(JSON.stringify({ T: gt })).toBe('{"T":"2026-11-22T08:42:57.226243357Z"}');
    expect(new GoTime(ZERO_TIME_MS).toJSON()).toBe('0001-01-01T00:00:00Z');
  });
});
