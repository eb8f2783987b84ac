/**
 * The root's inter-process lock. Every read-modify-write of records happens
 * inside `withRootLock`, so any number of mydock processes started at once
 * never lose or interleave an update. The lock is a directory created with
 * mkdir (atomic on every filesystem), refreshed while held and taken over
 * when its holder died (stale after 20 s without refresh).
 *
 * Re-entrant within one async call chain: engine code that holds the lock
 * may call other engine code that takes it again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { rootWriteFailed } from './errors.js';

/** One holding of a root's lock; an async context that outlives it (a callback scheduled while it was held) sees it released. */
interface Hold {
  released: boolean;
}

/** The holdings the current async context inherited, by root. */
const held = new AsyncLocalStorage<ReadonlyMap<string, Hold>>();
/** Serialises lock holders inside one process (proper-lockfile is not re-entrant). */
const inProcess = new Map<string, Promise<void>>();

export const LOCK_NAME = '.lock';

export async function withRootLock<T>(root: string, fn: () => Promise<T> | T): Promise<T> {
  const key = path.resolve(root);
  const mine = held.getStore();
  const inherited = mine?.get(key);
  if (inherited !== undefined && !inherited.released) return fn();

  const previous = inProcess.get(key) ?? Promise.resolve();
  let release!: () => void;
  const turn = new Promise<void>((r) => (release = r));
  const chained = previous.then(() => turn);
  inProcess.set(key, chained);
  await previous;
  try {
    const unlock = await acquire(key);
    const hold: Hold = { released: false };
    try {
      const holdings = new Map(mine ?? []);
      holdings.set(key, hold);
      return await held.run(holdings, fn);
    } finally {
      hold.released = true;
      await unlock().catch(() => {
        // The lock was taken over as stale (we were paused for > 20 s); our writes were atomic anyway.
      });
    }
  } finally {
    release();
    if (inProcess.get(key) === chained) inProcess.delete(key);
    // Nobody holds or waits for a lock: switch the context tracking off, which costs every promise
    // the process makes (a container's shell makes many). The next withRootLock switches it on again.
    if (inProcess.size === 0) held.disable();
  }
}

/** How long to wait for another process's lock: about 200 s, then ELOCKED surfaces. */
const WAIT = { attempts: 2000, minMs: 5, maxMs: 100, factor: 1.2 };

/**
 * Takes the lock, waiting only while another process holds it. proper-lockfile's
 * own retries would also retry a read-only root or a full disk for minutes;
 * those fail at once, as a typed error naming the lock and what to do.
 */
async function acquire(key: string): Promise<() => Promise<void>> {
  const lockPath = path.join(key, LOCK_NAME);
  // Loaded here: commands that only read never lock, and never pay for loading it.
  const { default: lockfile } = await import('proper-lockfile');
  let delay = WAIT.minMs;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(key, { recursive: true });
      return await lockfile.lock(key, { realpath: false, lockfilePath: lockPath, stale: 20_000, update: 5_000, retries: 0 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED' || attempt >= WAIT.attempts) throw rootWriteFailed(lockPath, err) ?? err;
    }
    await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
    delay = Math.min(WAIT.maxMs, delay * WAIT.factor);
  }
}
