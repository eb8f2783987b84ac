import { describe, it, expect } from 'vitest';
import { renderList, finalFormat, isTable, viewJSON, FormatError } from '../../../src/cli/format/list.js';
import { renderInspect, InspectFormatError } from '../../../src/cli/format/inspect.js';
import { goMap, goNil } from '../../../src/cli/format/go/values.js';
import { GoTime } from '../../../src/cli/format/time.js';

/** A view object in docker/cli's style: getters serve every format. */
class ContainerView {
  static goTypeName = '*formatter.ContainerContext';
  constructor(private readonly c: { id: string; image: string; names: string; labels: Record<string, string> }) {}
  get ID(): string {
    return this.c.id;
  }
  get Image(): string {
    return this.c.image;
  }
  get Command(): string {
    return '"sh"';
  }
  get CreatedAt(): string {
    return '2026-11-22 08:43:39 +0000 UTC';
  }
  get RunningFor(): string {
    return 'Less than a second ago';
  }
  get Ports(): string {
    return '';
  }
  get Status(): string {
    return 'Created';
  }
  get Names(): string {
    return this.c.names;
  }
  get Labels(): string {
    return Object.entries(this.c.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  Label(name: string): string {
    return this.c.labels[name] ?? '';
  }
}

class ContainerHeader {
  ID = 'CONTAINER ID';
  Image = 'IMAGE';
  Command = 'COMMAND';
  RunningFor = 'CREATED';
  Status = 'STATUS';
  Ports = 'PORTS';
  Names = 'NAMES';
  Label(name: string): string {
    return name;
  }
}

const DEFAULT_PS = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const row = new ContainerView({ id: 'aca4df435437', image: 'mydockfmtprobe:1', names: 'mydockfmtprobe_c2', labels: { l: 'v<' } });

describe('renderList (docker/cli formatter.Context)', () => {
  it('prints the default table exactly as `docker ps -a`', () => {
    const out = renderList({ defaultFormat: DEFAULT_PS, rows: [row], headers: new ContainerHeader() });
    expect(out).toBe(
      'CONTAINER ID   IMAGE              COMMAND   CREATED                  STATUS    PORTS     NAMES\n' +
        'aca4df435437   mydockfmtprobe:1   "sh"      Less than a second ago   Created             mydockfmtprobe_c2\n',
    );
    // "table" alone means the default table.
    expect(renderList({ format: 'table', defaultFormat: DEFAULT_PS, rows: [row], headers: new ContainerHeader() })).toBe(out);
  });

  it('renders header titles for methods with arguments and through header functions', () => {
    const headers = new ContainerHeader();
    expect(renderList({ format: 'table {{.ID}}\\t{{.Label "l"}}\\t{{.Names}}', defaultFormat: DEFAULT_PS, rows: [row], headers })).toBe(
      'CONTAINER ID   l         NAMES\naca4df435437   v<        mydockfmtprobe_c2\n',
    );
    expect(
      renderList({ format: 'table {{.Names | upper}}\\t{{.Status}}\\t{{pad .Names 1 1}}|', defaultFormat: DEFAULT_PS, rows: [row], headers }),
    ).toBe('NAMES               STATUS     NAMES |\nMYDOCKFMTPROBE_C2   Created    mydockfmtprobe_c2 |\n');
  });

  it('prints an empty table as its header only', () => {
    expect(renderList({ defaultFormat: DEFAULT_PS, rows: [], headers: new ContainerHeader() })).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
  });

  it('raw formats: trimmed, \\t and \\n turned into real characters, no header', () => {
    expect(finalFormat('  {{.Names}}\\t{{.Image}}\\n  x')).toBe('{{.Names}}\t{{.Image}}\n  x');
    expect(renderList({ format: '  {{.Names}}\\t{{.Image}}\\n  x', defaultFormat: DEFAULT_PS, rows: [row], headers: {} })).toBe(
      'mydockfmtprobe_c2\tmydockfmtprobe:1\n  x\n',
    );
    expect(isTable('table{{.ID}}')).toBe(true);
  });

  it('--format json prints {{json .}} per row; views marshal sorted and HTML-escaped', () => {
    class V {
      get Labels(): string {
        return 'l=v<,x=a<b&c';
      }
      get ID(): string {
        return 'aca4df435437';
      }
      get Platform(): null {
        return null;
      }
      Size(): string {
        return '0B';
      }
      Label(name: string): string {
        return name;
      }
    }
    expect(viewJSON(new V())).toBe('{"ID":"aca4df435437","Labels":"l=v\\u003c,x=a\\u003cb\\u0026c","Platform":null,"Size":"0B"}');
    expect(renderList({ format: 'json', defaultFormat: DEFAULT_PS, rows: [new V()], headers: {} })).toBe(
      '{"ID":"aca4df435437","Labels":"l=v\\u003c,x=a\\u003cb\\u0026c","Platform":null,"Size":"0B"}\n',
    );
  });

  it('fails with Docker’s texts', () => {
    expect(() => renderList({ format: '{{.Foo}}', defaultFormat: DEFAULT_PS, rows: [row], headers: {} })).toThrow(FormatError);
    expect(() => renderList({ format: '{{.Foo}}', defaultFormat: DEFAULT_PS, rows: [row], headers: {} })).toThrow(
      'template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.ContainerContext',
    );
    expect(() => renderList({ format: '{{.ID', defaultFormat: DEFAULT_PS, rows: [row], headers: {} })).toThrow(
      'template parsing error: template: :1: unclosed action',
    );
  });
});

// Shaped like `docker image inspect` of an imported image (real output, shortened).
const image = {
  Id: 'sha256:a116f9c77e4f75257fd4c8cd2052ee59715f96e848570ed5491b972b4cabb561',
  RepoTags: ['mydockfmtprobe:1'],
  RepoDigests: [],
  Created: new GoTime(Date.UTC(2026, 10, 22, 8, 42, 57, 225), 186096),
  Config: {
    Env: goNil('slice'),
    Cmd: ['sh'],
    Entrypoint: goNil('slice'),
    Labels: goMap({ x: 'a<b&c' }),
  },
  Size: 3982426,
  Metadata: { LastTagTime: new GoTime(Date.UTC(2026, 10, 22, 8, 42, 57, 226), 243357) },
};

describe('renderInspect (docker/cli inspect)', () => {
  it('prints the records as a 4-space indented JSON array, unescaped like the daemon', () => {
    const { stdout } = renderInspect(undefined, [image]);
    expect(stdout).toBe(
      [
        '[',
        '    {',
        '        "Id": "sha256:a116f9c77e4f75257fd4c8cd2052ee59715f96e848570ed5491b972b4cabb561",',
        '        "RepoTags": [',
        '            "mydockfmtprobe:1"',
        '        ],',
        '        "RepoDigests": [],',
        '        "Created": "2026-11-22T08:42:57.225186096Z",',
        '        "Config": {',
        '            "Env": null,',
        '            "Cmd": [',
        '                "sh"',
        '            ],',
        '            "Entrypoint": null,',
        '            "Labels": {',
        '                "x": "a<b&c"',
        '            }',
        '        },',
        '        "Size": 3982426,',
        '        "Metadata": {',
        '            "LastTagTime": "2026-11-22T08:42:57.226243357Z"',
        '        }',
        '    }',
        ']',
        '',
      ].join('\n'),
    );
    expect(renderInspect('', [])).toEqual({ stdout: '[]\n', errors: [] });
  });

  it('executes a template per record with typed values first', () => {
    const { stdout, errors } = renderInspect(
      '{{.Config.Labels}}|{{.Config.Entrypoint}}|{{.Size}}|{{json .Config.Labels}}|{{.Config.Labels.nope}}|{{.Metadata}}',
      [image, image],
    );
    expect(errors).toEqual([]);
    const line = 'map[x:a<b&c]|[]|3982426|{"x":"a<b&c"}|<no value>|{2026-11-22 08:42:57.226243357 +0000 UTC}\n';
    expect(stdout).toBe(line + line);
  });

  it('reports a missing field as the raw-map fallback does, after a lone newline', () => {
    expect(renderInspect('{{.Foo}}', [image])).toEqual({
      stdout: '\n',
      errors: ['template parsing error: template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"'],
    });
  });

  it('rejects a format that does not parse, with status 64', () => {
    let err: unknown;
    try {
      renderInspect('{{.Id', [image]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InspectFormatError);
    expect((err as InspectFormatError).exitCode).toBe(64);
    expect((err as Error).message).toBe('template parsing error: template: :1: unclosed action');
  });

  it('--format json prints a compact array', () => {
    expect(renderInspect('json', [{ A: 1, B: 'x<' }]).stdout).toBe('[{"A":1,"B":"x<"}]\n');
  });
});
