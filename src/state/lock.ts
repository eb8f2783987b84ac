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
import lockfile from 'proper-lockfile';

const held = new AsyncLocalStorage<Set<string>>();
/** Serialises lock holders inside one process (proper-lockfile is not re-entrant). */
const inProcess = new Map<string, Promise<void>>();

export const LOCK_NAME = '.lock';

export async function withRootLock<T>(root: string, fn: () => Promise<T> | T): Promise<T> {
  const key = path.resolve(root);
  const mine = held.getStore();
  if (mine?.has(key)) return fn();

  const previous = inProcess.get(key) ?? Promise.resolve();
  let release!: () => void;
  const turn = new Promise<void>((r) => (release = r));
  const chained = previous.then(() => turn);
  inProcess.set(key, chained);
  await previous;
  try {
    fs.mkdirSync(key, { recursive: true });
    const unlock = await lockfile.lock(key, {
      realpath: false,
      lockfilePath: path.join(key, LOCK_NAME),
      stale: 20_000,
      update: 5_000,
      retries: { retries: 2000, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
    });
    try {
      const set = new Set(mine ?? []);
      set.add(key);
      return await held.run(set, fn);
    } finally {
      await unlock().catch(() => {
        // The lock was taken over as stale (we were paused for > 20 s); our writes were atomic anyway.
      });
    }
  } finally {
    release();
    if (inProcess.get(key) === chained) inProcess.delete(key);
  }
}
