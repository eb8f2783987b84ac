/**
 * Errors of templates, carrying Go's texts, which Docker prints after
 * "template parsing error: " (for both kinds, as docker/cli does).
 */

/** The template text is not valid: `template: :1: function "foo" not defined`. */
export class TemplateParseError extends Error {
  readonly code = 'TEMPLATE_PARSE';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'TemplateParseError';
  }
}

/**
 * Executing failed: `template: :1:2: executing "" at <.Foo>: can't evaluate
 * field Foo in type *formatter.ContainerContext`.
 */
export class TemplateExecError extends Error {
  readonly code = 'TEMPLATE_EXEC';
  /** What the template had written before it failed (Go writes as it goes). */
  partial = '';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateExecError';
  }
}
