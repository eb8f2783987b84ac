/**
 * CRC-64 with the ISO polynomial, as Go's hash/crc64 computes it: tar-split
 * (and so Docker's tar-split.json.gz) records each file body's checksum this
 * way. Kept as two 32-bit halves: BigInt per byte would be far too slow for
 * image-sized files.
 */

// Reversed ISO polynomial 0xD800000000000000: the low half is zero.
const POLY_HI = 0xd8000000;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let hi = 0;
  let lo = i;
  for (let j = 0; j < 8; j++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (bit) hi = (hi ^ POLY_HI) >>> 0;
  }
  TABLE_HI[i] = hi;
  TABLE_LO[i] = lo;
}

export class Crc64 {
  // Stored inverted, as Go does between updates.
  private hi = 0xffffffff;
  private lo = 0xffffffff;

  update(data: Uint8Array): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < data.length; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      const nlo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
      const nhi = hi >>> 8;
      hi = (nhi ^ TABLE_HI[idx]!) >>> 0;
      lo = (nlo ^ TABLE_LO[idx]!) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** The 8 bytes Go's Sum(nil) returns (big-endian). */
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((~this.hi) >>> 0, 0);
    out.writeUInt32BE((~this.lo) >>> 0, 4);
    return out;
  }
}
