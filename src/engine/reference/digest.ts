/**
 * Digests as go-digest validates them: "<algorithm>:<hex>", where the
 * algorithm must be one Docker registers (sha256, sha384, sha512) and the hex
 * must be lowercase and exactly as long as that algorithm's output.
 */
import { createHash } from 'node:crypto';
import { ANCHORED_DIGEST_RE } from './grammar.js';

const HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

export const DIGEST_INVALID_FORMAT = 'invalid checksum digest format';
export const DIGEST_INVALID_LENGTH = 'invalid checksum digest length';
export const DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

/** null when valid, else go-digest's error text. */
export function validateDigest(s: string): string | null {
  const i = s.indexOf(':');
  if (i <= 0 || i + 1 === s.length) return DIGEST_INVALID_FORMAT;
  const algorithm = s.slice(0, i);
  const encoded = s.slice(i + 1);
  const length = HEX_LENGTH[algorithm];
  if (length === undefined) {
    return ANCHORED_DIGEST_RE.test(s) ? DIGEST_UNSUPPORTED : DIGEST_INVALID_FORMAT;
  }
  if (encoded.length !== length) return DIGEST_INVALID_LENGTH;
  if (!/^[a-f0-9]+$/.test(encoded)) return DIGEST_INVALID_FORMAT;
  return null;
}

/** "sha256:<hex>" of some bytes. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The hex part of "sha256:<hex>" (or the input when it has no algorithm). */
export function digestHex(digest: string): string {
  const i = digest.indexOf(':');
  return i === -1 ? digest : digest.slice(i + 1);
}

/** stringid.TruncateID: the first 12 hex characters, as Docker prints IDs. */
export function shortId(id: string): string {
  return digestHex(id).slice(0, 12);
}
