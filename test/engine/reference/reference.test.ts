import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ReferenceParseError,
  familiarName,
  familiarString,
  fullString,
  isImageIdPrefix,
  parseAnyReference,
  parseDaemonReference,
  parseNormalizedNamed,
  parseTagTarget,
  parseUserReference,
  shortId,
  tagNameOnly,
} from '../../../src/engine/reference/index.js';
import { ClientError, DaemonError } from '../../../src/engine/errors.js';

const HEX64 = 'a'.repeat(64);

describe('parseNormalizedNamed (client)', () => {
  const ok: Array<[string, string, string]> = [
    // input, full string after TagNameOnly, familiar string after TagNameOnly
    ['alpine', 'docker.io/library/alpine:latest', 'alpine:latest'],
    ['alpine:3.17', 'docker.io/library/alpine:3.17', 'alpine:3.17'],
    ['acme/my-base-image:1.0', 'docker.io/acme/my-base-image:1.0', 'acme/my-base-image:1.0'],
    ['localhost:5000/x:y', 'localhost:5000/x:y', 'localhost:5000/x:y'],
    ['localhost/x', 'localhost/x:latest', 'localhost/x:latest'],
    ['docker.io/library/bbase:1', 'docker.io/library/bbase:1', 'bbase:1'],
    ['index.docker.io/library/bbase:1', 'docker.io/library/bbase:1', 'bbase:1'],
    ['docker.io/bbase:1', 'docker.io/library/bbase:1', 'bbase:1'],
    ['a/b/c:1.0', 'docker.io/a/b/c:1.0', 'a/b/c:1.0'],
    ['UPPER.com/x', 'UPPER.com/x:latest', 'UPPER.com/x:latest'],
    ['Acme/foo', 'Acme/foo:latest', 'Acme/foo:latest'],
    ['library/a/b', 'docker.io/library/a/b:latest', 'library/a/b:latest'],
    [`alpine@sha256:${HEX64}`, `docker.io/library/alpine@sha256:${HEX64}`, `alpine@sha256:${HEX64}`],
    [`alpine:1@sha256:${HEX64}`, `docker.io/library/alpine:1@sha256:${HEX64}`, `alpine:1@sha256:${HEX64}`],
    ['my__repo.x-y---z', 'docker.io/library/my__repo.x-y---z:latest', 'my__repo.x-y---z:latest'],
  ];
  it.each(ok)('%s', (input, full, familiar) => {
    const ref = tagNameOnly(parseNormalizedNamed(input));
    expect(fullString(ref)).toBe(full);
    expect(familiarString(ref)).toBe(familiar);
  });

  const bad: Array<[string, string]> = [
    ['Alpine', 'invalid reference format: repository name (library/Alpine) must be lowercase'],
    ['Orc_L_Upper:1', 'invalid reference format: repository name (library/Orc_L_Upper) must be lowercase'],
    ['acme/Foo', 'invalid reference format: repository name (acme/Foo) must be lowercase'],
    ['a::1', 'invalid reference format'],
    ['orc_l_img::1', 'invalid reference format'],
    ['', 'invalid reference format'],
    ['alpine:', 'invalid reference format'],
    [':tag', 'invalid reference format'],
    ['alpine@sha256:abc', 'invalid reference format'],
    [`alpine@sha256:${'a'.repeat(32)}`, 'invalid checksum digest length'],
    [`alpine@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [`alpine@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
    [HEX64, `invalid repository name (${HEX64}), cannot specify 64-byte hexadecimal strings`],
    ['alpine:-x', 'invalid reference format'],
    ['x y', 'invalid reference format'],
    [`x:${'t'.repeat(129)}`, 'invalid reference format'],
    [`${'a'.repeat(250)}/bcdefg`, 'repository name must not be more than 255 characters'],
  ];
  it.each(bad)('rejects %s', (input, message) => {
    expect(() => parseNormalizedNamed(input)).toThrow(new ReferenceParseError(message, input));
  });
});

describe('parseNormalizedNamed (daemon flavour)', () => {
  it.each([
    ['Orc_Up', 'invalid reference format: repository name must be lowercase'],
    ['acme/Foo', 'invalid reference format: repository name must be lowercase'],
    ['Acme/foo', 'invalid reference format: repository name must be lowercase'],
    ['LOCALHOST/x', 'invalid reference format: repository name must be lowercase'],
    ['a::1', 'invalid reference format'],
  ])('rejects %s', (input, message) => {
    expect(() => parseNormalizedNamed(input, 'daemon')).toThrow(message);
    const err = (() => {
      try {
        parseDaemonReference(input);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(DaemonError);
    expect((err as DaemonError).message).toBe(message);
  });
});

describe('parseAnyReference', () => {
  it('reads IDs as digests', () => {
    expect(parseAnyReference(HEX64)).toEqual({ kind: 'digest', digest: `sha256:${HEX64}` });
    expect(parseAnyReference(`sha256:${HEX64}`)).toEqual({ kind: 'digest', digest: `sha256:${HEX64}` });
  });
  it('reads a short sha256: prefix as a name with a tag, as Docker does', () => {
    const ref = parseAnyReference('sha256:f55e');
    expect(ref.kind).toBe('named');
    expect(familiarString(ref)).toBe('sha256:f55e');
  });
});

describe('CLI framing', () => {
  it('tag wraps the target error', () => {
    expect(() => parseTagTarget('orc_l_Bad:1')).toThrow(
      'Error parsing reference: "orc_l_Bad:1" is not a valid repository/tag: invalid reference format: repository name (library/orc_l_Bad) must be lowercase',
    );
  });
  it('run/create print the parse error alone', () => {
    try {
      parseUserReference('ORC_L');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ClientError);
      expect((e as ClientError).message).toBe('invalid reference format: repository name (library/ORC_L) must be lowercase');
    }
  });
});

describe('helpers', () => {
  it('familiarName', () => {
    expect(familiarName(parseNormalizedNamed('alpine:1'))).toBe('alpine');
    expect(familiarName(parseNormalizedNamed('localhost:5000/x:y'))).toBe('localhost:5000/x');
  });
  it('isImageIdPrefix and shortId', () => {
    const id = `sha256:f55ee4b0cfa3${'0'.repeat(52)}`;
    expect(isImageIdPrefix(id, 'f55e')).toBe(true);
    expect(isImageIdPrefix(id, 'sha256:f55e')).toBe(true);
    expect(isImageIdPrefix(id, 'bbase')).toBe(false);
    expect(shortId(id)).toBe('f55ee4b0cfa3');
  });
});

describe('property: any string gives a reference or a typed error', () => {
  it('never crashes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const flavor of ['client', 'daemon'] as const) {
          try {
            const ref = parseAnyReference(s, flavor);
            // A successful parse round-trips through its own full string.
            const again = parseAnyReference(fullString(ref), flavor);
            expect(fullString(again)).toBe(fullString(ref));
          } catch (e) {
            expect(e).toBeInstanceOf(ReferenceParseError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('reference-shaped strings too', () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9._:@/-]{0,40}$/);
    fc.assert(
      fc.property(part, (s) => {
        try {
          parseAnyReference(s);
        } catch (e) {
          expect(e).toBeInstanceOf(ReferenceParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('stays fast on long hostile input', () => {
    const start = Date.now();
    for (const s of ['a'.repeat(5000) + '!', 'a-'.repeat(3000) + '/', `${'a.'.repeat(2000)}:`]) {
      expect(() => parseAnyReference(s)).toThrow(ReferenceParseError);
    }
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
