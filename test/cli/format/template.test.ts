/**
 * Differential cases: each expected string is what the Docker CLI (Go
 * text/template plus docker/cli's functions) printed for the same template
 * against a Docker context record of the same shape as `ctx` below
 * (`docker context inspect -f TEMPLATE default`).
 */
import { describe, it, expect } from 'vitest';
import { parse, TemplateParseError, TemplateExecError } from '../../../src/cli/format/template/index.js';
import { GO_TYPE, goMap, goNil } from '../../../src/cli/format/go/values.js';

const endpoint = {
  [GO_TYPE]: 'context.EndpointMetaBase',
  Host: 'unix:///var/run/docker.sock',
  SkipTLSVerify: false,
};
const ctx = {
  [GO_TYPE]: 'context.contextWithTLSListing',
  Name: 'default',
  Endpoints: goMap({ docker: endpoint }),
};

function run(tmpl: string, data: unknown = ctx): string {
  return parse(tmpl).execute(data);
}

function failure(tmpl: string, data: unknown = ctx): Error {
  try {
    run(tmpl, data);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`no error for ${tmpl}`);
}

describe('templates print what Docker prints', () => {
  const cases: Array<[string, string]> = [
    ['{{.Name}}', 'default'],
    ['{{.Name | upper}}', 'DEFAULT'],
    ['{{index .Endpoints "nope"}}', '<no value>'],
    ['{{index .Name 1}}', '101'],
    ['{{1.0}} {{printf "%T %T %T" 1.0 1 0x10}}', '1 float64 int int'],
    ['{{.Name | len | printf "%d"}}', '7'],
    ['{{"a" | lower}}', 'a'],
    ['{{split "a,b" ","}}', '[a b]'],
    ['{{title "hello wOrld-foo_bar"}}', 'Hello WOrld-Foo_bar'],
    ['{{pad "x" 1 2}}|', ' x  |'],
    ['{{truncate "hello" 2}}', 'he'],
    ['{{json "a<b"}}', '"a<b"'],
    ['{{if .Name}}y{{else if 1}}z{{end}}', 'y'],
    ['{{ $x := 1 }}{{ $x = 2 }}{{$x}}', '2'],
    ['{{range $i, $e := split "a,b" ","}}{{$i}}={{$e}};{{end}}', '0=a;1=b;'],
    ['{{define "t"}}T{{.}}{{end}}{{template "t" 5}}', 'T5'],
    ['{{- "a" -}}  {{"b"}}', 'ab'],
    ['{{/* c */}}x', 'x'],
    ['{{(1)}}', '1'],
    ['{{3 | printf "%d"}}', '3'],
    ['{{ .Name | printf "%s-%s" "x" }}', 'x-default'],
    ['{{range 3}}{{.}}{{end}}', '012'],
    ['{{eq nil 1}}', 'false'],
    ['{{printf "%v %v" nil true}}', '<nil> true'],
    ['{{print nil 1 2 "a" "b" 3}}', '<nil> 1 2ab3'],
    ['{{println 1 "a"}}', '1 a\n'],
    ['{{.Endpoints}}', 'map[docker:{unix:///var/run/docker.sock false}]'],
    ['{{range .Endpoints}}{{.}}{{end}}', '{unix:///var/run/docker.sock false}'],
    ['{{printf "%v" (index .Endpoints "x")}}', '<nil>'],
    ['{{json .Endpoints}}', '{"docker":{"Host":"unix:///var/run/docker.sock","SkipTLSVerify":false}}'],
    [
      '{{printf "%5.1f|%-5d|%05d|%x|%q|%v" 3.14159 42 42 255 "x" .Endpoints}}',
      '  3.1|42   |00042|ff|"x"|map[docker:{unix:///var/run/docker.sock false}]',
    ],
    ['{{printf "%.3g|%.4g|%.3g|%.4g|%.3g|%.3g" 999.999 999.9999 0.0001234 1536.0 2.0004 1e-5}}', '1e+03|1000|0.000123|1536|2|1e-05'],
    [
      '{{printf "%g|%e|%f|%.2f|%8.3f|%-8.2e|%+d|% d|%x|%X|%o|%b|%c|%U|%5s|%-5s|%.2s|%t|%v" 1e-7 123456.789 1.5 2.675 3.14159 1234.5 5 5 -255 255 8 5 65 65 "ab" "ab" "abc" true 1e6}}',
      '1e-07|1.234568e+05|1.500000|2.67|   3.142|1.23e+03|+5| 5|-ff|FF|10|101|A|U+0041|   ab|ab   |ab|true|1e+06',
    ],
    [
      '{{printf "%d %v %s" .Endpoints .Endpoints.docker .Name}}',
      'map[%!d(string=docker):{%!d(string=unix:///var/run/docker.sock) %!d(bool=false)}] {unix:///var/run/docker.sock false} default',
    ],
    ['{{printf "%q|%v|%x" "héllo\\n\\t\\x01" (split "a b" " ") "hé"}}', '"héllo\\n\\t\\x01"|[a b]|68c3a9'],
    ['{{printf "%6.2f%%" 12.345}}', ' 12.35%'],
    ['{{printf "%*d|%-*d|" 5 1 4 2}}', '    1|2   |'],
    ['{{printf "%!"}}', '%!!(MISSING)'],
    ['{{printf "%z" 1}}', '%!z(int=1)'],
    ['{{printf "%d" 1.5}}', '%!d(float64=1.5)'],
    ['{{printf "%s" nil}}', '%!s(<nil>)'],
    ['{{printf "%d %s %q %x" "a" 3 "h\\"i" "hi"}}', '%!d(string=a) %!s(int=3) "h\\"i" 6869'],
    ['{{printf "%s"}}', '%!s(MISSING)'],
    ['{{printf "%s" 1 2}}', '%!s(int=1)%!(EXTRA int=2)'],
    ['{{printf "%.3g|%.3g|%.4g|%v|%v" 1.125 1.135 999999.0 0.000001 1e21}}', '1.12|1.14|1e+06|1e-06|1e+21'],
  ];
  it.each(cases)('%s', (tmpl, expected) => {
    expect(run(tmpl)).toBe(expected);
  });
});

describe('parse errors carry Go text', () => {
  const cases: Array<[string, string]> = [
    ['{{table .Name}}', 'template: :1: function "table" not defined'],
    ['{{ foo }}', 'template: :1: function "foo" not defined'],
    ['{{ .Name }', 'template: :1: unexpected "}" in operand'],
    ['{{if}}', 'template: :1: missing value for if'],
    ['{{end}}', 'template: :1: unexpected {{end}}'],
    ['{{with $x := 3}}{{$x}}{{end}}{{$x}}', 'template: :1: undefined variable "$x"'],
    ['{{break}}', 'template: :1: {{break}} outside {{range}}'],
    ['{{.Name', 'template: :1: unclosed action'],
    ['a\n{{if 1}}', 'template: :2: unexpected EOF'],
    ['{{"abc}}', 'template: :1: unterminated quoted string'],
    ['{{1 | 2}}', 'template: :1: non executable command in pipeline stage 2'],
    ['{{/* x }}', 'template: :1: unclosed comment'],
    ['{{.A.}}', 'template: :1: unexpected <.> in operand'],
  ];
  it.each(cases)('%s', (tmpl, message) => {
    let err: unknown;
    try {
      parse(tmpl);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateParseError);
    expect((err as Error).message).toBe(message);
  });
});

describe('execution errors carry Go text and position', () => {
  const cases: Array<[string, string]> = [
    ['{{.Foo}}', 'template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type context.contextWithTLSListing'],
    ['{{.Name.Foo}}', 'template: :1:7: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string'],
    ['{{with .Foo}}{{end}}', 'template: :1:7: executing "" at <.Foo>: can\'t evaluate field Foo in type context.contextWithTLSListing'],
    ['{{len 3}}', 'template: :1:2: executing "" at <len 3>: error calling len: len of type int'],
    ['{{lower 3}}', 'template: :1:8: executing "" at <3>: expected string; found 3'],
    ['{{lower}}', 'template: :1:2: executing "" at <lower>: wrong number of args for lower: want 1 got 0'],
    ['{{join .Name ","}}', 'template: :1:7: executing "" at <.Name>: wrong type for value; expected []string; got string'],
    ['{{eq 1 "a"}}', 'template: :1:2: executing "" at <eq 1 "a">: error calling eq: incompatible types for comparison'],
    ['{{lt nil 1}}', 'template: :1:2: executing "" at <lt nil 1>: error calling lt: invalid type for comparison'],
    ['{{range .Name}}{{end}}', 'template: :1:8: executing "" at <.Name>: range can\'t iterate over default'],
    ['{{len .Endpoints.nope}}', 'template: :1:2: executing "" at <len .Endpoints.nope>: error calling len: reflect: call of reflect.Value.Type on zero Value'],
    ['{{index .Name 7}}', 'template: :1:2: executing "" at <index .Name 7>: error calling index: reflect: string index out of range'],
    ['{{index .Name 8}}', 'template: :1:2: executing "" at <index .Name 8>: error calling index: index out of range: 8'],
    ['{{index .Endpoints 1}}', 'template: :1:2: executing "" at <index .Endpoints 1>: error calling index: value has type int; should be string'],
    ['{{index nil 1}}', 'template: :1:2: executing "" at <index nil 1>: error calling index: index of untyped nil'],
    ['{{index .Endpoints.docker "Host"}}', 'template: :1:2: executing "" at <index .Endpoints.docker "Host">: error calling index: can\'t index item of type context.EndpointMetaBase'],
    ['{{.Name 1}}', 'template: :1:2: executing "" at <.Name>: Name has arguments but cannot be invoked as function'],
    ['{{nil}}', 'template: :1:2: executing "" at <nil>: nil is not a command'],
  ];
  it.each(cases)('%s', (tmpl, message) => {
    const err = failure(tmpl);
    expect(err).toBeInstanceOf(TemplateExecError);
    expect(err.message).toBe(message);
  });

  it('reports the line and byte column of multi-line templates', () => {
    expect(failure('héllo\n  {{.Foo}}').message).toBe(
      'template: :2:4: executing "" at <.Foo>: can\'t evaluate field Foo in type context.contextWithTLSListing',
    );
  });
});

describe('Go values from JavaScript values', () => {
  it('prints typed nils as Go does', () => {
    const rec = { [GO_TYPE]: 'types.ImageInspect', Entrypoint: goNil('slice'), Labels: goNil('map'), SizeRw: undefined };
    expect(run('{{.Entrypoint}}|{{.Labels}}|{{.SizeRw}}|{{len .Entrypoint}}', rec)).toBe('[]|map[]|<nil>|0');
  });

  it('prints integers as int64 and non-integers as float64', () => {
    expect(run('{{.Size}} {{.Ratio}}', { Size: 3982426, Ratio: 0.5 })).toBe('3982426 0.5');
  });

  it('calls methods of view objects, with arguments', () => {
    class ContainerView {
      static goTypeName = '*formatter.ContainerContext';
      constructor(private readonly labels: Record<string, string>) {}
      get ID(): string {
        return 'abc123';
      }
      Label(name: string): string {
        return this.labels[name] ?? '';
      }
    }
    const v = new ContainerView({ a: 'b' });
    expect(run('{{.ID}} {{.Label "a"}}', v)).toBe('abc123 b');
    expect(failure('{{.labels}}', v).message).toBe(
      'template: :1:2: executing "" at <.labels>: labels is an unexported field of struct type *formatter.ContainerContext',
    );
    expect(failure('{{.Nope}}', v).message).toBe(
      'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext',
    );
  });

  it('honours missingkey=error like docker inspect fallback', () => {
    expect(() => parse('{{.Foo}}').execute({ A: 1 }, { missingKey: 'error' })).toThrow(
      'template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"',
    );
    expect(run('{{.Foo}}', { A: 1 })).toBe('<no value>');
  });

  it('supports break, continue and range else', () => {
    expect(run('{{range $i, $e := .}}{{if eq $i 2}}{{break}}{{end}}{{if eq $i 0}}{{continue}}{{end}}{{$e}}{{end}}', ['a', 'b', 'c', 'd'])).toBe('b');
    expect(run('{{range .}}x{{else}}empty{{end}}', [])).toBe('empty');
  });

  it('evaluates and/or lazily', () => {
    expect(run('{{and 1 0 .Missing.Deep}}|{{or 0 "" "x"}}', ctx)).toBe('0|x');
  });
});

describe('more differential cases', () => {
  const ok: Array<[string, string]> = [
    ['{{.Name | printf "%s" | len}}', '7'],
    ['{{range $k, $v := .Endpoints}}{{$k}}{{end}}', 'docker'],
    ['{{if and .Name (eq .Name "default")}}ok{{end}}', 'ok'],
    ['{{"\\u00e9\\x41\\101"}}', 'éAA'],
    ["{{'a'}} {{'\\n'}}", '97 10'],
    ['{{0x1F}} {{0o17}} {{017}} {{1_000}} {{1e3}} {{-5}}', '31 15 15 1000 1000 -5'],
    ['{{slice "hello" 1 3}}', 'el'],
    ['{{html "<a&b>"}} {{js "a<b\\"c"}} {{urlquery "a b&c"}}', '&lt;a&amp;b&gt; a\\u003Cb\\"c a+b%26c'],
  ];
  it.each(ok)('%s', (tmpl, expected) => {
    expect(run(tmpl)).toBe(expected);
  });

  it.each<[string, string]>([
    ['{{089}}', 'template: :1: integer overflow: "089"'],
    ['{{.Name.}}', 'template: :1: unexpected <.> in operand'],
  ])('%s fails to parse', (tmpl, message) => {
    expect(() => parse(tmpl)).toThrow(message);
  });

  it('reports the position of a variable chain', () => {
    expect(failure('{{$x := 1}}{{$x.Foo}}').message).toBe(
      'template: :1:15: executing "" at <$x.Foo>: can\'t evaluate field Foo in type int',
    );
  });
});

describe('json and fmt details', () => {
  it.each<[string, string]>([
    ['{{json "\\u2028\\b\\f\\x01\\t<&>é"}}', '"\\u2028\\b\\f\\u0001\\t<&>é"'],
    ['{{json 1.5}} {{json 1e21}} {{json 1e-7}} {{json 100.0}} {{json nil}} {{json (split "" ",")}}', '1.5 1e+21 1e-7 100 null [""]'],
    ['{{printf "%v" (split "a" "")}} {{len "é"}} {{upper "é"}} {{title "élan vital"}}', '[a] 2 É Élan Vital'],
    ['{{printf "%08.3f|%-8.3f|%+.2e" -3.14159 3.14159 12345.678}}', '-003.142|3.142   |+1.23e+04'],
    ['{{printf "%5t|%-7v|%3c|%q" true false 66 66}}', ' true|false  |  B|\'B\''],
    ['{{printf "%v" .Endpoints.docker}} {{printf "%+v" .Endpoints.docker}}', '{unix:///var/run/docker.sock false} {Host:unix:///var/run/docker.sock SkipTLSVerify:false}'],
  ])('%s', (tmpl, expected) => {
    expect(run(tmpl)).toBe(expected);
  });
});

describe('trim markers, raw strings, else-with and comparisons', () => {
  it.each<[string, string]>([
    ['a {{-3}} b', 'a -3 b'],
    ['a  {{- /* c */ -}}  b', 'ab'],
    ['x\n  {{- .Name}}\n  {{.Name -}}\ny', 'xdefault\n  defaulty'],
    ['{{.Name -}}', 'default'],
    ['{{ .Name}}{{"}}"}}', 'default}}'],
    ['{{`a\nb`}}', 'a\nb'],
    ['{{if eq .Name "x" "default"}}in{{end}}', 'in'],
    ['{{with $v := .Name}}{{$v}}{{else}}no{{end}}', 'default'],
    ['{{with .Endpoints.nope}}a{{else with .Name}}{{.}}{{end}}', 'default'],
    ['{{printf "%s" .Endpoints.docker.Host | printf "%.4s"}}', 'unix'],
    ['{{.Name|printf "%q"}}', '"default"'],
    ['{{$a := .Name}}{{range .Endpoints}}{{$a}}{{end}}', 'default'],
    ['{{ne 1 2}} {{ge 2 2}} {{gt "b" "a"}} {{le 1.5 2.5}}', 'true true true true'],
  ])('%j', (tmpl, expected) => {
    expect(run(tmpl)).toBe(expected);
  });

  it('compares an int with a float as Go does: an error', () => {
    expect(failure('{{ne 1 2}} {{ge 2 2}} {{gt "b" "a"}} {{le 1.5 2.5}} {{lt 1 2.0}}').message).toBe(
      'template: :1:54: executing "" at <lt 1 2.0>: error calling lt: incompatible types for comparison',
    );
  });
});
