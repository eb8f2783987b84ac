/**
 * Errors raised while parsing and running shell code. The messages are ash's,
 * without the "sh: " prefix (the interpreter adds it, with a line number
 * where ash prints one).
 */

export class ShellSyntaxError extends Error {
  constructor(
    /** Text after "syntax error: ", e.g. `unexpected "fi"`. */
    readonly detail: string,
    readonly line: number,
    /** The error comes from running out of input: more input could complete the command. */
    readonly atEof = false,
  ) {
    super(`syntax error: ${detail}`);
    this.name = 'ShellSyntaxError';
  }
}

/**
 * A fatal shell error (ash's "raise error"): a failed special builtin, a bad
 * expansion, an unset variable under `set -u`. A non-interactive shell
 * prints it and exits with `status` (2 unless stated).
 */
export class ShellError extends Error {
  constructor(
    message: string,
    readonly status = 2,
    /** Print it with the running builtin's name and the line, as ash does for builtins. */
    readonly command: string | null = null,
  ) {
    super(message);
    this.name = 'ShellError';
  }
}

/** `break n` / `continue n` unwinding to the loop `levels` up. */
export class LoopControl extends Error {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {
    super(kind);
    this.name = 'LoopControl';
  }
}

/** `return` unwinding to the function or sourced file that runs it. */
export class ReturnSignal extends Error {
  constructor(readonly status: number) {
    super('return');
    this.name = 'ReturnSignal';
  }
}
