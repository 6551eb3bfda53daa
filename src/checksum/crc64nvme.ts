/**
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones), the
 * CRC64NVME of S3's flexible checksums. Check value for "123456789": 0xae8b14860a799888.
 *
 * Why two 32-bit halves instead of BigInt: BigInt arithmetic allocates and runs at a few
 * MB/s; splitting the 64-bit register into high and low Int32 words keeps everything in
 * V8's small-integer fast path (~650 MB/s with slicing-by-8).
 */
import { endianness } from 'node:os';

const POLY = 0x9a6c9329ac4bc9b5n;

/** hi[k][b], lo[k][b]: halves of the CRC of byte b followed by k zero bytes. */
const HI: Int32Array[] = [];
const LO: Int32Array[] = [];
{
  const h0 = new Int32Array(256);
  const l0 = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    // Table construction runs once at load, so BigInt is fine here.
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
    h0[i] = Number(c >> 32n) | 0;
    l0[i] = Number(c & 0xffffffffn) | 0;
  }
  HI.push(h0);
  LO.push(l0);
  for (let k = 1; k < 8; k++) {
    const ph = HI[k - 1]!;
    const pl = LO[k - 1]!;
    const qh = new Int32Array(256);
    const ql = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      const idx = pl[i]! & 0xff;
      ql[i] = ((pl[i]! >>> 8) | (ph[i]! << 24)) ^ l0[idx]!;
      qh[i] = (ph[i]! >>> 8) ^ h0[idx]!;
    }
    HI.push(qh);
    LO.push(ql);
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Streaming CRC64NVME; `digest()` is the 8-byte big-endian value S3 base64-encodes. */
export class Crc64Nvme {
  private hi = -1;
  private lo = -1;

  update(data: Uint8Array): this {
    const [h0, h1, h2, h3, h4, h5, h6, h7] = HI as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
    const [l0, l1, l2, l3, l4, l5, l6, l7] = LO as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
    let ch = this.hi;
    let cl = this.lo;
    let i = 0;
    const n = data.length;
    if (LITTLE_ENDIAN && n >= 64) {
      while ((data.byteOffset + i) & 3) {
        const x = (cl ^ data[i]!) & 0xff;
        cl = ((cl >>> 8) | (ch << 24)) ^ l0[x]!;
        ch = (ch >>> 8) ^ h0[x]!;
        i++;
      }
      const blocks = (n - i) >>> 3;
      const words = new Int32Array(data.buffer, data.byteOffset + i, blocks * 2);
      for (let j = 0; j < words.length; j += 2) {
        // Eight input bytes replace the whole 64-bit register: XOR in, then one lookup each.
        const a = cl ^ words[j]!;
        const d = ch ^ words[j + 1]!;
        const a0 = a & 0xff, a1 = (a >>> 8) & 0xff, a2 = (a >>> 16) & 0xff, a3 = a >>> 24;
        const d0 = d & 0xff, d1 = (d >>> 8) & 0xff, d2 = (d >>> 16) & 0xff, d3 = d >>> 24;
        cl = l7[a0]! ^ l6[a1]! ^ l5[a2]! ^ l4[a3]! ^ l3[d0]! ^ l2[d1]! ^ l1[d2]! ^ l0[d3]!;
        ch = h7[a0]! ^ h6[a1]! ^ h5[a2]! ^ h4[a3]! ^ h3[d0]! ^ h2[d1]! ^ h1[d2]! ^ h0[d3]!;
      }
      i += blocks * 8;
    }
    for (; i < n; i++) {
      const x = (cl ^ data[i]!) & 0xff;
      cl = ((cl >>> 8) | (ch << 24)) ^ l0[x]!;
      ch = (ch >>> 8) ^ h0[x]!;
    }
    this.hi = ch;
    this.lo = cl;
    return this;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.hi >>> 0, 0);
    out.writeUInt32BE(~this.lo >>> 0, 4);
    return out;
  }
}
