/**
 * The reference API the rest of mydock uses, with Docker's error framing:
 * the CLI-side parsers throw ClientErrors, the engine-side ones DaemonErrors.
 */
import { daemonInvalidReference, invalidReference, tagParseError } from '../errors.js';
import {
  ReferenceParseError,
  parseAnyReference,
  parseNormalizedNamed,
  type AnyReference,
  type NamedReference,
} from './reference.js';

export * from './reference.js';
export * from './digest.js';
export { DEFAULT_TAG, DEFAULT_DOMAIN } from './grammar.js';

function reframe<T>(fn: () => T, frame: (e: ReferenceParseError) => Error): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ReferenceParseError) throw frame(err);
    throw err;
  }
}

/** What the CLI does with an image argument (`run`, `create`, `pull`, `build -t`): ClientError on failure. */
export function parseUserReference(s: string): NamedReference {
  return reframe(
    () => parseNormalizedNamed(s, 'client'),
    (e) => invalidReference(e.message, s),
  );
}

/** `docker tag SOURCE TARGET`: the target's parse error, wrapped as the CLI wraps it. */
export function parseTagTarget(s: string): NamedReference {
  return reframe(
    () => parseNormalizedNamed(s, 'client'),
    (e) => tagParseError(s, e.message),
  );
}

/** How the engine reads a name or ID it was sent (`rmi`, `history`, `inspect`): DaemonError on failure. */
export function parseDaemonReference(s: string): AnyReference {
  return reframe(
    () => parseAnyReference(s, 'daemon'),
    (e) => daemonInvalidReference(e.message, s),
  );
}

/** The engine's view of a repository name it must store (tag, build, commit). */
export function parseDaemonNamed(s: string): NamedReference {
  return reframe(
    () => parseNormalizedNamed(s, 'daemon'),
    (e) => daemonInvalidReference(e.message, s),
  );
}
