// Public API of the crypto library. Pure: no file or network I/O (root-key-file.ts, which
// reads and writes the root key file, is imported by its own path on purpose).
export * from './errors.js';
export type { RandomSource } from './random.js';
export { systemRandom, generateKey } from './random.js';
export {
  TAG_LENGTH,
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  MAX_LAYERS,
  chunkStride,
  chunkCount,
  chunkPlaintextLength,
  chunkCiphertextOffset,
  ciphertextLength,
  plaintextLengthFor,
  planDecrypt,
} from './chunk-layout.js';
export type { ByteRange, DecryptPlan } from './chunk-layout.js';
export { FORMAT_VERSION as OBJECT_FORMAT_VERSION } from './chunk-seal.js';
export {
  createEncryptStream,
  createDecryptStream,
  encryptObject,
  decryptObject,
  layerCount,
} from './object-cipher.js';
export type { DataKeys, EncryptOptions, DecryptOptions, DecryptStream } from './object-cipher.js';
export {
  WRAP_FORMAT_VERSION,
  MAX_WRAPPED_PLAINTEXT,
  KEY_PURPOSES,
  wrapKey,
  unwrapKey,
  wrappedKeyLength,
  deriveKey,
} from './key-wrap.js';
export { ROOT_KEY_LENGTH, parseRootKey, createLocalRootKeyProvider } from './root-key.js';
export type { RootKeyProvider } from './root-key.js';
export {
  SSE_C_ALGORITHM,
  CUSTOMER_KEY_VERIFIER_LENGTH,
  parseCustomerKey,
  createCustomerKeyVerifier,
  verifyCustomerKey,
  wrapDataKeyWithCustomerKey,
  unwrapDataKeyWithCustomerKey,
} from './sse-c.js';

export { createStringSealer } from './secret-codec.js';
export type { StringSealer } from './secret-codec.js';
