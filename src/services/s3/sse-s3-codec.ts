import { createDecryptStream, createEncryptStream, DEFAULT_CHUNK_SIZE, generateKey, unwrapKey, wrapKey } from '../../crypto/index.js';
import type { SealInfo } from '../../store/meta/types.js';
import type { ObjectCodec } from './object-codec.js';

/**
 * SSE-S3: every piece gets a fresh 256-bit data key, wrapped by the service key; content is
 * sealed in 64 KiB AES-256-GCM chunks bound to the piece id, so a ranged read decrypts only
 * the chunks it touches and swapped or truncated chunks are detected.
 */
interface SseS3Seal extends SealInfo {
  codec: 'sse-s3';
  v: 1;
  chunkSize: number;
  wrappedKey: string;
  aad: string;
}

export function createSseS3Codec(serviceKey: Buffer): ObjectCodec {
  const wrapContext = (aad: string): string => `sse-s3:${aad}`;
  return {
    async seal(req) {
      const dataKey = generateKey();
      const aad = `piece:${req.pieceId}`;
      const info: SseS3Seal = {
        codec: 'sse-s3',
        v: 1,
        chunkSize: DEFAULT_CHUNK_SIZE,
        wrappedKey: wrapKey(serviceKey, dataKey, wrapContext(aad)).toString('base64'),
        aad,
      };
      const stream = createEncryptStream(dataKey, { chunkSize: DEFAULT_CHUNK_SIZE, aad });
      dataKey.fill(0);
      return { stream, info: () => info };
    },
    async open(seal, plainLength, range) {
      if (seal['codec'] === 'plain') return range ? { storedRange: range, stream: null } : { stream: null };
      const s = seal as SseS3Seal;
      const dataKey = unwrapKey(serviceKey, Buffer.from(s.wrappedKey, 'base64'), wrapContext(s.aad));
      const d = createDecryptStream(dataKey, { chunkSize: s.chunkSize, aad: s.aad, plaintextLength: plainLength, range });
      dataKey.fill(0);
      return { storedRange: d.ciphertextRange, stream: d.stream };
    },
  };
}
