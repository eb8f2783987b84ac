/**
 * How mydock recognises the programs it can run.
 *
 * Images from the offline catalog carry *emulated binaries*: files that start
 * like an ELF executable (so `file`, `ls -l` and sizes look as in the real
 * image) and name, in their header, the emulated program they stand for. The
 * rest of the file is deterministic filler up to the real binary's size, so
 * that image and layer sizes come out as Docker reports them.
 *
 * Images loaded from a real Docker engine carry real binaries. A real busybox
 * (found by its version banner) runs as the applet its invoked name asks for;
 * any other native binary cannot run here.
 */

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
const TAG = 'MYDOCK-EMULATED:';
/** The marker always lies within this many bytes of the start. */
export const MARKER_WINDOW = 128;

/** Builds an emulated binary for `program`, exactly `size` bytes long (at least the header's length). */
export function makeEmulatedBinary(program: string, size: number): Buffer {
  const header = Buffer.concat([ELF_MAGIC, Buffer.from(`\0${TAG}${program}\0`, 'latin1')]);
  if (header.length > MARKER_WINDOW) throw new Error(`program name too long: ${program}`);
  const out = Buffer.alloc(Math.max(size, header.length));
  header.copy(out, 0);
  // Filler: a fixed pseudo-random sequence, so files look binary and stay
  // byte-identical across machines (layer DiffIDs depend on it).
  let x = 0x9e3779b9 ^ program.length;
  for (let i = header.length; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export type BinaryKind =
  | { kind: 'emulated'; program: string }
  | { kind: 'busybox' }
  | { kind: 'elf' }
  | { kind: 'script'; interpreter: string; argument: string | null }
  | { kind: 'other' };

/**
 * Classifies an executable from its first bytes (`head`, at least
 * MARKER_WINDOW bytes when the file is that long) and, for real ELF files,
 * a search for busybox's banner in the whole content (`full`, optional: pass
 * it only when `head` says ELF).
 */
export function classifyBinary(head: Uint8Array, full?: Uint8Array): BinaryKind {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (buf.length >= 2 && buf[0] === 0x23 && buf[1] === 0x21) {
    const firstLine = buf.subarray(2, Math.max(2, buf.indexOf(0x0a) === -1 ? buf.length : buf.indexOf(0x0a))).toString('utf8').trim();
    const space = firstLine.search(/[ \t]/);
    if (firstLine === '') return { kind: 'other' };
    if (space === -1) return { kind: 'script', interpreter: firstLine, argument: null };
    const arg = firstLine.slice(space).trim();
    return { kind: 'script', interpreter: firstLine.slice(0, space), argument: arg === '' ? null : arg };
  }
  if (buf.length >= 4 && buf.subarray(0, 4).equals(ELF_MAGIC.subarray(0, 4))) {
    const window = buf.subarray(0, Math.min(buf.length, MARKER_WINDOW)).toString('latin1');
    const at = window.indexOf(TAG);
    if (at !== -1) {
      const end = window.indexOf('\0', at + TAG.length);
      return { kind: 'emulated', program: window.slice(at + TAG.length, end === -1 ? undefined : end) };
    }
    if (full && Buffer.from(full.buffer, full.byteOffset, full.byteLength).indexOf('BusyBox v') !== -1) {
      return { kind: 'busybox' };
    }
    return { kind: 'elf' };
  }
  return { kind: 'other' };
}
