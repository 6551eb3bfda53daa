// Sealing and opening of one chunk, for every layer. The streams in object-cipher.ts only
// cut bytes into chunks; everything cryptographic about a chunk is here.
//
// Keys. Each layer l gets its own AES-256 key
//   K_l = HKDF-SHA256(ikm = dataKey_l, salt = none,
//                     info = "coffer/chunked-aes-256-gcm/v1" ‖ 0x00 ‖ l ‖ layers ‖ u32 chunkSize ‖ SHA-256(aad))
// (SHA-256 of the aad because HKDF info is limited to 1024 bytes and S3 keys alone may be
// that long).
//
// Nonces. The nonce of chunk i is 0x00000000 ‖ u64be(i). A GCM key must never see the same
// nonce twice; here that holds because K_l is used for exactly one object version: the
// caller draws a fresh random 256-bit data key per object version, and even if a caller
// reused a data key for two streams (say, two parts of one multipart upload) the different
// aad strings would give different K_l. Inside one stream chunk indexes are distinct, so
// (K_l, nonce) pairs never repeat. A counter also avoids the 2^32-message bound that random
// 96-bit nonces impose, and needs no bytes on disk, keeping chunk offsets a pure product.
//
// Associated data of chunk i at layer l:
//   u8 version ‖ u8 l ‖ u8 layers ‖ u8 final ‖ u64be i ‖ u32be chunkSize ‖ utf8(aad)
// The index stops reordering, the final flag stops truncation at a chunk boundary (the
// reader knows from the plaintext length which chunk must carry final = 1), and the aad
// string (the caller's object-version identifier) stops chunks moving between objects.
// The key derivation already binds the same things; repeating them in the AAD makes each
// chunk self-describing and costs one GHASH block.
import { createCipheriv, createDecipheriv, createHash, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { assertChunkSize, assertLayers, TAG_LENGTH } from './chunk-layout.js';
import { ObjectDecryptError } from './errors.js';

export const FORMAT_VERSION = 1;
const KDF_LABEL = 'coffer/chunked-aes-256-gcm/v1';
const AAD_HEADER = 16;
/** Coalesce a chunk delivered in more pieces than this: one cipher.update per piece costs more than a copy. */
const MAX_PIECES = 4;

export interface ChunkKeys {
  readonly chunkSize: number;
  readonly layers: number;
  /** innermost (applied first to plaintext) first */
  readonly keys: readonly KeyObject[];
  /** reusable AAD buffer: header bytes rewritten per chunk, aad string after them */
  readonly aad: Buffer;
  /** reusable nonce buffer */
  readonly nonce: Buffer;
}

export function deriveChunkKeys(dataKey: Buffer | readonly Buffer[], chunkSize: number, aad: string): ChunkKeys {
  const dataKeys: readonly Buffer[] = Buffer.isBuffer(dataKey) ? [dataKey] : dataKey;
  const layers = dataKeys.length;
  assertLayers(layers);
  assertChunkSize(chunkSize);
  if (typeof aad !== 'string') throw new TypeError('aad must be a string');
  const aadHash = createHash('sha256').update(aad, 'utf8').digest();
  const keys = dataKeys.map((key, layer) => {
    if (!Buffer.isBuffer(key) || key.length !== 32) throw new RangeError('each data key must be a 32-byte Buffer');
    const info = Buffer.alloc(KDF_LABEL.length + 7 + 32);
    let o = info.write(KDF_LABEL, 'latin1');
    o = info.writeUInt8(0, o);
    o = info.writeUInt8(layer, o);
    o = info.writeUInt8(layers, o);
    o = info.writeUInt32BE(chunkSize, o);
    aadHash.copy(info, o);
    return createSecretKey(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32)));
  });
  const aadBytes = Buffer.from(aad, 'utf8');
  const aadBuf = Buffer.alloc(AAD_HEADER + aadBytes.length);
  aadBuf.writeUInt8(FORMAT_VERSION, 0);
  aadBuf.writeUInt8(layers, 2);
  aadBuf.writeUInt32BE(chunkSize, 12);
  aadBytes.copy(aadBuf, AAD_HEADER);
  return { chunkSize, layers, keys, aad: aadBuf, nonce: Buffer.alloc(12) };
}

function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  buf.writeUInt32BE(value >>> 0, offset + 4);
}

// The shared nonce and AAD buffers may be rewritten per chunk because createCipheriv
// copies the IV and setAAD hashes the AAD immediately.
function prepare(k: ChunkKeys, layer: number, index: number, final: boolean): void {
  writeU64(k.nonce, index, 4);
  k.aad.writeUInt8(layer, 1);
  k.aad.writeUInt8(final ? 1 : 0, 3);
  writeU64(k.aad, index, 4);
}

function coalesce(pieces: Buffer[]): Buffer[] {
  return pieces.length > MAX_PIECES ? [Buffer.concat(pieces)] : pieces;
}

/**
 * Seals one chunk given as pieces (their concatenation is the chunk's plaintext). Returns
 * the sealed chunk as pieces too: ciphertext pieces then the tags. Pieces are returned
 * rather than joined because joining would copy every byte once more.
 */
export function sealChunk(k: ChunkKeys, index: number, final: boolean, plaintext: Buffer[]): Buffer[] {
  let cur = coalesce(plaintext);
  for (let layer = 0; layer < k.layers; layer++) {
    prepare(k, layer, index, final);
    const cipher = createCipheriv('aes-256-gcm', k.keys[layer]!, k.nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(k.aad);
    const next: Buffer[] = [];
    for (const piece of cur) if (piece.length > 0) next.push(cipher.update(piece));
    cipher.final();
    next.push(cipher.getAuthTag());
    cur = next;
  }
  return cur;
}

/**
 * Opens one sealed chunk of `length` bytes given as pieces. Returns plaintext pieces only
 * after every layer's tag verified; throws ObjectDecryptError otherwise, having returned
 * nothing of the chunk.
 */
export function openChunk(k: ChunkKeys, index: number, final: boolean, sealed: Buffer[], length: number): Buffer[] {
  let cur = coalesce(sealed);
  let len = length;
  for (let layer = k.layers - 1; layer >= 0; layer--) {
    if (len < TAG_LENGTH) throw new ObjectDecryptError('Truncated', index, `chunk ${index} is shorter than its tag`);
    const ctLen = len - TAG_LENGTH;
    prepare(k, layer, index, final);
    const decipher = createDecipheriv('aes-256-gcm', k.keys[layer]!, k.nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(k.aad);
    const out: Buffer[] = [];
    const tagParts: Buffer[] = [];
    let pos = 0;
    for (const piece of cur) {
      const ctPart = Math.min(piece.length, Math.max(0, ctLen - pos));
      if (ctPart > 0) out.push(decipher.update(ctPart === piece.length ? piece : piece.subarray(0, ctPart)));
      if (ctPart < piece.length) tagParts.push(ctPart === 0 ? piece : piece.subarray(ctPart));
      pos += piece.length;
    }
    decipher.setAuthTag(tagParts.length === 1 ? tagParts[0]! : Buffer.concat(tagParts));
    try {
      decipher.final();
    } catch {
      throw new ObjectDecryptError(
        'ChunkAuthFailed',
        index,
        `chunk ${index} failed authentication (tampered, reordered, wrong key or wrong object identifier)`,
      );
    }
    cur = out;
    len = ctLen;
  }
  return cur;
}
