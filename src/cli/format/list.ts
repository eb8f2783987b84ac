/**
 * docker/cli's formatter.Context for list commands (`ps`, `images`,
 * `volume ls`, `history`, `system df`): the `--format` conventions and the
 * table layout.
 *
 * - `table ...` (any format starting with "table"): the rest is the row
 *   template; a header row is rendered from the same template with the
 *   header titles as data, and everything goes through the tab writer.
 * - `json`: `{{json .}}` per row.
 * - anything else: a raw template, one line per row, no header.
 * - A literal `\t` or `\n` (backslash + letter) in the format is a real
 *   tab or newline; surrounding spaces are trimmed.
 */
import { parse, headerFuncs, TemplateExecError, type Template } from './template/index.js';
import { tabwrite } from './tabwriter.js';
import { marshal, viewValues } from './go/json.js';

export const TABLE_FORMAT_KEY = 'table';
export const RAW_FORMAT_KEY = 'raw';
export const JSON_FORMAT_KEY = 'json';
export const JSON_FORMAT = '{{json .}}';

/** formatter.Format.IsTable */
export function isTable(format: string): boolean {
  return format.startsWith(TABLE_FORMAT_KEY);
}

/** formatter.Format.IsJSON */
export function isJSON(format: string): boolean {
  return format === JSON_FORMAT_KEY;
}

/** The template text docker/cli actually parses for a --format value (preFormat). */
export function finalFormat(format: string): string {
  let f = format;
  if (isTable(f)) f = f.slice(TABLE_FORMAT_KEY.length);
  else if (isJSON(f)) f = JSON_FORMAT;
  f = f.replace(/^ +| +$/g, '');
  return f.replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
}

export interface RenderListOptions<Row> {
  /** The user's --format, or undefined/"" for the command's default. */
  format?: string;
  /** The command's default format, e.g. "table {{.ID}}\t{{.Image}}". */
  defaultFormat: string;
  rows: readonly Row[];
  /**
   * The header row's data: titles by field name (`{ ID: 'CONTAINER ID' }`),
   * or an object whose getters and methods return titles, for fields that
   * take arguments (`Label(name)` gives the label's name as its title).
   */
  headers: Readonly<Record<string, string>> | object;
}

/** Thrown when the format does not parse or a row fails; message as Docker prints it. */
export class FormatError extends Error {
  readonly code = 'FORMAT';
  constructor(
    message: string,
    override readonly cause: Error,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

function parseFormat(text: string): Template {
  try {
    return parse(text);
  } catch (e) {
    throw new FormatError(`template parsing error: ${(e as Error).message}`, e as Error);
  }
}

/**
 * Renders rows as docker/cli's Context.Write does; returns the whole output
 * (every row ends with a newline). Throws FormatError with Docker's text.
 */
export function renderList<Row>(options: RenderListOptions<Row>): string {
  // "table" alone, like no format at all, means the command's default table.
  const format = options.format && options.format !== TABLE_FORMAT_KEY ? options.format : options.defaultFormat;
  const tmpl = parseFormat(finalFormat(format));
  let body = '';
  for (const row of options.rows) {
    try {
      body += tmpl.execute(row) + '\n';
    } catch (e) {
      throw new FormatError(`template parsing error: ${(e as Error).message}`, e as Error);
    }
  }
  if (!isTable(format)) return body;
  // The header row: the same template run on the titles, with docker/cli's
  // header functions; an error there is ignored, as docker/cli ignores it
  // (whatever was written before the error is kept).
  let header: string;
  try {
    header = tmpl.execute(options.headers, { funcs: headerFuncs });
  } catch (e) {
    if (!(e instanceof TemplateExecError)) throw e;
    header = e.partial;
  }
  return tabwrite(header + '\n' + body);
}

/**
 * docker/cli's MarshalJSON for view objects (what `--format json` prints):
 * every exported getter and zero-argument method, keys sorted, values as
 * Go's json.Marshal writes them (HTML characters escaped). `{{json .}}` on a
 * view object gives the same.
 */
export function viewJSON(view: object): string {
  return marshal(viewValues(view), { escapeHTML: true });
}
