/**
 * Go's text/tabwriter, as docker/cli uses it for every table:
 * `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
 *
 * Written by hand on purpose: cli-table3 (and every table library we know)
 * lays out a grid of rows and columns, while Docker's output comes from the
 * elastic-tabstops algorithm below, whose quirks users see: a column's width
 * is computed per *block* of consecutive lines that have a cell in that
 * column; the last cell of a line is not part of any column and is not
 * padded; and a line that ends in a tab has an empty last cell, so its
 * second-to-last cell *is* padded: that is why `docker history` rows end
 * with spaces (`2.24MB    `).
 *
 * docker/cli ships its own copy of the Go package that measures text with
 * go-runewidth (wide CJK characters count 2); we do the same.
 *
 * Terms (Go's): text is cut into cells terminated by '\t' (or '\v'), lines by
 * '\n' (or '\f', which also ends all columns). Cells terminated by a tab in
 * adjacent lines form a column.
 */
import { isNarrowText, stringWidth } from './runewidth.js';

export interface TabWriterOptions {
  /** Minimal cell width including padding. */
  minWidth: number;
  /** Width of a tab when padding with tabs. */
  tabWidth: number;
  /** Padding added to a cell's text width. */
  padding: number;
  /** The padding character. */
  padChar: string;
  /** Right-align cell text (Go's AlignRight flag). */
  alignRight?: boolean;
}

/** The settings every docker/cli table uses. */
export const DOCKER_TABWRITER: TabWriterOptions = { minWidth: 10, tabWidth: 1, padding: 3, padChar: ' ' };

/**
 * The cells of one line, with their display widths. (Go also marks cells
 * ended by a tab: that matters only to DiscardEmptyColumns, which docker/cli
 * does not set.)
 */
interface Line {
  texts: string[];
  widths: number[];
}

/** Cell and line terminators; captured, so that a split alternates cell, terminator, cell, … */
const TERMINATORS = /([\t\n\v\f])/;

/**
 * Lays out text the way Go's tabwriter does when the whole text is written
 * and then flushed. Returns the output; the input is not modified.
 */
export function tabwrite(text: string, options: TabWriterOptions = DOCKER_TABWRITER): string {
  const out: string[] = [];
  // A native split instead of a loop over characters: a large table is laid out once per process, by code that never gets optimised.
  const parts = text.split(TERMINATORS);
  let lines: Line[] = [{ texts: [], widths: [] }];
  const last = parts.length - 1;
  for (let i = 0; i < last; i += 2) {
    const cell = parts[i]!;
    const term = parts[i + 1]!;
    const line = lines[lines.length - 1]!;
    line.texts.push(cell);
    line.widths.push(stringWidth(cell));
    if (term === '\n' || term === '\f') {
      const ncells = line.texts.length;
      lines.push({ texts: [], widths: [] });
      // '\f' always flushes.
      if (term === '\f' || ncells === 1) {
        format(out, lines, options);
        lines = [{ texts: [], widths: [] }];
      }
    }
  }
  const pending = parts[last]!;
  if (pending.length > 0) {
    const line = lines[lines.length - 1]!;
    line.texts.push(pending);
    line.widths.push(stringWidth(pending));
  }
  format(out, lines, options);
  return out.join('');
}

/**
 * `tabwrite` of a table given as rows of cells: the output of
 * `tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n')`. When every
 * row has as many cells and no cell holds a terminator (a listing's table),
 * each column but the last is one block as tall as the table, laid out
 * without joining the text and cutting it up again.
 */
export function tabwriteRows(rows: readonly (readonly string[])[], options: TabWriterOptions = DOCKER_TABWRITER): string {
  const n = rows[0]?.length ?? 0;
  const slow = (): string => tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', options);
  if (n < 2) return slow();
  const textWidths = new Int32Array(rows.length * n);
  const columns: number[] = new Array<number>(n - 1).fill(options.minWidth);
  // Widths by cell text: a listing's cells repeat (STATUS, IMAGE, SIZE...), and each text is measured once.
  const widthOf = new Map<string, number>();
  let k = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.length !== n) return slow();
    for (let j = 0; j < n; j++, k++) {
      const cell = row[j]!;
      let w = widthOf.get(cell);
      if (w === undefined) {
        // Narrow text holds no terminator.
        if (isNarrowText(cell)) w = cell.length;
        else if (TERMINATORS.test(cell)) return slow();
        else w = stringWidth(cell);
        widthOf.set(cell, w);
      }
      textWidths[k] = w;
      if (j < n - 1 && w + options.padding > columns[j]!) columns[j] = w + options.padding;
    }
  }
  const pad = padder(options);
  // Pieces joined once, into an array made to size: appending made a rope node per piece, twice the text's size in garbage.
  const out = new Array<string>(rows.length * n * 2);
  let o = 0;
  k = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < n - 1; j++, k++) {
      const p = pad(textWidths[k]!, columns[j]!);
      out[o++] = options.alignRight ? p : row[j]!;
      out[o++] = options.alignRight ? row[j]! : p;
    }
    k++;
    out[o++] = row[n - 1]!;
    out[o++] = '\n';
  }
  return out.join('');
}

/** Go's Writer.format: column-block layout (Go recurses; this loops), then writeLines. */
function format(out: string[], lines: Line[], opt: TabWriterOptions): void {
  const widths: number[] = [];
  const pad = padder(opt);

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const { texts, widths: textWidths } = lines[i]!;
      const n = texts.length;
      for (let j = 0; j < n; j++) {
        if (j < widths.length) {
          const p = pad(textWidths[j]!, widths[j]!);
          if (opt.alignRight) out.push(p, texts[j]!);
          else out.push(texts[j]!, p);
        } else {
          out.push(texts[j]!);
        }
      }
      // The last buffered line is the unterminated one: no newline for it.
      if (i + 1 < lines.length) out.push('\n');
    }
  };

  // Go's format recurses once per column; a table with thousands of columns
  // would overflow the stack, so the recursion runs on an explicit stack.
  // Each frame is one call of Go's format(line0, line1) at column
  // `widths.length`; `i` is its loop position, `start` the first line not
  // yet written.
  interface Frame {
    line1: number;
    start: number;
    i: number;
  }
  const stack: Frame[] = [{ line1: lines.length, start: 0, i: 0 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    const column = widths.length;
    let child: Frame | null = null;
    for (; f.i < f.line1; f.i++) {
      if (column >= lines[f.i]!.texts.length - 1) continue;
      // A cell exists in this column: print the lines before the block,
      // then find the block's extent and width.
      writeLines(f.start, f.i);
      f.start = f.i;
      let width = opt.minWidth;
      let end = f.i;
      for (; end < f.line1; end++) {
        const line = lines[end]!;
        if (column >= line.texts.length - 1) break;
        width = Math.max(width, line.widths[column]! + opt.padding);
      }
      widths.push(width);
      child = { line1: end, start: f.start, i: f.start };
      // When the block is done, this frame goes on at its end (line `end`
      // itself is looked at again).
      f.start = end;
      f.i = end;
      break;
    }
    if (child !== null) {
      stack.push(child);
      continue;
    }
    writeLines(f.start, f.line1);
    stack.pop();
    if (stack.length > 0) widths.pop();
  }
}

/** The padding of a cell of `textWidth` in a column of `cellWidth`; runs of pad characters are made once per length. */
function padder(opt: TabWriterOptions): (textWidth: number, cellWidth: number) => string {
  if (opt.padChar === '\t') {
    return (textWidth, cellWidth) => {
      if (opt.tabWidth === 0) return '';
      const cw = Math.ceil(cellWidth / opt.tabWidth) * opt.tabWidth;
      return '\t'.repeat(Math.ceil((cw - textWidth) / opt.tabWidth));
    };
  }
  const runs: string[] = [];
  return (textWidth, cellWidth) => {
    const n = Math.max(cellWidth - textWidth, 0);
    return (runs[n] ??= opt.padChar.repeat(n));
  };
}
