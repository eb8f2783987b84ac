/**
 * The contract every parser of user input must keep, checked with
 * fast-check: whatever the input, the parser returns a value or throws one of
 * its typed errors carrying Docker's wording. Anything else (a TypeError, a
 * RangeError from runaway recursion, a message with "undefined" or "NaN" in
 * it, a call that takes seconds) is a bug.
 *
 * Run counts: `FUZZ_RUNS` (default 2,000 per property, what `npm test`
 * affords); `bench/reliability-fuzz.mjs` sets it to 100,000. `FUZZ_SEED`
 * replays a failing run. `FUZZ_REPORT=<file>` appends one JSON line per
 * property (name, runs, milliseconds, outcome counts) for the bench figures.
 */
import fs from 'node:fs';
import fc from 'fast-check';

export function fuzzRuns(defaultRuns = 2_000): number {
  const v = Number(process.env['FUZZ_RUNS']);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : defaultRuns;
}

/** A test timeout large enough for the configured run count (ms per run is a generous estimate). */
export function budgetMs(msPerRun: number, defaultRuns = 2_000): number {
  return Math.max(60_000, Math.ceil(fuzzRuns(defaultRuns) * msPerRun * 3));
}

/**
 * One parse call may take this long before it counts as a hang (super-linear
 * work). Generous: on a loaded machine a GC pause alone took over a second.
 */
export const SLOW_CALL_MS = Number(process.env['FUZZ_SLOW_MS'] ?? 3_000);

/** Texts that mean a message was built from a missing or mistyped value. */
// Go itself says "undefined variable"; any other "undefined" is a JS value leaking into text.
const GARBAGE = /\bundefined\b(?! variable)|\bNaN\b|\[object Object\]/;

export interface Outcome {
  kind: 'ok' | 'typed';
  /** For typed errors: the class name, for the figures. */
  name?: string;
}

export type Classifier = (err: unknown) => string | null;

/**
 * Wraps a throwing call: returns the outcome, or throws an AssertionError-like
 * Error describing why the failure is not an allowed one. `accept` returns
 * null for an allowed error, else the reason it is not.
 */
export function classify(call: () => unknown, accept: Classifier, input = ''): Outcome {
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    call();
    outcome = { kind: 'ok' };
  } catch (err) {
    outcome = judge(err, accept, input);
  }
  checkTime(t0);
  return outcome;
}

/** For calls that touch the disk: a hang is no result after `timeoutMs`; slowness alone is not judged. */
export async function classifyAsync(call: () => Promise<unknown>, accept: Classifier, input = '', timeoutMs = 15_000): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`no result after ${timeoutMs}ms`)), timeoutMs);
  });
  let outcome: Outcome;
  try {
    await Promise.race([call(), hang]);
    outcome = { kind: 'ok' };
  } catch (err) {
    if (err instanceof HangError) throw err;
    outcome = judge(err, accept, input);
  } finally {
    clearTimeout(timer);
  }
  return outcome;
}

class HangError extends Error {
  override name = 'HangError';
}

/**
 * Bugs the fuzzers found that belong to code owned elsewhere and are not
 * fixed yet. Each is counted as `KNOWN:<id>` so the other properties keep
 * running; `FUZZ_STRICT=1` makes them fail again (to check a fix).
 */
export interface KnownBug {
  id: string;
  matches(err: Error): boolean;
}

// None open: the PAX NUL path, the unframed filesystem and storage errors of
// load/import, and the tab writer's recursion are fixed and asserted again.
export const KNOWN_BUGS: readonly KnownBug[] = [];

function knownBug(err: Error): KnownBug | null {
  if (process.env['FUZZ_STRICT'] === '1') return null;
  return KNOWN_BUGS.find((k) => k.matches(err)) ?? null;
}

function judge(err: unknown, accept: Classifier, input: string): Outcome {
  if (!(err instanceof Error)) throw new Error(`threw a non-Error: ${String(err)}`);
  const reason = accept(err);
  const known = reason === null ? null : knownBug(err);
  if (known) return { kind: 'typed', name: `KNOWN:${known.id}` };
  if (reason !== null) throw new Error(`untyped or badly worded failure (${reason}): ${err.name}: ${err.message}\n${err.stack ?? ''}`);
  const garbage = GARBAGE.exec(err.message);
  // The input itself may spell "undefined"; only a word the parser made up counts.
  if (err.message === '' || (garbage !== null && !input.includes(garbage[0]))) throw new Error(`message with garbage: ${JSON.stringify(err.message)}`);
  return { kind: 'typed', name: err.constructor.name };
}

function checkTime(t0: number): void {
  const ms = performance.now() - t0;
  if (ms > SLOW_CALL_MS) throw new Error(`one call took ${ms.toFixed(0)}ms (limit ${SLOW_CALL_MS}ms)`);
}

/** Counts outcomes of one property, for the report. */
export class Tally {
  private readonly counts = new Map<string, number>();
  private readonly t0 = performance.now();
  constructor(readonly property: string) {}

  add(o: Outcome): void {
    const key = o.kind === 'ok' ? 'ok' : (o.name ?? 'typed');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Appends the figures to FUZZ_REPORT when set. */
  report(): void {
    const file = process.env['FUZZ_REPORT'];
    if (!file) return;
    const line = { property: this.property, runs: this.total(), ms: Math.round(performance.now() - this.t0), outcomes: Object.fromEntries(this.counts) };
    fs.appendFileSync(file, JSON.stringify(line) + '\n');
  }
}

export function assertOptions(runs = fuzzRuns()): fc.Parameters<unknown> {
  const seed = Number(process.env['FUZZ_SEED']);
  return Number.isFinite(seed) && process.env['FUZZ_SEED'] ? { numRuns: runs, seed } : { numRuns: runs };
}

/**
 * Text built from a grammar's tokens mixed with arbitrary characters, which
 * reaches deeper than uniform strings (a parser rejects most of those at the
 * first character).
 */
export function tokenText(tokens: readonly string[], maxLength = 40): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 2, arbitrary: fc.string({ maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  );
  return fc.array(piece, { maxLength }).map((parts) => parts.join(''));
}

/** Uniform strings, grammar strings and long repetitions (for quadratic paths). */
export function hostileText(tokens: readonly string[], maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 6, arbitrary: tokenText(tokens, maxLength) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...tokens), fc.integer({ min: 100, max: 5_000 })).map(([t, n]) => t.repeat(n)),
    },
  );
}
