/** A container record's STATUS column (`Up 3 seconds`, `Exited (0) 2 minutes ago`), shared by `ps` and `system df -v`. */
import type { ListedRecord } from '../../engine/containers/types.js';
import { containerStatus, humanDuration } from '../format/index.js';

/** Go's zero time, which a record keeps for "never started" and "never finished". */
const isZeroTime = (goTime: string): boolean => goTime.startsWith('0001');
const epochMs = (goTime: string): number => (isZeroTime(goTime) ? 0 : Date.parse(goTime));

export function recordStatus(state: ListedRecord['State'], nowMs: number): string {
  return containerStatus(
    {
      running: state.Running,
      paused: state.Paused,
      restarting: state.Restarting,
      dead: state.Dead,
      removalInProgress: state.RemovalInProgress,
      exitCode: state.ExitCode,
      startedAtMs: epochMs(state.StartedAt),
      finishedAtMs: epochMs(state.FinishedAt),
    },
    nowMs,
  );
}

/**
 * STATUS and CREATED texts for many records seen at one time (`ps` over a
 * thousand containers): a text depends only on the whole seconds elapsed
 * (humanDuration's boundaries fall on whole seconds) and, for STATUS, the
 * exit code, so neighbours created or stopped within the same second share
 * one text, built once.
 */
export class StatusTexts {
  private readonly exited = new Map<number, Map<number, string>>();
  private readonly agoTexts = new Map<number, string>();

  constructor(private readonly nowMs: number) {}

  /** recordStatus(state, nowMs). */
  status(state: ListedRecord['State']): string {
    // The common case, an exited container, without building containerStatus' input.
    if (state.Running || state.RemovalInProgress || state.Dead || isZeroTime(state.StartedAt)) return recordStatus(state, this.nowMs);
    const finished = epochMs(state.FinishedAt);
    if (finished === 0) return recordStatus(state, this.nowMs);
    const seconds = Math.trunc((this.nowMs - finished) / 1000);
    let byCode = this.exited.get(seconds);
    if (byCode === undefined) this.exited.set(seconds, (byCode = new Map()));
    let text = byCode.get(state.ExitCode);
    if (text === undefined) byCode.set(state.ExitCode, (text = recordStatus(state, this.nowMs)));
    return text;
  }

  /** ago(thenMs, nowMs, true): the CREATED column of a list entry, kept in whole seconds. */
  agoWholeSeconds(thenMs: number): string {
    const seconds = Math.trunc((this.nowMs - Math.floor(thenMs / 1000) * 1000) / 1000);
    let text = this.agoTexts.get(seconds);
    if (text === undefined) this.agoTexts.set(seconds, (text = `${humanDuration(seconds * 1000)} ago`));
    return text;
  }
}
