// Wrapping key material (a data key, KMS key material) under a 32-byte wrapping key, and
// deriving purpose-specific sub-keys from the root key.
//
// Envelope, version 1:  u8 version(=1) ‖ nonce(12) ‖ tag(16) ‖ ciphertext
// AES-256-GCM with a random 96-bit nonce; AAD = u8 version ‖ utf8(context). The context
// names what the key is for ("sse-s3:bucket/key/version", "kms-key:<id>:<version>"), so a
// wrapped key copied to another object or key version fails to unwrap.
//
// Random 96-bit nonces keep the collision risk negligible up to about 2^32 wraps under one
// wrapping key (NIST SP 800-38D); services that may approach that (the SSE-S3 service key
// wraps one data key per object version) should rotate by deriving a new generation
// (deriveKey(root, "coffer/sse-s3/service-key/v1/gen-2")). The version byte leaves room for
// an extended-nonce envelope later.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { KeyUnwrapError } from './errors.js';
import { draw, systemRandom, type RandomSource } from './random.js';

export const WRAP_FORMAT_VERSION = 1;
/** Enough for any KMS key material (an RSA-4096 private key is ~2.4 KB). */
export const MAX_WRAPPED_PLAINTEXT = 64 * 1024;
const NONCE = 12;
const TAG = 16;
const HEADER = 1 + NONCE + TAG;

/** HKDF `info` labels of the sub-keys Coffer derives from its root key. One purpose, one label. */
export const KEY_PURPOSES = {
  /** wraps SSE-S3 data keys */
  sseS3ServiceKey: 'coffer/sse-s3/service-key/v1',
  /** keys the salted HMAC stored for SSE-C customer keys */
  sseCHmacKey: 'coffer/sse-c/hmac-key/v1',
  /** used by the local RootKeyProvider to wrap (KMS key material, ...) */
  rootKeyWrap: 'coffer/root-key/wrap/v1',
} as const;

function assertKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new RangeError(`${what} must be a 32-byte Buffer`);
}

function aadFor(version: number, context: string): Buffer {
  if (typeof context !== 'string') throw new TypeError('context must be a string');
  const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(context, 'utf8'));
  bytes[0] = version;
  bytes.write(context, 1, 'utf8');
  return bytes;
}

/** Length of the envelope for `plaintextLength` bytes of key material. */
export function wrappedKeyLength(plaintextLength: number): number {
  return HEADER + plaintextLength;
}

export function wrapKey(
  wrappingKey: Buffer,
  plaintext: Buffer,
  context: string,
  random: RandomSource = systemRandom,
): Buffer {
  assertKey(wrappingKey, 'wrapping key');
  if (!Buffer.isBuffer(plaintext) || plaintext.length === 0 || plaintext.length > MAX_WRAPPED_PLAINTEXT) {
    throw new RangeError(`key material must be a Buffer of 1..${MAX_WRAPPED_PLAINTEXT} bytes`);
  }
  const out = Buffer.allocUnsafe(HEADER + plaintext.length);
  out[0] = WRAP_FORMAT_VERSION;
  const nonce = draw(random, NONCE);
  nonce.copy(out, 1);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, nonce, { authTagLength: TAG });
  cipher.setAAD(aadFor(WRAP_FORMAT_VERSION, context));
  cipher.update(plaintext).copy(out, HEADER);
  cipher.final();
  cipher.getAuthTag().copy(out, 1 + NONCE);
  return out;
}

/** Throws KeyUnwrapError: 'Malformed', 'UnsupportedVersion', or 'AuthFailed' (wrong key or context, or tampered). */
export function unwrapKey(wrappingKey: Buffer, wrapped: Buffer, context: string): Buffer {
  assertKey(wrappingKey, 'wrapping key');
  if (!Buffer.isBuffer(wrapped) || wrapped.length <= HEADER) {
    throw new KeyUnwrapError('Malformed', 'wrapped key is too short');
  }
  const version = wrapped[0]!;
  if (version !== WRAP_FORMAT_VERSION) {
    throw new KeyUnwrapError('UnsupportedVersion', `wrapped key has unknown format version ${version}`);
  }
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey, wrapped.subarray(1, 1 + NONCE), { authTagLength: TAG });
  decipher.setAAD(aadFor(version, context));
  decipher.setAuthTag(wrapped.subarray(1 + NONCE, HEADER));
  const plaintext = decipher.update(wrapped.subarray(HEADER));
  try {
    decipher.final();
  } catch {
    plaintext.fill(0); // unauthenticated: never hand it out
    throw new KeyUnwrapError('AuthFailed', 'wrapped key failed authentication (wrong wrapping key or context)');
  }
  return plaintext;
}

/**
 * HKDF-SHA256 sub-key of `rootKey` for one purpose (see KEY_PURPOSES). Different `info`
 * strings give independent keys, so one root key can serve every service without any
 * service's key revealing another's.
 */
export function deriveKey(rootKey: Buffer, info: string, length = 32): Buffer {
  assertKey(rootKey, 'root key');
  const infoBytes = Buffer.from(info, 'utf8');
  if (infoBytes.length === 0 || infoBytes.length > 1024) throw new RangeError('info must be 1..1024 bytes');
  if (!Number.isSafeInteger(length) || length < 16 || length > 255 * 32) throw new RangeError('length must be 16..8160');
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), infoBytes, length));
}
