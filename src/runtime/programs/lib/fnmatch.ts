/**
 * fnmatch(3) as a regular expression, for the programs that match names
 * against shell patterns (find -name/-path, tar operands and --exclude).
 * With `pathname` (FNM_PATHNAME) "*", "?" and brackets never match "/".
 * FNM_PERIOD is off: a leading "." is matched like any character.
 */
export function fnmatchRegExp(glob: string, options: { pathname?: boolean; icase?: boolean } = {}): RegExp {
  const any = options.pathname ? '[^/]' : '.';
  const notSlash = options.pathname ? '(?!/)' : '';
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') src += `${any}*`;
    else if (c === '?') src += any;
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) src += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        src += `${notSlash}[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) src += '\\' + glob[++i];
    else src += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, options.icase ? 'is' : 's');
}
