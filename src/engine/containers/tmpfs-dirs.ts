/**
 * A container's tmpfs mounts (`--tmpfs`, `--mount type=tmpfs`). A tmpfs is
 * mounted when the container starts and lives until it stops, shared by
 * every process in the container: the main program (in its shim) and each
 * `exec` (in the CLI) must see the same files. mydock keeps each in a
 * directory of the container's own, `<container dir>/tmpfs/<target>`,
 * emptied when the container starts and when it stops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HostDirBackend } from '../../storage/host-dir.js';

const TMPFS_DIR = 'tmpfs';

/** A tmpfs's directory: its target with `/` spelled `%2F`, so every target gets its own flat name. */
export function tmpfsDir(containerDir: string, target: string): string {
  return path.join(containerDir, TMPFS_DIR, encodeURIComponent(target));
}

/** Empties every tmpfs of the container: the start and the end of a run. */
export function resetTmpfs(containerDir: string): void {
  fs.rmSync(path.join(containerDir, TMPFS_DIR), { recursive: true, force: true });
}

/** A tmpfs without `size=` reports no size of its own (df then shows what the runtime shows), not the host disk's. */
class TmpfsBackend extends HostDirBackend {
  constructor(
    dir: string,
    private readonly sized: boolean,
    sizeLimit: number | null,
  ) {
    super(dir, { kind: 'tmpfs', ...(sizeLimit !== null ? { sizeLimit } : {}) });
  }

  override statfs(): { totalBytes: number; freeBytes: number } | null {
    return this.sized ? super.statfs() : null;
  }
}

/** The tmpfs at `target`, created with `rootMode` when the container's run has not made it yet. */
export function openTmpfs(containerDir: string, target: string, rootMode: number, sizeLimit: number | null): HostDirBackend {
  const dir = tmpfsDir(containerDir, target);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    // mkdir applies the umask and drops the sticky bit: set the mode itself.
    fs.chmodSync(dir, rootMode);
  }
  return new TmpfsBackend(dir, sizeLimit !== null, sizeLimit);
}

/**
 * Whether a tmpfs is noexec: Docker mounts every tmpfs with noexec,nosuid,nodev
 * and then the user's `--tmpfs` options, the last of exec/noexec winning
 * (mount.MergeTmpfsOptions).
 */
export function tmpfsNoexec(options: string | undefined): boolean {
  let noexec = true;
  for (const o of (options ?? '').split(',')) {
    if (o === 'exec') noexec = false;
    else if (o === 'noexec') noexec = true;
  }
  return noexec;
}
