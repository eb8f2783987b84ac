/**
 * `mydock system check`: the vocabulary of the root check.
 *
 * A *problem* is one thing wrong with the root, said in plain words and
 * naming the record or directory (relative to the root). Some problems
 * carry a *fix*: removing something nothing refers to any more (a driver
 * directory, a temp file, a layer record whose files are gone, a container
 * whose layers are gone) or rebuilding something derived (a layer's `size`
 * file). A fix never touches user data: volume contents, bind sources, and
 * images whose layers are intact are only ever reported.
 *
 * Checks run in an order where each repair leaves the root in a state the
 * next check understands: temp files, layer records, images, containers,
 * container layers, driver directories, volumes.
 */
import type { RootLayout } from '../../../state/root.js';
import type { StorageDriver } from '../../../storage/driver.js';
import type { LayerStore } from '../../../storage/layer-store.js';

export interface Fix {
  /** What the repair does, e.g. "removed the directory overlay2/abc…". */
  action: string;
  apply(): void | Promise<void>;
}

export interface Problem {
  message: string;
  fix?: Fix;
}

/** A problem after a `--repair` run: the fix's action when it was applied, or why it was not. */
export interface Finding {
  message: string;
  repaired: string | null;
}

export interface CheckReport {
  findings: Finding[];
  /** Problems left after the run (all of them without repair). */
  remaining: number;
}

export interface CheckOptions {
  repair?: boolean;
  /**
   * Temp files and unreferenced driver directories younger than this may
   * belong to a command still running (a pull registers a layer's
   * directory before its record); they are left alone. Default 10 minutes.
   */
  minAgeMs?: number;
  now?: () => number;
  /** Re-hash every layer against its DiffID (the slow part). Default true. */
  verifyContents?: boolean;
}

/** What every check is given. */
export interface CheckContext {
  root: RootLayout;
  driver: StorageDriver;
  layers: LayerStore;
  options: Required<CheckOptions>;
  /** Records a problem; with `repair`, applies its fix at once, so later checks see the repaired root. */
  report(problem: Problem): Promise<void>;
  /** A root-relative path for messages. */
  rel(p: string): string;
  /** Whether an entry is old enough to be judged left over (see minAgeMs). */
  isStale(p: string): boolean;
}
