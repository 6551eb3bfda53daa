// The ciphertext blob KMS returns from Encrypt, GenerateDataKey and ReEncrypt.
//
// Format version 1 (all integers big-endian):
//
//   offset  size  field
//   0       1     format version (0x01)
//   1       16    key id (the UUID's 16 bytes)
//   17      4     key material version (uint32, 1 = the material made at CreateKey)
//   21      16    salt: the per-message key is HKDF-SHA256(material, salt, "coffer-kms-ciphertext-v1")
//   37      12    AES-GCM nonce (random)
//   49      n     AES-256-GCM ciphertext of the plaintext
//   49+n    16    GCM tag
//
// The associated data is the 49-byte header followed by the canonical encryption context, so
// a changed key id, version, salt or context fails the tag (InvalidCiphertextException). The
// header names the key and the material version, so Decrypt needs no KeyId and old blobs keep
// decrypting after rotation. A fresh derived key per message keeps AES-GCM far from its
// random-nonce limits however much a key is used.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';

export const CIPHERTEXT_FORMAT_VERSION = 1;
const HEADER_LENGTH = 49;
const TAG_LENGTH = 16;
const INFO = Buffer.from('coffer-kms-ciphertext-v1');
export const CIPHERTEXT_OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isKeyIdUuid(s: string): boolean {
  return UUID.test(s);
}

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidString(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The encryption context as bytes: pairs sorted by key (UTF-16 code unit order, which for
 * the BMP equals code point order), each string length-prefixed, so distinct contexts can
 * never encode alike.
 */
export function canonicalContext(ctx: Readonly<Record<string, string>> | undefined): Buffer {
  const keys = Object.keys(ctx ?? {}).sort();
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(keys.length);
  parts.push(count);
  for (const k of keys) {
    for (const s of [k, ctx![k]!]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export interface BlobHeader {
  keyId: string;
  version: number;
}

/** The key and material version a blob names, or undefined when it is not a Coffer v1 blob. */
export function parseHeader(blob: Buffer): BlobHeader | undefined {
  if (blob.length < CIPHERTEXT_OVERHEAD || blob[0] !== CIPHERTEXT_FORMAT_VERSION) return undefined;
  const version = blob.readUInt32BE(17);
  if (version < 1) return undefined;
  return { keyId: uuidString(blob.subarray(1, 17)), version };
}

function messageKey(material: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', material, salt, INFO, 32));
}

export function seal(
  material: Buffer,
  header: BlobHeader,
  plaintext: Buffer,
  context: Readonly<Record<string, string>> | undefined,
  random: (n: number) => Buffer,
): Buffer {
  const head = Buffer.alloc(HEADER_LENGTH);
  head[0] = CIPHERTEXT_FORMAT_VERSION;
  uuidBytes(header.keyId).copy(head, 1);
  head.writeUInt32BE(header.version, 17);
  random(16).copy(head, 21);
  random(12).copy(head, 37);
  const key = messageKey(material, head.subarray(21, 37));
  const cipher = createCipheriv('aes-256-gcm', key, head.subarray(37, 49));
  key.fill(0);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([head, body, final, cipher.getAuthTag()]);
}

/** Returns the plaintext, or undefined when the blob or the context does not verify. */
export function open(material: Buffer, blob: Buffer, context: Readonly<Record<string, string>> | undefined): Buffer | undefined {
  if (blob.length < CIPHERTEXT_OVERHEAD) return undefined;
  const head = blob.subarray(0, HEADER_LENGTH);
  const key = messageKey(material, head.subarray(21, 37));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(37, 49));
    decipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_LENGTH));
    const out = decipher.update(blob.subarray(HEADER_LENGTH, blob.length - TAG_LENGTH));
    return Buffer.concat([out, decipher.final()]);
  } catch {
    return undefined;
  } finally {
    key.fill(0);
  }
}
