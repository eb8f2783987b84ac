/**
 * POSIX regular expressions (basic and extended, with the GNU extensions
 * busybox gets from libc: \| \+ \? \< \> \b \w in BRE) translated to
 * JavaScript RegExp source, for grep, sed and find -regex. Inputs are byte
 * strings, so no "u" flag: one char is one byte.
 */

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

export class RegexError extends Error {}

/** Translates a bracket expression starting at `re[i] === '['`; returns [source, next index]. */
function bracket(re: string, i: number): [string, number] {
  let j = i + 1;
  let out = '[';
  if (re[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  for (; j < re.length; j++) {
    const c = re[j]!;
    if (c === ']' && !first) return [out + ']', j + 1];
    first = false;
    if (c === '[' && (re[j + 1] === ':' || re[j + 1] === '=' || re[j + 1] === '.')) {
      const kind = re[j + 1]!;
      const end = re.indexOf(kind + ']', j + 2);
      if (end === -1) throw new RegexError('Unmatched [, [^, [:, [., or [=');
      const name = re.slice(j + 2, end);
      if (kind === ':') {
        const cls = CLASSES[name];
        if (cls === undefined) throw new RegexError('Invalid character class name');
        out += cls;
      } else out += escapeInClass(name);
      j = end + 1;
      continue;
    }
    out += escapeInClass(c);
  }
  throw new RegexError('Unmatched [, [^, [:, [., or [=');
}

function escapeInClass(c: string): string {
  return c === '\\' || c === ']' || c === '[' || c === '^' ? '\\' + c : c;
}

function escapeLiteral(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? '\\' + c : c;
}

/** POSIX regex -> JS source. `extended` for ERE (grep -E, sed -E). */
export function translate(re: string, extended: boolean): string {
  let out = '';
  let depth = 0;
  // Whether the previous item can take a quantifier (a leading "*" is literal in BRE).
  let atStart = true;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '[') {
      const [src, next] = bracket(re, i);
      out += src;
      i = next - 1;
      atStart = false;
      continue;
    }
    if (c === '\\') {
      const n = re[i + 1];
      i++;
      if (n === undefined) throw new RegexError('Trailing backslash');
      if (!extended && (n === '(' || n === ')')) {
        if (n === '(') {
          depth++;
          out += '(';
          atStart = true;
        } else {
          if (depth === 0) throw new RegexError('Unmatched ) or \\)');
          depth--;
          out += ')';
          atStart = false;
        }
        continue;
      }
      if (!extended && n === '{') {
        const end = re.indexOf('\\}', i);
        if (end === -1) throw new RegexError('Unmatched \\{');
        out += `{${re.slice(i + 1, end)}}`;
        i = end + 1;
        continue;
      }
      if (!extended && (n === '|' || n === '+' || n === '?')) {
        out += n;
        atStart = n === '|';
        continue;
      }
      if (n === '<') out += '\\b(?=\\w)';
      else if (n === '>') out += '\\b(?<=\\w)';
      else if (/[1-9]/.test(n)) out += `\\${n}`;
      else if ('bBwWsS'.includes(n)) out += `\\${n}`;
      else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else out += escapeLiteral(n);
      atStart = false;
      continue;
    }
    if (c === '*') {
      out += atStart ? '\\*' : '*';
      continue;
    }
    if (c === '^') {
      // In BRE "^" anchors only at the start of the pattern or a group.
      out += extended || atStart ? '^' : '\\^';
      continue;
    }
    if (c === '$') {
      const end = i === re.length - 1 || (!extended && re.startsWith('\\)', i + 1)) || (!extended && re.startsWith('\\|', i + 1));
      out += extended || end ? '$' : '\\$';
      continue;
    }
    if (extended) {
      if (c === '(') {
        depth++;
        out += '(';
        atStart = true;
        continue;
      }
      if (c === ')') {
        if (depth === 0) throw new RegexError('Unmatched ) or \\)');
        depth--;
        out += ')';
        atStart = false;
        continue;
      }
      if (c === '|') {
        out += '|';
        atStart = true;
        continue;
      }
      if (c === '+' || c === '?') {
        out += atStart ? '\\' + c : c;
        continue;
      }
      if (c === '{') {
        const m = /^\{(\d*)(,?)(\d*)\}/.exec(re.slice(i));
        if (m && !atStart) {
          out += m[0];
          i += m[0].length - 1;
          continue;
        }
        out += '\\{';
        atStart = false;
        continue;
      }
    }
    if (c === '.') out += '.';
    else out += escapeLiteral(c);
    atStart = false;
  }
  if (depth !== 0) throw new RegexError('Unmatched ( or \\(');
  return out;
}

/** Compiles a POSIX pattern; throws RegexError with regcomp's text. */
export function compile(re: string, options: { extended: boolean; ignoreCase?: boolean; global?: boolean }): RegExp {
  const src = translate(re, options.extended);
  try {
    return new RegExp(src, (options.ignoreCase ? 'i' : '') + (options.global ? 'g' : ''));
  } catch {
    throw new RegexError('Invalid regular expression');
  }
}
