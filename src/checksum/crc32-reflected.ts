/**
 * Table-driven CRC-32 engine for reflected polynomials (CRC-32, CRC-32C), slicing-by-8.
 *
 * Why slicing-by-8 with 32-bit word reads: one table lookup per byte is ~300 MB/s in V8;
 * reading the input as little-endian 32-bit words and folding eight bytes per step with
 * eight tables reaches ~1.2 GB/s, which keeps checksum cost well below network speed.
 */
import { endianness } from 'node:os';

/** Eight 256-entry tables: `t[k][b]` is the CRC of byte `b` followed by `k` zero bytes. */
export type SlicingTables32 = readonly Int32Array[];

export function slicingTables32(reflectedPoly: number): SlicingTables32 {
  const t0 = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    t0[i] = c;
  }
  const tables = [t0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1]!;
    const next = new Int32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (prev[i]! >>> 8) ^ t0[prev[i]! & 0xff]!;
    tables.push(next);
  }
  return tables;
}

// Int32Array views read words in platform order; the folding below assumes little-endian.
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Advances a CRC register (`state` is the raw register: start at -1 / 0xffffffff, finish
 * with `~state >>> 0`) over `data`.
 */
export function updateCrc32(tables: SlicingTables32, state: number, data: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  let c = state | 0;
  let i = 0;
  const n = data.length;
  if (LITTLE_ENDIAN && n >= 64) {
    // Bytes up to 4-byte alignment, then whole 8-byte blocks through a word view.
    while ((data.byteOffset + i) & 3) {
      c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
      i++;
    }
    const blocks = (n - i) >>> 3;
    const words = new Int32Array(data.buffer, data.byteOffset + i, blocks * 2);
    for (let j = 0; j < words.length; j += 2) {
      const a = c ^ words[j]!;
      const d = words[j + 1]!;
      c = t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^
        t3[d & 0xff]! ^ t2[(d >>> 8) & 0xff]! ^ t1[(d >>> 16) & 0xff]! ^ t0[d >>> 24]!;
    }
    i += blocks * 8;
  } else {
    for (const end = n - 7; i < end; i += 8) {
      const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      c = t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^
        t3[data[i + 4]!]! ^ t2[data[i + 5]!]! ^ t1[data[i + 6]!]! ^ t0[data[i + 7]!]!;
    }
  }
  for (; i < n; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}
