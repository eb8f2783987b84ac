/**
 * Signal dispositions of one emulated process.
 *
 * A signal is handled (a trap), ignored, or takes its default action. The
 * default action of most signals terminates the process: every pending
 * `wait()` rejects with `Killed` and later blocking calls fail at once.
 * As the kernel does for a container's PID 1, a process created with
 * `pid1: true` ignores default-terminate signals it has no handler for;
 * KILL cannot be caught or ignored by anyone.
 */
import { Killed, type SignalName, type Signals } from './process.js';

/** Signals whose default action is to do nothing (no job control here, so STOP/TSTP are ignored too). */
const DEFAULT_IGNORED: ReadonlySet<SignalName> = new Set<SignalName>(['CHLD', 'CONT', 'WINCH', 'STOP', 'TSTP']);

export type SignalHandler = (signal: SignalName) => void;
type Disposition = SignalHandler | 'ignore';

export interface ProcessSignalsOptions {
  /** PID 1 of a container: unhandled default-terminate signals are ignored (except KILL). */
  pid1?: boolean;
}

export class ProcessSignals implements Signals {
  private readonly dispositions = new Map<SignalName, Disposition>();
  private readonly terminateListeners = new Set<(killed: Killed) => void>();
  private killedBy: Killed | null = null;
  /** Every signal delivered, for listeners that want to wake on any signal (the shell's `wait`). */
  private readonly anyListeners = new Set<(signal: SignalName) => void>();

  constructor(private readonly options: ProcessSignalsOptions = {}) {}

  get pid1(): boolean {
    return this.options.pid1 === true;
  }

  /** The signal that terminated this process, or null while it lives. */
  get terminatedBy(): SignalName | null {
    return this.killedBy?.signal ?? null;
  }

  trap(signal: SignalName, handler: SignalHandler | null | 'ignore'): void {
    if (signal === 'KILL' || signal === 'STOP') return; // cannot be caught, as in the kernel
    if (handler === null) this.dispositions.delete(signal);
    else this.dispositions.set(signal, handler);
  }

  /** The current disposition: a handler, 'ignore', or 'default'. */
  disposition(signal: SignalName): SignalHandler | 'ignore' | 'default' {
    return this.dispositions.get(signal) ?? 'default';
  }

  send(signal: SignalName): void {
    if (this.killedBy) return;
    for (const listener of [...this.anyListeners]) listener(signal);
    if (signal === 'KILL') {
      this.terminate(signal);
      return;
    }
    const disposition = this.dispositions.get(signal);
    if (disposition === 'ignore') return;
    if (disposition) {
      disposition(signal);
      return;
    }
    if (DEFAULT_IGNORED.has(signal)) return;
    if (this.pid1) return;
    this.terminate(signal);
  }

  /**
   * What execve() does to dispositions: caught signals go back to their
   * default action, ignored ones stay ignored (the program that replaces a
   * shell with `exec` starts without the shell's traps).
   */
  resetOnExec(): void {
    for (const [signal, d] of [...this.dispositions]) if (d !== 'ignore') this.dispositions.delete(signal);
  }

  wait(): Promise<never> {
    return new Promise<never>((_resolve, reject) => {
      if (this.killedBy) {
        reject(this.killedBy);
        return;
      }
      const listener = (killed: Killed): void => {
        this.terminateListeners.delete(listener);
        reject(killed);
      };
      this.terminateListeners.add(listener);
    });
  }

  check(): void {
    if (this.killedBy) throw this.killedBy;
  }

  /**
   * Calls `listener` once when the process is terminated; returns an
   * unsubscribe function. Unlike `wait()`, nothing stays registered after a
   * timer or read that raced against it has finished.
   */
  onTerminate(listener: (killed: Killed) => void): () => void {
    if (this.killedBy) {
      const killed = this.killedBy;
      queueMicrotask(() => listener(killed));
      return () => {};
    }
    const once = (killed: Killed): void => {
      this.terminateListeners.delete(once);
      listener(killed);
    };
    this.terminateListeners.add(once);
    return () => this.terminateListeners.delete(once);
  }

  /** Calls `listener` for every signal delivered (before its disposition runs). */
  onAnySignal(listener: (signal: SignalName) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  private terminate(signal: SignalName): void {
    this.killedBy = new Killed(signal);
    const killed = this.killedBy;
    for (const listener of [...this.terminateListeners]) listener(killed);
    this.terminateListeners.clear();
  }
}

/**
 * Races `promise` against termination of the process owning `signals`, without
 * leaving a listener behind when the promise settles first.
 */
export function raceTermination<T>(promise: Promise<T>, signals: Signals | undefined): Promise<T> {
  if (!signals) return promise;
  if (signals instanceof ProcessSignals) {
    signals.check();
    return new Promise<T>((resolve, reject) => {
      const off = signals.onTerminate(reject);
      promise.then(
        (value) => {
          off();
          resolve(value);
        },
        (error: unknown) => {
          off();
          reject(error);
        },
      );
    });
  }
  // A foreign Signals implementation: its wait() is the only hook there is.
  signals.check();
  return Promise.race([promise, signals.wait()]);
}
