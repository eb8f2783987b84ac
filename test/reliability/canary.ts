/**
 * A canary directory on the host beside a root: its files, contents, modes
 * and mtimes are recorded before an attack and compared afterwards, and the
 * directory that holds both is checked for anything new.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

export function plantCanary(dir: string): void {
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'file'), 'canary\n');
  fs.writeFileSync(path.join(dir, 'sub', 'secret'), 'do not touch\n');
  const old = new Date('2020-01-01T00:00:00Z');
  for (const p of [path.join(dir, 'sub', 'secret'), path.join(dir, 'file'), path.join(dir, 'sub'), dir]) fs.utimesSync(p, old, old);
}

/** One line per entry below `dir` (type, mode, size, mtime, content hash), sorted. */
export function fingerprint(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string, rel: string): void => {
    const st = fs.lstatSync(p);
    let extra = '';
    if (st.isFile()) extra = createHash('sha256').update(fs.readFileSync(p)).digest('hex').slice(0, 16);
    else if (st.isSymbolicLink()) extra = '-> ' + fs.readlinkSync(p);
    out.push(`${rel || '.'} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${extra}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name), rel ? `${rel}/${name}` : name);
  };
  walk(dir, '');
  return out;
}

/** The names directly in `dir` (what appeared next to the root and the canary). */
export function topNames(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
