/** Docker's output formatting: sizes, times, tables, templates, inspect. */
export * from './size.js';
export * from './time.js';
export * from './tabwriter.js';
export { stringWidth } from './runewidth.js';
export * from './list.js';
export * from './inspect.js';
export { parse, Template, TemplateParseError, TemplateExecError, dockerFuncs, headerFuncs } from './template/index.js';
export type { FuncMap, GoFunction, MissingKey, ParamType, ExecuteOptions } from './template/index.js';
export { GO_TYPE, GoFloat, goFloat, GoNil, goNil, goMap } from './go/values.js';
export { marshal, sortKeys, jsonString } from './go/json.js';
export { sprintf, sprint, sprintln } from './go/print.js';
export { formatFloat } from './go/float.js';
