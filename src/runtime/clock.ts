/**
 * The wall clock programs see. `sleep` is a real timer that a terminating
 * signal cuts short (it rejects with `Killed`), so `docker stop` on a
 * container whose program sleeps takes effect at once, as with a real kernel.
 */
import type { Clock, Signals } from './process.js';
import { raceTermination } from './signals.js';

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signals?: Signals): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, ms));
    });
    return raceTermination(timeout, signals).finally(() => clearTimeout(timer));
  }
}

/**
 * A clock for tests and deterministic runs: time only moves when sleeps are
 * awaited (each sleep advances it), so scripts with `sleep 10` finish at once.
 */
export class VirtualClock implements Clock {
  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number, signals?: Signals): Promise<void> {
    signals?.check();
    await raceTermination(Promise.resolve(), signals);
    this.current += Math.max(0, ms);
  }
}
