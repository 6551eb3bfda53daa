// SSE-C: the customer sends its own AES-256 key with each request. Coffer never stores it:
// it keeps a salted HMAC to recognise the key again, and the object's data key wrapped
// under it, so the object cannot be read without the customer presenting the key.
//
// Why an HMAC keyed by a server secret (deriveKey(root, KEY_PURPOSES.sseCHmacKey)) rather
// than a plain salted hash: someone holding a copy of the metadata alone cannot even test a
// guessed key against it. The random salt makes equal customer keys give unequal records.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64Strict } from './base64.js';
import { CustomerKeyError } from './errors.js';
import { deriveKey, unwrapKey, wrapKey } from './key-wrap.js';
import { draw, systemRandom, type RandomSource } from './random.js';

/** The only value S3 accepts in x-amz-server-side-encryption-customer-algorithm. */
export const SSE_C_ALGORITHM = 'AES256';
const VERIFIER_VERSION = 1;
const SALT = 16;
const MAC = 32;
/** u8 version ‖ salt(16) ‖ HMAC-SHA256(hmacKey, salt ‖ customerKey)(32) */
export const CUSTOMER_KEY_VERIFIER_LENGTH = 1 + SALT + MAC;
const WRAP_INFO = 'coffer/sse-c/data-key-wrap/v1';

/**
 * Validates the customer-key headers: `keyBase64` must be base64 of 32 bytes and
 * `keyMd5Base64` base64 of its MD5. Returns the key; throws CustomerKeyError otherwise.
 */
export function parseCustomerKey(keyBase64: string, keyMd5Base64: string): Buffer {
  const key = decodeBase64Strict(keyBase64);
  if (key === null || key.length !== 32) {
    key?.fill(0);
    throw new CustomerKeyError('InvalidKey', 'The secret key was invalid for the specified algorithm.');
  }
  const md5 = decodeBase64Strict(keyMd5Base64);
  if (md5 === null || md5.length !== 16) {
    key.fill(0);
    throw new CustomerKeyError('InvalidKeyMd5', 'The customer-key MD5 is not the base64 of a 16-byte digest.');
  }
  // The digest is not secret, but comparing in constant time costs nothing.
  if (!timingSafeEqual(createHash('md5').update(key).digest(), md5)) {
    key.fill(0);
    throw new CustomerKeyError('Md5Mismatch', 'The calculated MD5 hash of the key did not match the hash that was provided.');
  }
  return key;
}

function mac(hmacKey: Buffer, salt: Buffer, customerKey: Buffer): Buffer {
  if (!Buffer.isBuffer(hmacKey) || hmacKey.length < 32) throw new RangeError('hmacKey must be at least 32 bytes');
  if (!Buffer.isBuffer(customerKey) || customerKey.length !== 32) throw new RangeError('customer key must be 32 bytes');
  return createHmac('sha256', hmacKey).update(salt).update(customerKey).digest();
}

/** The record to store with the object version (49 bytes) instead of the key. */
export function createCustomerKeyVerifier(
  hmacKey: Buffer,
  customerKey: Buffer,
  random: RandomSource = systemRandom,
): Buffer {
  const salt = draw(random, SALT);
  const out = Buffer.allocUnsafe(CUSTOMER_KEY_VERIFIER_LENGTH);
  out[0] = VERIFIER_VERSION;
  salt.copy(out, 1);
  mac(hmacKey, salt, customerKey).copy(out, 1 + SALT);
  return out;
}

/** Whether `customerKey` is the key the verifier was made from; constant time in the key. */
export function verifyCustomerKey(hmacKey: Buffer, customerKey: Buffer, verifier: Buffer): boolean {
  if (!Buffer.isBuffer(verifier) || verifier.length !== CUSTOMER_KEY_VERIFIER_LENGTH || verifier[0] !== VERIFIER_VERSION) {
    return false;
  }
  const expected = verifier.subarray(1 + SALT);
  return timingSafeEqual(mac(hmacKey, verifier.subarray(1, 1 + SALT), customerKey), expected);
}

/**
 * Wraps the object's data key under (a sub-key of) the customer key. `context` identifies
 * the object version, e.g. "sse-c:bucket/key/versionId".
 */
export function wrapDataKeyWithCustomerKey(
  customerKey: Buffer,
  dataKey: Buffer,
  context: string,
  random: RandomSource = systemRandom,
): Buffer {
  return wrapKey(deriveKey(customerKey, WRAP_INFO), dataKey, context, random);
}

/** Throws KeyUnwrapError('AuthFailed') when the customer key or context is not the one used to wrap. */
export function unwrapDataKeyWithCustomerKey(customerKey: Buffer, wrapped: Buffer, context: string): Buffer {
  return unwrapKey(deriveKey(customerKey, WRAP_INFO), wrapped, context);
}
