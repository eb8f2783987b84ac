/**
 * The size of the context tar the Docker CLI sends, which is what
 * "Sending build context to Docker daemon  2.048kB" reports: Go's
 * archive/tar in PAX-when-needed mode, no compression, no record padding.
 * Each entry is one 512-byte header plus its body rounded up to 512; a name
 * USTAR cannot hold (non-ASCII, or too long to split at a "/" into a
 * 155-byte prefix and a 100-byte name) or a long link target adds a PAX
 * header block and its records; the archive ends with two zero blocks.
 */
const BLOCK = 512;

const roundUp = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/** Go's splitUSTARPath. */
function splitsForUstar(name: string): boolean {
  const length = Buffer.byteLength(name);
  if (length <= 100) return true;
  if (length > 155 + 1 + 100) return false;
  const bytes = Buffer.from(name);
  let i = Math.min(length - 1, 155);
  while (i > 0 && bytes[i] !== 0x2f) i--;
  if (i <= 0) return false;
  const nameLen = length - i - 1;
  return nameLen > 0 && nameLen <= 100;
}

function paxRecord(key: string, value: string): number {
  const body = Buffer.byteLength(` ${key}=${value}\n`);
  let n = body + String(body).length;
  if (String(n).length !== String(body).length) n = body + String(n).length;
  return n;
}

// eslint-disable-next-line no-control-regex
const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Bytes one entry takes in the tar. */
export function tarEntrySize(name: string, linkname: string, bodySize: number): number {
  let records = 0;
  if (!isAscii(name) || !splitsForUstar(name)) records += paxRecord('path', name);
  if (!isAscii(linkname) || Buffer.byteLength(linkname) > 100) records += paxRecord('linkpath', linkname);
  const pax = records > 0 ? BLOCK + roundUp(records) : 0;
  return pax + BLOCK + roundUp(bodySize);
}

export const TAR_TRAILER_SIZE = 2 * BLOCK;
