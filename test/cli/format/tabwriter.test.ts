import { describe, it, expect } from 'vitest';
import { tabwrite, tabwriteRows, type TabWriterOptions } from '../../../src/cli/format/tabwriter.js';

describe('tabwrite with docker/cli settings (minwidth 10, padding 3, spaces)', () => {
  it('lays out `docker images` as Docker does', () => {
    const input =
      'REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n' + 'mydockfmtprobe\t1\ta116f9c77e4f\tAbout a minute ago\t0B\n';
    expect(tabwrite(input)).toBe(
      'REPOSITORY       TAG       IMAGE ID       CREATED              SIZE\n' +
        'mydockfmtprobe   1         a116f9c77e4f   About a minute ago   0B\n',
    );
  });

  it('pads the cell before a trailing tab (history rows end with spaces)', () => {
    const input = 'IMAGE\tSIZE\t\n' + 'a116f9c77e4f\t0B\t\n';
    expect(tabwrite(input)).toBe('IMAGE          SIZE      \n' + 'a116f9c77e4f   0B        \n');
  });

  it('does not pad the last cell of a line', () => {
    expect(tabwrite('a\tb\nccc\tdddddddddddddddd\n')).toBe('a         b\nccc       dddddddddddddddd\n');
  });

  it('computes widths per block of consecutive lines (Go doc example)', () => {
    // aaaa|bbb|d / aa|b|dd / a| / aa|cccc|eee : b and c are distinct columns.
    const out = tabwrite('aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n', {
      minWidth: 0,
      tabWidth: 8,
      padding: 1,
      padChar: '.',
    });
    expect(out).toBe('aaaa.bbb.d\naa...b...dd\na....\naa...cccc.eee\n');
  });

  it('keeps a line without tabs out of the columns', () => {
    expect(tabwrite('Images space usage:\n\nREPOSITORY\tSIZE\nx\t1B\n')).toBe(
      'Images space usage:\n\nREPOSITORY   SIZE\nx            1B\n',
    );
  });

  it('measures East Asian wide characters as two cells', () => {
    expect(tabwrite('名前\tx\nab\ty\n')).toBe('名前      x\nab        y\n');
  });

  it('flushes an unterminated last line without a newline', () => {
    expect(tabwrite('a\tb\nc\td')).toBe('a         b\nc         d');
  });

  it('an empty cell in the middle is padded', () => {
    expect(tabwrite('A\tB\tC\nx\t\tz\n')).toBe('A         B         C\nx                   z\n');
  });

  it('lays out thousands of columns without deep recursion (Go recurses once per column)', () => {
    const n = 20_000;
    const out = tabwrite('table' + '\t'.repeat(n) + '\n' + 'x\ty\n');
    // The header's cells are all empty but the first: each pads to the minimal width.
    const [head, row] = out.split('\n');
    expect(head).toBe('table' + ' '.repeat(5) + ' '.repeat(10 * (n - 1)));
    expect(row).toBe('x' + ' '.repeat(9) + 'y');
  });

  it('nested column blocks match the recursive layout', () => {
    // Column 1 spans lines 1-2 inside column 0's block of lines 0-3.
    const out = tabwrite('a\nbb\tc\tddddddddddddd\ne\tfffffffffffff\tg\nh\ti\nj\n');
    expect(out).toBe('a\nbb        c               ddddddddddddd\ne         fffffffffffff   g\nh         i\nj\n');
  });
});

describe('tabwrite: terminators other than tab and newline, and pending cells', () => {
  it("a '\\v' ends a cell that still belongs to its column", () => {
    expect(tabwrite('a\vbbbbbbbbbbbbb\tc\nccc\vd\te\n')).toBe('a         bbbbbbbbbbbbb   c\nccc       d               e\n');
  });

  it("a '\\f' ends every column: lines after it are laid out afresh", () => {
    expect(tabwrite('a\tb\fccccccccccccc\td\n')).toBe('a         b\nccccccccccccc   d\n');
  });

  it('an unterminated last line keeps its cells; an empty pending cell is dropped', () => {
    expect(tabwrite('xx\tyy\tzz')).toBe('xx        yy        zz');
    expect(tabwrite('xx\tyy\t')).toBe('xx        yy');
    expect(tabwrite('x\ty\n\n')).toBe('x         y\n\n');
  });

  it('measures a truncated command by display width, as ps shows it', () => {
    const input = 'CONTAINER ID\tCOMMAND\tNAMES\nabc\t"sh -c \'echo hello >…"\tn1\ndef\t"名前…"\tn2\n';
    expect(tabwrite(input)).toBe(
      'CONTAINER ID   COMMAND                  NAMES\n' + 'abc            "sh -c \'echo hello >…"   n1\n' + 'def            "名前…"                  n2\n',
    );
  });
});

describe('tabwriteRows: a table given as cells lays out as its joined text does', () => {
  const joined = (rows: string[][], options?: TabWriterOptions) => tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', options);

  it.each<[string, string[][]]>([
    ['a listing', [['CONTAINER ID', 'COMMAND', 'NAMES'], ['abc', '"sh -c \'echo hello >…"', 'n1'], ['def', '"名前…"', 'n2']]],
    ['empty cells, first and last', [['', 'b', ''], ['x', '', 'zzzzzzzzzzzzzzzzzz']]],
    ['Latin letters and a soft hyphen', [['\u00e9t\u00e9', 'x'], ['\u00ad\u02ff\u00ff', 'y']]],
    ['combining and zero-width characters', [['e\u0301e\u0301', 'x'], ['a\u200bb', 'y']]],
    ['a cell holding a tab or a newline (laid out from the joined text)', [['a\tb', 'c'], ['d', 'e\nf']]],
    ['rows of different lengths', [['a', 'b', 'c'], ['d'], ['e', 'f']]],
    ['one column', [['a'], ['bbbbbbbbbbbbbbbbbbbb']]],
    ['no rows', []],
  ])('%s', (_what, rows) => {
    expect(tabwriteRows(rows)).toBe(joined(rows));
    for (const options of [
      { minWidth: 0, tabWidth: 8, padding: 1, padChar: '.' },
      { minWidth: 5, tabWidth: 4, padding: 1, padChar: '\t' },
      { minWidth: 3, tabWidth: 1, padding: 2, padChar: ' ', alignRight: true },
    ]) {
      expect(tabwriteRows(rows, options)).toBe(joined(rows, options));
    }
  });

  it('agrees with tabwrite on generated tables', () => {
    const pieces = ['a', 'bb', ' ', '名', '…', 'é', 'e\u0301', '😀', '\x01', '', 'a longer cell'];
    let seed = 1;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let t = 0; t < 300; t++) {
      const width = 1 + next(5);
      const rows = Array.from({ length: next(6) }, () =>
        Array.from({ length: next(10) === 0 ? next(6) : width }, () => Array.from({ length: next(4) }, () => pieces[next(pieces.length)]).join('')),
      );
      expect(tabwriteRows(rows)).toBe(joined(rows));
    }
  });
});
