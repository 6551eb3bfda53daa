// The root key: the one secret from which everything at rest hangs (KMS key material is
// stored wrapped by it; the SSE-S3 service key and the SSE-C HMAC key are derived from it).
//
// RootKeyProvider is the seam for keeping the root key outside the process later (for
// example HashiCorp Vault's transit engine exposes exactly encrypt/decrypt with a context).
// Everything that only needs wrap/unwrap should go through it; deriveKey(rootKey, ...) is
// for the local case, and a remote provider would instead store randomly generated service
// keys wrapped by the provider.
import { decodeBase64Strict } from './base64.js';
import { RootKeyError } from './errors.js';
import { deriveKey, KEY_PURPOSES, unwrapKey, wrapKey } from './key-wrap.js';
import { systemRandom, type RandomSource } from './random.js';

export const ROOT_KEY_LENGTH = 32;

export interface RootKeyProvider {
  /** Seals key material; `aad` names what it is for and must be given again to unwrap. */
  wrap(plaintext: Buffer, aad: string): Promise<Buffer>;
  /** Rejects with KeyUnwrapError when the blob, the aad or the root key does not match. */
  unwrap(blob: Buffer, aad: string): Promise<Buffer>;
}

/**
 * Parses a base64 root key such as COFFER_MASTER_KEY (standard or URL-safe alphabet,
 * padding optional, surrounding whitespace ignored). Throws RootKeyError unless it
 * decodes to exactly 32 bytes. Messages never echo the value: it is a secret.
 */
export function parseRootKey(value: string, source = 'COFFER_MASTER_KEY'): Buffer {
  const key = decodeBase64Strict(value);
  if (key === null) {
    throw new RootKeyError(
      'InvalidBase64',
      `${source} is not valid base64; generate a key with: openssl rand -base64 32`,
    );
  }
  if (key.length !== ROOT_KEY_LENGTH) {
    key.fill(0);
    throw new RootKeyError(
      'WrongLength',
      `${source} must decode to exactly ${ROOT_KEY_LENGTH} bytes, got ${key.length}; generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

/**
 * The in-process provider. It keeps only a sub-key derived for wrapping, so blobs it
 * produces are separated from every other use of the root key.
 */
export function createLocalRootKeyProvider(
  rootKey: Buffer,
  options: { random?: RandomSource } = {},
): RootKeyProvider {
  const wrappingKey = deriveKey(rootKey, KEY_PURPOSES.rootKeyWrap);
  const random = options.random ?? systemRandom;
  return {
    // async so that synchronous throws become rejections, as a remote provider's would
    wrap: async (plaintext, aad) => wrapKey(wrappingKey, plaintext, aad, random),
    unwrap: async (blob, aad) => unwrapKey(wrappingKey, blob, aad),
  };
}
