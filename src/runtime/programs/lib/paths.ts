/** Path text helpers (no filesystem access). */

/** Joins as busybox's concat_path_file: no doubled slash. */
export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The last component, ignoring trailing slashes ("a/b/" -> "b"). */
export function lastComponent(path: string): string {
  const t = path.replace(/\/+$/, '');
  if (t === '') return path === '' ? '' : '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/**
 * The process umask. Emulated processes have no umask of their own yet;
 * Docker starts containers with 022, which is what files created by
 * mkdir, cp and touch show.
 */
export const UMASK = 0o022;
