/**
 * A Go text/template interpreter for the templates Docker users pass to
 * `--format`. Parse once, execute against view objects or inspect records:
 *
 *   const t = parse('{{.ID}}\t{{.Names}}');
 *   t.execute(view);                  // "3f4e...\tweb"
 *   t.execute(header, { funcs: headerFuncs });
 *
 * Parse errors throw TemplateParseError, execution errors TemplateExecError,
 * both with Go's message texts.
 */
import { parseTemplate, type TreeSet } from './parser.js';
import { execute, type FuncMap, type MissingKey } from './exec.js';
import { dockerFuncs, headerFuncs } from './funcs.js';

export { TemplateParseError, TemplateExecError } from './errors.js';
export type { FuncMap, GoFunction, MissingKey, ParamType } from './exec.js';
export { dockerFuncs, headerFuncs };

export interface ExecuteOptions {
  /** Functions to run with; defaults to the ones the template was parsed with. */
  funcs?: FuncMap;
  /** Go's `missingkey` option; docker inspect's raw-map fallback uses "error". */
  missingKey?: MissingKey;
}

export class Template {
  constructor(
    readonly text: string,
    private readonly trees: TreeSet,
    private readonly funcs: FuncMap,
  ) {}

  /** Runs the template with `data` as dot; returns the text or throws TemplateExecError. */
  execute(data: unknown, options: ExecuteOptions = {}): string {
    return execute(this.text, this.trees, data, {
      funcs: options.funcs ?? this.funcs,
      missingKey: options.missingKey ?? 'default',
      name: '',
    });
  }
}

/**
 * templates.Parse: an anonymous template with docker/cli's functions.
 * Throws TemplateParseError.
 */
export function parse(text: string, funcs: FuncMap = dockerFuncs): Template {
  const trees = parseTemplate(text, (name) => funcs.has(name));
  return new Template(text, trees, funcs);
}
