/**
 * `docker inspect` output (docker/cli's cli/command/inspect): the records as
 * an indented JSON array, compact JSON for `--format json`, or a template
 * executed once per record.
 *
 * Records are plain JavaScript objects laid out as Docker's JSON (field
 * order matters: it is the order printed). Templates read them the way
 * docker/cli does: first as Go structs (a missing field fails, a typed nil
 * prints as Go prints it: `goNil('slice')` as `[]`, `undefined` as `<nil>`;
 * objects marked with `goMap()` are maps, whose missing keys print
 * `<no value>`), and when that fails, again on the decoded JSON with
 * `missingkey=error`, which gives Docker's final error text
 * (`map has no entry for key "Foo"`).
 */
import { marshal } from './go/json.js';
import { GO_TYPE, goMap, isGoMap, isPlainObject } from './go/values.js';
import { isExported } from './go/unicode.js';
import { parse, TemplateExecError, type Template } from './template/index.js';

export interface InspectResult {
  /** What goes to stdout. */
  stdout: string;
  /** One message per record that failed; Docker prints them joined by newlines and exits 1. */
  errors: string[];
}

/** A --format that does not parse: Docker prints the message and exits with this status. */
export class InspectFormatError extends Error {
  readonly code = 'INSPECT_FORMAT';
  readonly exitCode = 64;
  constructor(
    message: string,
    override readonly cause: Error,
  ) {
    super(message);
    this.name = 'InspectFormatError';
  }
}

/** The record as Go structs: unmarked plain objects become struct-like values. */
function asTyped(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asTyped);
  if (!isPlainObject(v)) return v;
  const marked = isGoMap(v) || looksLikeMap(v);
  const out: Record<PropertyKey, unknown> = {};
  for (const [k, e] of Object.entries(v)) out[k] = asTyped(e);
  if (!marked) Object.defineProperty(out, GO_TYPE, { value: 'struct', enumerable: false });
  else if (!isGoMap(out)) return goMap(out);
  return out;
}

/**
 * Docker's records are structs whose fields are all capitalised; an object
 * with any other key (labels, options: `orc.scenario`) or with no key at all
 * (an empty Labels) is one of their maps, so engine code need not mark them.
 */
function looksLikeMap(v: object): boolean {
  const keys = Object.keys(v);
  return keys.length === 0 || keys.some((k) => !isExported(k));
}

/** The record as the raw fallback sees it: JSON decoded into maps and slices. */
function asRaw(v: unknown): unknown {
  const text = marshal(v, { escapeHTML: false });
  return JSON.parse(text) as unknown;
}

function executeOne(tmpl: Template, record: unknown): string {
  try {
    return tmpl.execute(asTyped(record));
  } catch (e) {
    if (!(e instanceof TemplateExecError)) throw e;
  }
  try {
    return tmpl.execute(asRaw(record), { missingKey: 'error' });
  } catch (e) {
    if (e instanceof TemplateExecError) throw new InspectRecordError(`template parsing error: ${e.message}`);
    throw e;
  }
}

class InspectRecordError extends Error {}

/**
 * Renders `docker inspect` for the records found (records that could not be
 * found are the caller's errors to add). Throws InspectFormatError when the
 * format does not parse.
 */
export function renderInspect(format: string | undefined, records: readonly unknown[]): InspectResult {
  if (!format) {
    if (records.length === 0) return { stdout: '[]\n', errors: [] };
    // Through asTyped so maps come out with sorted keys, as Go marshals them.
    return { stdout: marshal(asTyped(records), { escapeHTML: false, indent: '    ' }) + '\n', errors: [] };
  }
  if (format === 'json') {
    if (records.length === 0) return { stdout: '[]\n', errors: [] };
    return { stdout: marshal(asTyped(records), { escapeHTML: false }) + '\n', errors: [] };
  }
  let tmpl: Template;
  try {
    tmpl = parse(format);
  } catch (e) {
    throw new InspectFormatError(`template parsing error: ${(e as Error).message}`, e as Error);
  }
  let stdout = '';
  const errors: string[] = [];
  for (const r of records) {
    try {
      stdout += executeOne(tmpl, r) + '\n';
    } catch (e) {
      if (e instanceof InspectRecordError) errors.push(e.message);
      else throw e;
    }
  }
  // docker/cli writes a lone newline when no record produced output.
  return { stdout: stdout === '' ? '\n' : stdout, errors };
}
