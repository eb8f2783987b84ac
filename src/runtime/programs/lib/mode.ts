/**
 * File modes: `ls -l`'s mode string and chmod's mode parser (busybox's
 * bb_mode_string and bb_parse_mode).
 */
import type { FileType, FsStat } from '../../../storage/backend.js';

const TYPE_CHAR: Record<FileType, string> = {
  file: '-',
  dir: 'd',
  symlink: 'l',
  char: 'c',
  block: 'b',
  fifo: 'p',
  socket: 's',
};

/** "drwxr-xr-x", "-rwsr-xr-x", "drwxrwxrwt". */
export function modeString(st: Pick<FsStat, 'type' | 'mode'>): string {
  const m = st.mode;
  const rwx = (shift: number, special: number, on: string, off: string): string => {
    const bits = (m >> shift) & 7;
    const x = bits & 1;
    const xc = m & special ? (x ? on : off) : x ? 'x' : '-';
    return (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + xc;
  };
  return TYPE_CHAR[st.type] + rwx(6, 0o4000, 's', 'S') + rwx(3, 0o2000, 's', 'S') + rwx(0, 0o1000, 't', 'T');
}

/**
 * Applies a chmod mode (octal, or symbolic clauses "u+x,go-w,a=r") to `old`.
 * Returns null when the text is not a valid mode. `isDir` matters for "X".
 */
export function parseMode(text: string, old: number, isDir: boolean): number | null {
  if (/^[0-7]+$/.test(text)) {
    const v = parseInt(text, 8);
    return v > 0o7777 ? null : v;
  }
  let mode = old & 0o7777;
  for (const clause of text.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) return null;
    let who = 0;
    for (const c of m[1]!) {
      if (c === 'u') who |= 0o4700;
      else if (c === 'g') who |= 0o2070;
      else if (c === 'o') who |= 0o1007;
      else who |= 0o7777;
    }
    if (who === 0) who = 0o7777;
    const ops = m[2]!.match(/[-+=][rwxXstugo]*/g) ?? [];
    for (const op of ops) {
      let bits = 0;
      for (const p of op.slice(1)) {
        if (p === 'r') bits |= 0o444;
        else if (p === 'w') bits |= 0o222;
        else if (p === 'x') bits |= 0o111;
        else if (p === 'X') bits |= isDir || mode & 0o111 ? 0o111 : 0;
        else if (p === 's') bits |= 0o6000;
        else if (p === 't') bits |= 0o1000;
        else {
          // "g=u": copy another class's bits to every class.
          const src = p === 'u' ? (mode >> 6) & 7 : p === 'g' ? (mode >> 3) & 7 : mode & 7;
          bits |= (src << 6) | (src << 3) | src;
        }
      }
      bits &= who;
      if (op[0] === '+') mode |= bits;
      else if (op[0] === '-') mode &= ~bits;
      else mode = (mode & ~who) | bits;
    }
  }
  return mode;
}
