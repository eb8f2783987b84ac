import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readDockerfile } from '../../../src/engine/build/dockerfile/instructions.js';
import { expandWord, expandWords } from '../../../src/engine/build/dockerfile/substitution.js';
import { MydockError } from '../../../src/engine/errors.js';

const first = (text: string) => readDockerfile(text).stages[0]!.instructions[0]!;

describe('Dockerfile parsing', () => {
  it('reads the seed Dockerfiles', () => {
    const df = readDockerfile('FROM acme/my-base-image:1.0\nCOPY . /app\nRUN chmod +x /app/hello.sh\nCMD /app/hello.sh\n');
    expect(df.all.map((i) => i.kind)).toEqual(['from', 'copy', 'run', 'cmd']);
    expect(df.all[3]).toMatchObject({ command: { json: false, command: '/app/hello.sh' } });
    expect(df.all.map((i) => i.line)).toEqual([1, 2, 3, 4]);
  });

  it('joins continuations without the newline, skipping comments and blank lines inside', () => {
    const ins = first('FROM x\nRUN echo a \\\n# a comment\n\n  b\n');
    expect(ins).toMatchObject({ kind: 'run', original: 'RUN echo a   b', command: { json: false, command: 'echo a   b' } });
  });

  it('honours the escape directive', () => {
    const ins = first('# escape=`\nFROM x\nRUN echo a `\n  b\n');
    expect(ins).toMatchObject({ command: { command: 'echo a   b' } });
  });

  it('exec form only for a valid JSON array of strings', () => {
    expect(first('FROM x\nCMD ["ls", "/app"]')).toMatchObject({ command: { json: true, args: ['ls', '/app'] } });
    expect(first('FROM x\nCMD ["a", ')).toMatchObject({ command: { json: false, command: '["a",' } });
  });

  it('ENV forms', () => {
    expect(first('FROM x\nENV X y z')).toMatchObject({ pairs: [{ key: 'X', value: 'y z' }] });
    expect(first('FROM x\nENV A=1 B="x y" C=a\\ b')).toMatchObject({
      pairs: [{ key: 'A', value: '1' }, { key: 'B', value: '"x y"' }, { key: 'C', value: 'a\\ b' }],
    });
  });

  it('stages, AS names and meta ARGs', () => {
    const df = readDockerfile('ARG V=1\nFROM bbase:$V AS build\nRUN true\nFROM scratch\nCOPY --from=build /a /a\n');
    expect(df.metaArgs).toHaveLength(1);
    expect(df.stages.map((s) => s.name)).toEqual(['build', null]);
    expect(df.stages[1]!.instructions[0]).toMatchObject({ kind: 'copy', from: 'build', sources: ['/a'], dest: '/a' });
  });

  // Texts observed from Docker's classic builder (Engine 20.10).
  it.each([
    ['FROM bbase:1\nRUNN x', 'dockerfile parse error line 2: unknown instruction: RUNN'],
    ['FROM bbase:1\nENV', 'dockerfile parse error line 2: ENV requires at least one argument'],
    ['FROM bbase:1\nENV A', 'failed to parse Dockerfile: ENV must have two arguments'],
    ['FROM bbase:1\nLABEL a', 'failed to parse Dockerfile: LABEL must have two arguments'],
    ['FROM bbase:1\nENV A=1 B', 'failed to parse Dockerfile: Syntax error - can\'t find = in "B". Must be of the form: name=value'],
    ['FROM bbase:1\nCOPY a', 'dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined'],
    ['FROM bbase:1\nEXPOSE', 'dockerfile parse error line 2: EXPOSE requires at least one argument'],
    ['RUN echo hi', 'no build stage in current context'],
    ['FROM bbase:1\nHEALTHCHECK --bogus=1 CMD x', 'dockerfile parse error line 2: Unknown flag: bogus'],
    ['FROM bbase:1\nFROM', 'dockerfile parse error line 2: FROM requires either one or three arguments'],
    ['FROM bbase:1\nFROM a b c', 'dockerfile parse error line 2: FROM requires either one or three arguments'],
    ['FROM bbase:1\nARG', 'dockerfile parse error line 2: ARG requires at least one argument'],
    ['FROM bbase:1\nSHELL sh', 'dockerfile parse error line 2: SHELL requires the arguments to be in JSON form'],
    ['', 'failed to parse Dockerfile: file with no instructions'],
    ['FROM bbase:1\nWORKDIR', 'dockerfile parse error line 2: WORKDIR requires exactly one argument'],
    ['FROM bbase:1\nCOPY --link a b', 'dockerfile parse error line 2: Unknown flag: link'],
    ['FROM bbase:1\nONBUILD FROM x', "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger"],
    ['FROM bbase:1\nONBUILD ONBUILD RUN x', "dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"],
    ['FROM bbase:1\nHEALTHCHECK --interval=5 CMD x', 'dockerfile parse error line 2: time: missing unit in duration "5"'],
    ['FROM bbase:1\nHEALTHCHECK FOO x', 'dockerfile parse error line 2: Unknown type "FOO" in HEALTHCHECK (try CMD)'],
    ['FROM bbase:1\nSTOPSIGNAL', 'dockerfile parse error line 2: STOPSIGNAL requires exactly one argument'],
    ['FROM bbase:1\nMAINTAINER', 'dockerfile parse error line 2: MAINTAINER requires exactly one argument'],
    ['FROM bbase:1\nUSER', 'dockerfile parse error line 2: USER requires exactly one argument'],
    ['FROM bbase:1\nCOPY --from a /a', 'dockerfile parse error line 2: Missing a value on flag: from'],
    ['FROM bbase:1\nVOLUME', 'dockerfile parse error line 2: VOLUME requires at least one argument'],
  ])('%j fails as Docker does', (text, message) => {
    expect(() => readDockerfile(text)).toThrow(message);
  });

  it('any text gives a Dockerfile or a typed error, never a crash', () => {
    const line = fc.oneof(
      fc.constantFrom('FROM x', 'RUN a \\', 'ENV a=b', '# c', '', 'COPY a b', 'ARG A', 'CMD ["x"', '# escape=`', 'ONBUILD RUN x', 'LABEL "a b"=c'),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        try {
          readDockerfile(lines.join('\n'));
        } catch (err) {
          expect(err).toBeInstanceOf(MydockError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('variable substitution', () => {
  const env = new Map([['A', '1'], ['E', '']]);
  it.each([
    ['${A:-z}${C:-d}${A:+p}"q r"', '1dpq r'],
    ['$A$B', '1'],
    ["'$A'", '$A'],
    ['"$A \\$A"', '1 $A'],
    ['a\\ b', 'a b'],
    ['${E:-x}${E-y}${E+w}', 'xw'],
  ])('%s -> %s', (word, want) => {
    expect(expandWord(word, env)).toBe(want);
  });
  it('splits words at unquoted blanks only', () => {
    expect(expandWords('80/tcp "8080 x" $A', env)).toEqual(['80/tcp', '8080 x', '1']);
  });
  it('never crashes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          expandWords(s, env);
        } catch (err) {
          expect(err).toBeInstanceOf(MydockError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
