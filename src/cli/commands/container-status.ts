/** A container record's STATUS column (`Up 3 seconds`, `Exited (0) 2 minutes ago`), shared by `ps` and `system df -v`. */
import type { ListedRecord } from '../../engine/containers/types.js';
import { containerStatus } from '../format/index.js';

/** Go's zero time, which a record keeps for "never started" and "never finished". */
const epochMs = (goTime: string): number => (goTime.startsWith('0001') ? 0 : Date.parse(goTime));

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
