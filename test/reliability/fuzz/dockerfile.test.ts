/** readDockerfile on hostile text: a Dockerfile, or the classic builder's parse errors. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readDockerfile } from '../../../src/engine/build/dockerfile/instructions.js';
import { DockerfileInstructionError, DockerfileSyntaxError, NoBuildStageError } from '../../../src/engine/build/dockerfile/errors.js';
import { assertOptions, budgetMs, classify, hostileText, Tally } from './harness.js';

const TOKENS = [
  'FROM ', 'RUN ', 'CMD ', 'COPY ', 'ADD ', 'ENV ', 'ARG ', 'LABEL ', 'WORKDIR ', 'USER ', 'VOLUME ', 'EXPOSE ',
  'ENTRYPOINT ', 'SHELL ', 'ONBUILD ', 'HEALTHCHECK ', 'STOPSIGNAL ', 'MAINTAINER ', 'from ', 'AS ', 'as ',
  '\n', '\n', '\r\n', ' ', '\t', '\\\n', '`\n', '# escape=`\n', '# escape=\\\n', '# syntax=x\n', '#', '# comment\n',
  '$', '${', '}', '${a:-b}', '${a:+', '${a?}', ':-', '"', "'", '\\', '`', '=', 'a=b ', 'x', 'alpine', '/app', '.',
  '[', ']', '["a", "b"]', '[]', ',', '--from=', '--chown=', '--interval=', '30s', 'NONE', '--', '0', '\u00a0', '\u0000',
];

const accept = (err: unknown): string | null => {
  if (err instanceof DockerfileSyntaxError) return err.message.startsWith('failed to parse Dockerfile: ') ? null : 'wording';
  if (err instanceof DockerfileInstructionError) return /^dockerfile parse error line \d+: /.test(err.message) ? null : 'wording';
  if (err instanceof NoBuildStageError) return null;
  return 'not a Dockerfile error';
};

describe('fuzz: readDockerfile', () => {
  it('returns a Dockerfile or a parse error with Docker\'s wording', () => {
    const tally = new Tally('dockerfile.readDockerfile');
    fc.assert(
      fc.property(hostileText(TOKENS, 60), (text) => {
        tally.add(classify(() => readDockerfile(text), accept, text));
      }),
      assertOptions(),
    );
    tally.report();
    expect(tally.total()).toBeGreaterThan(0);
  }, budgetMs(2));
});
