/** Image references as the CLI and the daemon read them: a reference, or distribution/reference's texts. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDaemonNamed, parseDaemonReference, parseTagTarget, parseUserReference } from '../../../src/engine/reference/index.js';
import { MydockError } from '../../../src/engine/errors.js';
import { assertOptions, budgetMs, classify, hostileText, Tally } from './harness.js';

const TEXTS = [
  'invalid reference format',
  'repository name must be lowercase',
  'repository name must have at least one component',
  'repository name must not be more than 255 characters',
  'invalid checksum digest format',
  'invalid checksum digest length',
  'unsupported digest algorithm',
  'refusing to create',
  'Error parsing reference: ',
  'cannot specify 64-byte hexadecimal strings',
];

const accept = (err: unknown): string | null => {
  if (!(err instanceof MydockError)) return 'not a MydockError';
  return TEXTS.some((t) => err.message.includes(t)) ? null : 'wording';
};

const TOKENS = [
  'alpine', 'library/', 'docker.io/', 'localhost:5000/', 'a', 'A', '-', '_', '__', '.', '..', '/', '//', ':', '@', 'latest',
  'sha256:', 'sha512:', 'a'.repeat(64), 'f'.repeat(63), '0', '[::1]', ':0', 'xn--', 'b'.repeat(128), '\u00e9', ' ',
];

const PARSERS: readonly [string, (s: string) => unknown][] = [
  ['parseUserReference', parseUserReference],
  ['parseTagTarget', parseTagTarget],
  ['parseDaemonReference', parseDaemonReference],
  ['parseDaemonNamed', parseDaemonNamed],
];

describe('fuzz: references', () => {
  for (const [name, parseRef] of PARSERS) {
    it(`${name}: a reference or Docker's error, in linear time`, () => {
      const tally = new Tally(`reference.${name}`);
      fc.assert(
        fc.property(hostileText(TOKENS, 30), (s) => {
          tally.add(classify(() => parseRef(s), accept, s));
        }),
        assertOptions(),
      );
      tally.report();
      expect(tally.total()).toBeGreaterThan(0);
    }, budgetMs(1));
  }
});
