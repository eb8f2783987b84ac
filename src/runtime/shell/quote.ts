/** ash's maybe_single_quote(): how `set -x`, `set`, `export -p` and `trap` print a word. */
export function shellQuote(s: string): string {
  if (s !== '' && !/[\x00-\x2a;<=>?`[\\{|}~\x7f-\uffff]/.test(s)) return s;
  if (s === '') return "''";
  return s
    .split(/('+)/)
    .filter((p) => p !== '')
    .map((p) => (p.startsWith("'") ? `"${p}"` : `'${p}'`))
    .join('');
}

/** Always single-quoted (what `set`, `export -p` and `trap` print). */
export function singleQuote(s: string): string {
  return s
    .split(/('+)/)
    .filter((p, i, all) => p !== '' || all.length === 1)
    .map((p) => (p.startsWith("'") ? `"${p}"` : `'${p}'`))
    .join('');
}
