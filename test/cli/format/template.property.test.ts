/**
 * Property tests: whatever text a user passes to --format, parsing gives a
 * template or a TemplateParseError (never another exception, never a hang),
 * and running a parsed template gives text or a TemplateExecError.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parse, TemplateParseError, TemplateExecError, type Template } from '../../../src/cli/format/template/index.js';
import { GO_TYPE, goMap, goNil } from '../../../src/cli/format/go/values.js';

const PIECES = [
  '{{', '}}', '{{- ', ' -}}', '{{/*', '*/}}', '.', '.A', '.B', '.Name', '$', '$x', '$y', ':=', '=', '|', '(', ')',
  '"', '"s"', '`r`', "'c'", 'if ', 'else ', 'end', 'range ', 'with ', 'define ', 'template ', 'block ', 'break',
  'continue', 'nil', 'true', '1', '0x1F', '1.5', '1e3', '-2', ' ', '\n', ',', 'printf ', '"%d"', '"%v %s"', 'len ',
  'index ', 'json ', 'join ', 'split ', 'eq ', 'and ', 'or ', 'not ', 'pad ', 'truncate ', 'upper ', '\\', 'é', '名', '\t',
];

const templateText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 25 }).map((a) => a.join('')),
);

const data = {
  [GO_TYPE]: 'test.Record',
  A: 1,
  B: 'x',
  Name: 'default',
  List: ['a', 'b'],
  Map: goMap({ k: 'v' }),
  Nil: goNil('slice'),
  Ptr: undefined,
};

function tryParse(text: string): Template | TemplateParseError {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof TemplateParseError) return e;
    throw new Error(`parse(${JSON.stringify(text)}) threw ${String(e)}`);
  }
}

describe('template parser properties', () => {
  it('any text parses or fails with a TemplateParseError carrying Go’s prefix', () => {
    fc.assert(
      fc.property(templateText, (text) => {
        const r = tryParse(text);
        if (r instanceof TemplateParseError) expect(r.message.startsWith('template: :')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('a parsed template runs to text or a TemplateExecError', () => {
    fc.assert(
      fc.property(templateText, (text) => {
        const t = tryParse(text);
        if (t instanceof TemplateParseError) return;
        try {
          expect(typeof t.execute(data)).toBe('string');
        } catch (e) {
          if (!(e instanceof TemplateExecError)) throw new Error(`execute(${JSON.stringify(text)}) threw ${String(e)}`);
          expect(e.message.startsWith('template: :')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('text without delimiters is printed unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('{{')),
        (s) => {
          expect(parse(s).execute(null)).toBe(s);
        },
      ),
    );
  });
});

describe('deep nesting and recursion end in typed errors', () => {
  it('recursive {{template}} calls', () => {
    expect(() => parse('{{define "t"}}{{template "t"}}{{end}}{{template "t"}}').execute(null)).toThrow(TemplateExecError);
  });

  it('deeply parenthesised pipelines', () => {
    const deep = '{{' + '('.repeat(20000) + '1' + ')'.repeat(20000) + '}}';
    expect(() => parse(deep)).toThrow(TemplateParseError);
    expect(parse('{{' + '('.repeat(200) + '1' + ')'.repeat(200) + '}}').execute(null)).toBe('1');
  });
});
