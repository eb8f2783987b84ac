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
import { stringWidth } from './runewidth.js';

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

interface Cell {
  text: string;
  width: number;
  /** Terminated by a horizontal tab (as opposed to a line end or '\v'). */
  htab: boolean;
}

/**
 * Lays out text the way Go's tabwriter does when the whole text is written
 * and then flushed. Returns the output; the input is not modified.
 */
export function tabwrite(text: string, options: TabWriterOptions = DOCKER_TABWRITER): string {
  const out: string[] = [];
  let lines: Cell[][] = [[]];
  let cell = '';

  const flush = (): void => {
    // Go's Flush adds a non-empty pending cell; an empty one stays implicit.
    if (cell.length > 0) {
      lines[lines.length - 1]!.push({ text: cell, width: stringWidth(cell), htab: false });
      cell = '';
    }
    format(out, lines, options);
    lines = [[]];
  };

  for (const ch of text) {
    if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
      const line = lines[lines.length - 1]!;
      line.push({ text: cell, width: stringWidth(cell), htab: ch === '\t' });
      cell = '';
      if (ch === '\n' || ch === '\f') {
        const ncells = line.length;
        lines.push([]);
        // A line of a single cell cannot affect the layout of later lines,
        // so Go flushes there; '\f' always flushes.
        if (ch === '\f' || ncells === 1) flush();
      }
    } else {
      cell += ch;
    }
  }
  flush();
  return out.join('');
}

/** Go's Writer.format: column-block layout (Go recurses; this loops), then writeLines. */
function format(out: string[], lines: Cell[][], opt: TabWriterOptions): void {
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        const padded = j < widths.length;
        if (opt.alignRight && padded) out.push(padding(c.width, widths[j]!, opt));
        out.push(c.text);
        if (!opt.alignRight && padded) out.push(padding(c.width, widths[j]!, opt));
      });
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
      if (column >= lines[f.i]!.length - 1) continue;
      // A cell exists in this column: print the lines before the block,
      // then find the block's extent and width.
      writeLines(f.start, f.i);
      f.start = f.i;
      let width = opt.minWidth;
      let end = f.i;
      for (; end < f.line1; end++) {
        const line = lines[end]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + opt.padding);
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

function padding(textWidth: number, cellWidth: number, opt: TabWriterOptions): string {
  if (opt.padChar === '\t') {
    if (opt.tabWidth === 0) return '';
    const cw = Math.ceil(cellWidth / opt.tabWidth) * opt.tabWidth;
    return '\t'.repeat(Math.ceil((cw - textWidth) / opt.tabWidth));
  }
  return opt.padChar.repeat(Math.max(cellWidth - textWidth, 0));
}
