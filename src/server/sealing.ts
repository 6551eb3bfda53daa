import { deriveKey, KEY_PURPOSES, parseRootKey } from '../crypto/index.js';
import { loadOrCreateRootKeyFile } from '../crypto/root-key-file.js';
import type { ObjectCodec } from '../services/s3/object-codec.js';
import { createObjectCodec } from '../services/s3/sse-codec.js';
import type { Config } from './config.js';

/** The root key (COFFER_MASTER_KEY, else a 0600 key file in the data dir). */
export async function loadRootKey(config: Config): Promise<Buffer> {
  if (config.masterKey) return parseRootKey(config.masterKey);
  return (await loadOrCreateRootKeyFile(config.dataDir)).key;
}

/**
 * Every object is sealed at rest (SSE-S3, SSE-KMS, DSSE-KMS, SSE-C): SSE-S3 data keys are
 * wrapped by a service key, SSE-C verifiers keyed by an HMAC key, both derived from the root key.
 */
export function createSealingCodec(root: Buffer): ObjectCodec {
  return createObjectCodec({ serviceKey: deriveKey(root, KEY_PURPOSES.sseS3ServiceKey), sseCHmacKey: deriveKey(root, KEY_PURPOSES.sseCHmacKey) });
}
