/**
 * Image references as Docker parses and prints them (distribution/reference).
 *
 * - A *named* reference has a domain ("docker.io", "localhost:5000"), a path
 *   ("library/alpine", "acme/my-base-image"), and optionally a tag and/or a
 *   digest. Its full string is "docker.io/library/alpine:latest".
 * - Its *familiar* form is what Docker shows users: the "docker.io/" domain
 *   and the "library/" prefix of official images are dropped ("alpine:latest",
 *   "acme/my-base-image:1.0", "localhost:5000/x:y").
 * - A *digest* reference is a bare "sha256:<hex>" (an image ID).
 *
 * Two flavours of normalisation exist because mydock stands for two programs:
 * the Docker CLI (new distribution/reference: an uppercase first component is
 * a domain, errors name the repository) and the 20.10 engine (older code: only
 * "." / ":" / "localhost" mark a domain, and the error does not name it).
 * `flavor: 'client'` gives the CLI's results, `'daemon'` the engine's.
 */
import {
  ANCHORED_NAME_RE,
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  IDENTIFIER_RE,
  LEGACY_DEFAULT_DOMAIN,
  NAME_TOTAL_LENGTH_MAX,
  OFFICIAL_REPO_PREFIX,
  REFERENCE_RE,
} from './grammar.js';
import { validateDigest } from './digest.js';

export interface NamedReference {
  readonly kind: 'named';
  /** "" only for references parsed without normalisation and without a domain. */
  readonly domain: string;
  readonly path: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

export interface DigestReference {
  readonly kind: 'digest';
  readonly digest: string;
}

export type AnyReference = NamedReference | DigestReference;

export type Flavor = 'client' | 'daemon';

/** A parse failure; `message` is Docker's text. The callers choose the framing (client or daemon error). */
export class ReferenceParseError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'ReferenceParseError';
  }
}

const MSG_INVALID = 'invalid reference format';
const MSG_UPPERCASE = 'repository name must be lowercase';
const MSG_EMPTY = 'repository name must have at least one component';
const MSG_TOO_LONG = `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;

/** reference.Parse: syntax only, no normalisation (no default domain, no "library/"). */
export function parse(s: string): AnyReference {
  if (s === '') throw new ReferenceParseError(MSG_EMPTY, s);
  const m = REFERENCE_RE.exec(s);
  if (m === null) {
    const lower = s.toLowerCase();
    if (lower !== s && REFERENCE_RE.test(lower)) throw new ReferenceParseError(MSG_UPPERCASE, s);
    throw new ReferenceParseError(MSG_INVALID, s);
  }
  const name = m[1] ?? '';
  const nm = ANCHORED_NAME_RE.exec(name);
  const domain = nm?.[1] ?? '';
  const path = nm ? (nm[2] ?? '') : name;
  if (path.length > NAME_TOTAL_LENGTH_MAX) throw new ReferenceParseError(MSG_TOO_LONG, s);
  let digest: string | null = null;
  if (m[3] !== undefined) {
    const problem = validateDigest(m[3]);
    if (problem !== null) throw new ReferenceParseError(problem, s);
    digest = m[3];
  }
  if (name === '') {
    if (digest !== null) return { kind: 'digest', digest };
    throw new ReferenceParseError(MSG_EMPTY, s);
  }
  return { kind: 'named', domain, path, tag: m[2] ?? null, digest };
}

/** splitDockerDomain: which part of a familiar name is the registry. */
function splitDockerDomain(name: string, flavor: Flavor): [string, string] {
  const slash = name.indexOf('/');
  let domain: string;
  let remainder: string;
  if (slash === -1) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    const first = name.slice(0, slash);
    const isDomain =
      first === 'localhost' ||
      first === LEGACY_DEFAULT_DOMAIN ||
      /[.:]/.test(first) ||
      (flavor === 'client' && first.toLowerCase() !== first);
    if (isDomain) {
      domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
      remainder = name.slice(slash + 1);
    } else {
      domain = DEFAULT_DOMAIN;
      remainder = name;
    }
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return [domain, remainder];
}

/**
 * ParseNormalizedNamed: a user's reference ("alpine", "acme/x:1.0",
 * "localhost:5000/x@sha256:…") to a fully qualified named reference.
 * Throws ReferenceParseError with Docker's text.
 */
export function parseNormalizedNamed(s: string, flavor: Flavor = 'client'): NamedReference {
  if (IDENTIFIER_RE.test(s)) {
    throw new ReferenceParseError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`, s);
  }
  const [domain, remainder] = splitDockerDomain(s, flavor);
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw new ReferenceParseError(
      flavor === 'client'
        ? `${MSG_INVALID}: repository name (${remote}) must be lowercase`
        : `${MSG_INVALID}: ${MSG_UPPERCASE}`,
      s,
    );
  }
  let ref: AnyReference;
  try {
    ref = parse(`${domain}/${remainder}`);
  } catch (err) {
    // Report the user's input, not the rebuilt string.
    if (err instanceof ReferenceParseError) throw new ReferenceParseError(err.message, s);
    throw err;
  }
  if (ref.kind !== 'named') throw new ReferenceParseError(`reference ${ref.digest} has no name`, s);
  return ref;
}

/**
 * ParseAnyReference: a 64-hex identifier or "sha256:<hex>" is a digest
 * reference (an image ID); anything else must be a normalised name.
 */
export function parseAnyReference(s: string, flavor: Flavor = 'client'): AnyReference {
  if (IDENTIFIER_RE.test(s)) return { kind: 'digest', digest: `sha256:${s}` };
  const colon = s.indexOf(':');
  if (colon > 0 && validateDigest(s) === null) return { kind: 'digest', digest: s };
  return parseNormalizedNamed(s, flavor);
}

/** TagNameOnly: a name without tag or digest gets ":latest". */
export function tagNameOnly(ref: NamedReference): NamedReference {
  if (ref.tag === null && ref.digest === null) return { ...ref, tag: DEFAULT_TAG };
  return ref;
}

/** Name(): "docker.io/library/alpine". */
export function fullName(ref: NamedReference): string {
  return ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
}

/** String(): "docker.io/library/alpine:latest", "…@sha256:…", "…:tag@sha256:…". */
export function fullString(ref: AnyReference): string {
  if (ref.kind === 'digest') return ref.digest;
  return fullName(ref) + (ref.tag !== null ? `:${ref.tag}` : '') + (ref.digest !== null ? `@${ref.digest}` : '');
}

/** FamiliarName: "alpine", "acme/x", "localhost:5000/x". */
export function familiarName(ref: NamedReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  if (ref.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = ref.path.slice(OFFICIAL_REPO_PREFIX.length);
    // Only single-component official names lose the prefix ("library/a/b" keeps it).
    if (!rest.includes('/')) return rest;
  }
  return ref.path;
}

/** FamiliarString: "alpine:latest", "alpine@sha256:…", "sha256:…" for a digest reference. */
export function familiarString(ref: AnyReference): string {
  if (ref.kind === 'digest') return ref.digest;
  return familiarName(ref) + (ref.tag !== null ? `:${ref.tag}` : '') + (ref.digest !== null ? `@${ref.digest}` : '');
}

/** TrimNamed: the repository only. */
export function trimNamed(ref: NamedReference): NamedReference {
  return { ...ref, tag: null, digest: null };
}

/** Docker stores a tag+digest reference as the digest one only (favorDigest). */
export function favorDigest(ref: NamedReference): NamedReference {
  return ref.digest !== null && ref.tag !== null ? { ...ref, tag: null } : ref;
}

export function withTag(ref: NamedReference, tag: string): NamedReference {
  return { ...ref, tag, digest: null };
}

export function withDigest(ref: NamedReference, digest: string): NamedReference {
  return { ...ref, tag: null, digest };
}

/** Whether `s` is a whole or partial image ID as `rmi` tells them from names (isImageIDPrefix). */
export function isImageIdPrefix(imageId: string, s: string): boolean {
  if (s === '') return false;
  if (imageId.startsWith(s)) return true;
  const colon = imageId.indexOf(':');
  return colon >= 0 && imageId.slice(colon + 1).startsWith(s);
}
