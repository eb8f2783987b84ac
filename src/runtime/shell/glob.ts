/**
 * Pathname expansion against the container's filesystem: each `/`-separated
 * component with wildcards is matched against a directory listing; names
 * starting with "." match only a pattern that starts with a literal ".".
 * Results are sorted bytewise (the C locale busybox images run in).
 */
import type { ProcessFs } from '../fs/process-fs.js';
import { hasGlobChars, patternToRegex, unescapePattern } from './pattern.js';

/** Splits on unescaped "/" (an escaped one stays part of its component). */
function splitComponents(pattern: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) {
      cur += c + (pattern[i + 1] ?? '');
      i++;
    } else if (c === '/') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Expands a pattern to the sorted matching paths, or [] when nothing matches. */
export function expandGlob(fs: ProcessFs, pattern: string): string[] {
  const comps = splitComponents(pattern);
  const absolute = pattern.startsWith('/');
  // Each candidate: the path as it will be printed ("" for the cwd at the start).
  let candidates: string[] = [absolute ? '/' : ''];
  const start = absolute ? 1 : 0;
  for (let i = start; i < comps.length; i++) {
    const comp = comps[i] ?? '';
    const last = i === comps.length - 1;
    if (comp === '') {
      // "a//b" or a trailing "/": keep the separator, and require a directory.
      candidates = candidates.filter((c) => isDir(fs, c)).map((c) => (c.endsWith('/') || c === '' ? c : c + '/'));
      continue;
    }
    const next: string[] = [];
    if (!hasGlobChars(comp)) {
      const name = unescapePattern(comp);
      for (const c of candidates) {
        const p = join(c, name);
        if (last ? fs.tryLstat(p) !== null : isDir(fs, p)) next.push(p);
      }
    } else {
      const re = patternToRegex(comp, { pathname: true });
      const dotOk = comp.startsWith('.') || comp.startsWith('\\.');
      for (const c of candidates) {
        let names: string[];
        try {
          names = fs.readdir(c === '' ? '.' : c);
        } catch {
          continue;
        }
        for (const n of names) {
          if (n.startsWith('.') && !dotOk) continue;
          if (!re.test(n)) continue;
          const p = join(c, n);
          if (!last && !isDir(fs, p)) continue;
          next.push(p);
        }
      }
    }
    candidates = next;
    if (candidates.length === 0) return [];
  }
  return candidates.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function join(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function isDir(fs: ProcessFs, path: string): boolean {
  const st = fs.tryStat(path === '' ? '.' : path);
  return st !== null && st.type === 'dir';
}
