/**
 * CRC-32 (zlib's, S3's CRC32) and CRC-32C (Castagnoli, S3's CRC32C) as streaming hashers
 * whose digest is the 4-byte big-endian value S3 base64-encodes.
 */
import * as zlib from 'node:zlib';
import { slicingTables32, updateCrc32 } from './crc32-reflected.js';

const CRC32C_TABLES = slicingTables32(0x82f63b78);

// zlib.crc32 (native, ~1.8 GB/s) exists from Node 20.15; older 20.x fall back to the
// JS engine, which gives the same values.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let crc32Tables: ReturnType<typeof slicingTables32> | undefined;

function be32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

export class Crc32 {
  // Finished CRC value so far (what zlib.crc32 takes as its running value).
  private value = 0;

  update(data: Uint8Array): this {
    if (nativeCrc32) {
      this.value = nativeCrc32(data, this.value);
    } else {
      crc32Tables ??= slicingTables32(0xedb88320);
      this.value = ~updateCrc32(crc32Tables, ~this.value, data) >>> 0;
    }
    return this;
  }

  digest(): Buffer {
    return be32(this.value);
  }
}

export class Crc32c {
  private state = -1;

  update(data: Uint8Array): this {
    this.state = updateCrc32(CRC32C_TABLES, this.state, data);
    return this;
  }

  digest(): Buffer {
    return be32(~this.state);
  }
}
