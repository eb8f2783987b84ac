/**
 * Random input to the parser: it returns a tree or throws a ShellSyntaxError
 * (or, for an arithmetic or expansion problem found while parsing, a
 * ShellError) — never another exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/runtime/shell/arith.js';
import { ShellError, ShellSyntaxError } from '../../../src/runtime/shell/errors.js';
import { parseScript } from '../../../src/runtime/shell/parser.js';
import { matchPattern } from '../../../src/runtime/shell/pattern.js';

const shellAlphabet = fc.constantFrom(
  'a', 'b', 'x', '1', ' ', '\n', '\t', ';', '&', '|', '(', ')', '{', '}', '<', '>', '$', '`', '"', "'", '\\', '*', '?', '[', ']', '#', '=', '~', '!', ':', '-', '+', '%', '/',
  'if ', 'then ', 'fi', 'do ', 'done', 'case ', ' in ', 'esac', 'for ', 'while ', '$(', '$((', '))', '${', '<<', 'EOF', ';;', '&&', '||', '2>&1',
);
const shellText = fc.array(shellAlphabet, { maxLength: 60 }).map((a) => a.join(''));

function parsesOrSyntaxError(text: string): void {
  try {
    parseScript(text);
  } catch (err) {
    if (err instanceof ShellSyntaxError || err instanceof ShellError) return;
    throw err;
  }
}

describe('parser on random input', () => {
  it('gives a tree or a typed syntax error', () => {
    fc.assert(fc.property(shellText, (text) => parsesOrSyntaxError(text)), { numRuns: 3000 });
  });

  it('survives arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => parsesOrSyntaxError(text)), { numRuns: 2000 });
  });

  it('bounds nesting instead of overflowing the stack', () => {
    for (const text of ['('.repeat(5000), '$('.repeat(5000), '{ '.repeat(5000), 'if '.repeat(5000)]) {
      expect(() => parseScript(text)).toThrow(ShellSyntaxError);
    }
  });

  it('syntax errors carry a line and a detail', () => {
    try {
      parseScript('echo a\nfi');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ShellSyntaxError);
      expect((err as ShellSyntaxError).line).toBe(2);
      expect((err as ShellSyntaxError).message).toBe('syntax error: unexpected "fi"');
    }
  });
});

describe('arithmetic on random input', () => {
  const arithText = fc.array(fc.constantFrom('1', '0x1f', '07', 'a', 'b', '+', '-', '*', '/', '%', '(', ')', '?', ':', '=', '+=', '<<', '**', '!', '~', ',', ' ', '++', '--', '&&', '||'), { maxLength: 30 }).map((a) => a.join(''));
  it('gives a number or a ShellError', () => {
    fc.assert(
      fc.property(arithText, (text) => {
        const vars = new Map<string, string>([['a', '3'], ['b', 'a+1']]);
        try {
          const v = evaluate(text, { get: (n) => vars.get(n), set: (n, x) => void vars.set(n, x) });
          expect(typeof v).toBe('bigint');
        } catch (err) {
          if (!(err instanceof ShellError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('patterns on random input', () => {
  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (p, s) => void matchPattern(p, s)), { numRuns: 3000 });
  });
});
