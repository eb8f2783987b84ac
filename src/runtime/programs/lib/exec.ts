/**
 * Finding a command the way execvp(3) does, so that env and xargs can print
 * busybox's own "can't execute" message before asking ctx.spawn to run it.
 */
import type { ProcessFs } from '../../fs/process-fs.js';

/** execvp's default search path when PATH is unset. */
export const DEFAULT_PATH = '/bin:/usr/bin';

/** The file a command name runs, or null when there is none. */
export function findInPath(fs: ProcessFs, name: string, path: string | undefined): string | null {
  if (name === '') return null;
  if (name.includes('/')) return fs.tryStat(name) ? name : null;
  for (const dir of (path ?? DEFAULT_PATH).split(':')) {
    const candidate = `${dir === '' ? '.' : dir}/${name}`;
    const st = fs.tryStat(candidate);
    if (st && st.type === 'file') return candidate;
  }
  return null;
}
