/**
 * `--format` templates: Go's parse and exec errors ("template: ..."), framed
 * by renderList as docker/cli frames them ("template parsing error: ...").
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse, TemplateExecError, TemplateParseError } from '../../../src/cli/format/index.js';
import { FormatError, renderList } from '../../../src/cli/format/list.js';
import { assertOptions, budgetMs, classify, hostileText, Tally } from './harness.js';

const TOKENS = [
  '{{', '}}', '{{-', '-}}', '{{ ', ' }}', '.', '.ID', '.Names', '.Size', '.Labels', '.Mounts', '.Nope', '$', '$x', ':=', '=', '|',
  'json', 'join', 'printf', 'index', 'len', 'slice', 'upper', 'lower', 'title', 'split', 'truncate', 'pad', 'table', 'println',
  'and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'html', 'js', 'urlquery', 'call', 'print',
  'if ', 'else', 'else if ', 'range ', 'with ', 'end', 'define "a"', 'template "a"', 'block "b" .', 'break', 'continue',
  '(', ')', '"', '`', "'a'", '"%s"', '"%d"', '"%v"', '"%!"', '"%*d"', '0', '1', '-1', '1e308', '0x1p-2', '3.5', 'nil', 'true',
  ' ', '\\t', '\\n', '\n', '/*', '*/', ',', '\u0000',
];

const ROWS = [
  { ID: 'abc123', Names: 'web', Size: '1.2kB', Labels: { a: 'b', c: '' }, Mounts: ['v1', 'v2'], Count: 3 },
  { ID: '', Names: '', Size: '0B', Labels: {}, Mounts: [], Count: 0 },
];
const HEADERS = { ID: 'CONTAINER ID', Names: 'NAMES', Size: 'SIZE', Labels: 'LABELS', Mounts: 'MOUNTS', Count: 'COUNT' };

const acceptTemplate = (err: unknown): string | null => {
  if (!(err instanceof TemplateParseError) && !(err instanceof TemplateExecError)) return 'not a template error';
  return err.message.startsWith('template: ') ? null : 'wording';
};

const acceptFormat = (err: unknown): string | null => {
  if (!(err instanceof FormatError)) return 'not a FormatError';
  return err.message.startsWith('template parsing error: template: ') ? null : 'wording';
};

describe('fuzz: Go templates', () => {
  it('parse then execute: text, or Go\'s template errors', () => {
    const tally = new Tally('template.parse+execute');
    fc.assert(
      fc.property(hostileText(TOKENS, 30), (text) => {
        tally.add(classify(() => parse(text).execute(ROWS[0]), acceptTemplate, text));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(2));

  it('renderList: a table or docker/cli\'s "template parsing error"', () => {
    const tally = new Tally('template.renderList');
    fc.assert(
      fc.property(hostileText(TOKENS, 30), fc.boolean(), (text, table) => {
        const format = table ? `table ${text}` : text;
        tally.add(classify(() => renderList({ format, defaultFormat: 'table {{.ID}}\t{{.Names}}', rows: ROWS, headers: HEADERS }), acceptFormat, text));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(2));
});
