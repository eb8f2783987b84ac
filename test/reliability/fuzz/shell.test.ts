/** parseScript on hostile text: a syntax tree, or ash's "syntax error: ..." */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScript } from '../../../src/runtime/shell/parser.js';
import { ShellSyntaxError } from '../../../src/runtime/shell/errors.js';
import { assertOptions, budgetMs, classify, hostileText, Tally } from './harness.js';

const TOKENS = [
  'if ', 'then ', 'else ', 'elif ', 'fi', 'for ', 'in ', 'do ', 'done', 'while ', 'until ', 'case ', 'esac', ')', '(', ';;',
  '{ ', ' }', '&&', '||', '|', ';', '&', '\n', ' ', '!', '<', '>', '>>', '<<', '<<-', '<<EOF\n', 'EOF\n', '<&', '>&', '2>&1',
  '$', '$(', '$((', '))', '${', '}', '${x:-y}', '${#x}', '${x%%*}', '`', '"', "'", '\\', '\\\n', '#', 'echo ', 'x=1 ',
  'f() ', 'a', '*', '?', '[', ']', '~', '=', '0', '1+2', '$@', '$?', '\u0000', '\u00e9',
];

const accept = (err: unknown): string | null => {
  if (!(err instanceof ShellSyntaxError)) return 'not a ShellSyntaxError';
  return err.message.startsWith('syntax error: ') ? null : 'wording';
};

describe('fuzz: parseScript', () => {
  it('returns a tree or a ShellSyntaxError', () => {
    const tally = new Tally('shell.parseScript');
    fc.assert(
      fc.property(hostileText(TOKENS, 60), (text) => {
        tally.add(classify(() => parseScript(text), accept, text));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(2));
});
