import { randomBytes } from 'node:crypto';
import {
  createCustomerKeyVerifier, createDecryptStream, decryptObject, encryptObject, createEncryptStream, DEFAULT_CHUNK_SIZE, deriveKey, generateKey,
  KeyUnwrapError, unwrapDataKeyWithCustomerKey, unwrapKey, verifyCustomerKey, wrapDataKeyWithCustomerKey, wrapKey,
} from '../../crypto/index.js';
import { s3Error } from '../../errors/s3.js';
import type { SealInfo } from '../../store/meta/types.js';
import { defaultEncryption, KMS_CONTEXT, SSE_C_VERIFIER, SSE_DSSE, SSE_KMS, type EncryptionSettings } from './encryption.js';
import type { KeyAccess, ObjectCodec, Prepared, SealRequest } from './object-codec.js';
import type { KmsCaller } from './sse-kms.js';

/**
 * Every piece is sealed in 64 KiB AES-256-GCM chunks bound to the piece id (DESIGN §4), so
 * a ranged read decrypts only the chunks it touches and swapped or truncated chunks are
 * detected. What differs is where the data key comes from:
 *
 * - SSE-S3: a fresh key per piece, wrapped by the service key (derived from the root key).
 * - SSE-KMS: a data key from KMS GenerateDataKey (as the caller) on the object's key with
 *   context {"aws:s3:arn": "<object arn>", ...caller context}; stored as KMS ciphertext.
 *   DSSE-KMS: two independent data keys, two GCM layers per chunk.
 *   With an S3 Bucket Key: the data key is derived (HKDF, per-object salt) from the bucket
 *   key, a KMS data key with context {"aws:s3:arn": "<bucket arn>"}, stored as ciphertext.
 * - SSE-C: a fresh data key wrapped under the customer's key; only a salted HMAC of the
 *   customer key (keyed by a root-derived secret) is kept to recognise it.
 *
 * A multipart upload's envelope is made once (CreateMultipartUpload) and shared by its parts.
 */

interface SseS3Seal extends SealInfo { codec: 'sse-s3'; v: 1; chunkSize: number; wrappedKey: string; aad: string }

interface KmsEnvelope extends SealInfo {
  codec: 'sse-kms';
  v: 1;
  keyArn: string;
  /** Per-object data keys: the context and the KMS ciphertext of each layer's key. */
  context?: Record<string, string>;
  blobs?: string[];
  /** Bucket Key: its ciphertext, the bucket it was made for, the object's derivation salt. */
  bucketKey?: string;
  bucketKeyBucket?: string;
  salt?: string;
}

interface CustomerEnvelope extends SealInfo { codec: 'sse-c'; v: 1; envelopeId: string; wrappedKey: string; verifier: string }

const BUCKET_KEY_INFO = 'coffer/s3/bucket-key/object-key/v1';

export interface CodecKeys {
  /** Wraps SSE-S3 data keys (KEY_PURPOSES.sseS3ServiceKey). */
  serviceKey: Buffer;
  /** Keys the SSE-C verifier HMAC (KEY_PURPOSES.sseCHmacKey). */
  sseCHmacKey: Buffer;
}

function requireKms(access: KeyAccess): KmsCaller {
  const kms = access.services.kms;
  if (!kms) throw s3Error('NotImplemented', 'SSE-KMS needs the KMS service, which is not configured.');
  return kms;
}

const one = (keys: Buffer[]): Buffer | Buffer[] => (keys.length === 1 ? keys[0]! : keys);

export function createObjectCodec(k: CodecKeys): ObjectCodec {
  const s3WrapContext = (aad: string): string => `sse-s3:${aad}`;

  async function unwrapKms(env: KmsEnvelope, access: KeyAccess): Promise<Buffer[]> {
    const kms = requireKms(access);
    if (env.bucketKey !== undefined) {
      const bk = await access.services.bucketKeys.forRead(kms, Buffer.from(env.bucketKey, 'base64'), env.bucketKeyBucket!);
      return [deriveKey(bk.plaintext, `${BUCKET_KEY_INFO}:${env.salt}`)];
    }
    const out: Buffer[] = [];
    for (const b of env.blobs ?? []) out.push((await kms.decrypt(Buffer.from(b, 'base64'), env.context ?? {})).plaintext);
    return out;
  }

  function unwrapCustomer(env: CustomerEnvelope, access: KeyAccess): Buffer[] {
    const key = access.customerKey?.key;
    if (!key) {
      throw s3Error('InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
    }
    if (!verifyCustomerKey(k.sseCHmacKey, key, Buffer.from(env.verifier, 'base64'))) throw s3Error('AccessDenied');
    try {
      return [unwrapDataKeyWithCustomerKey(key, Buffer.from(env.wrappedKey, 'base64'), `sse-c:${env.envelopeId}`)];
    } catch (e) {
      if (e instanceof KeyUnwrapError) throw s3Error('AccessDenied');
      throw e;
    }
  }

  /** The data keys of an envelope, unwrapped at most once per request. */
  function dataKeys(env: SealInfo, access: KeyAccess): Promise<Buffer[]> {
    const id = env['codec'] === 'sse-c'
      ? `c:${(env as CustomerEnvelope).wrappedKey}`
      : `k:${(env as KmsEnvelope).bucketKey ?? ''}:${(env as KmsEnvelope).salt ?? ''}:${((env as KmsEnvelope).blobs ?? []).join(',')}`;
    const memo = access.services.memo;
    let p = memo.get(id);
    if (!p) {
      p = env['codec'] === 'sse-c' ? Promise.resolve().then(() => unwrapCustomer(env as CustomerEnvelope, access)) : unwrapKms(env as KmsEnvelope, access);
      memo.set(id, p);
      p.catch(() => memo.delete(id));
    }
    return p;
  }

  async function prepareKms(s: Extract<EncryptionSettings, { kind: 'sse-kms' }>, target: { bucket: string; key: string }, access: KeyAccess): Promise<Prepared> {
    const kms = requireKms(access);
    const keyId = s.keyId ?? await kms.awsManagedKeyArn();
    const context = { ...(s.context ?? {}), 'aws:s3:arn': `arn:aws:s3:::${target.bucket}/${target.key}` };
    const record: Record<string, unknown> = { 'x-amz-server-side-encryption': s.dsse ? SSE_DSSE : SSE_KMS };
    if (s.context) record[KMS_CONTEXT] = Buffer.from(JSON.stringify(context)).toString('base64');
    if (s.bucketKey) {
      const bk = await access.services.bucketKeys.forWrite(kms, target.bucket, keyId);
      const salt = randomBytes(16).toString('base64');
      const envelope: KmsEnvelope = { codec: 'sse-kms', v: 1, keyArn: bk.keyArn, bucketKey: bk.blob.toString('base64'), bucketKeyBucket: target.bucket, salt };
      record['x-amz-server-side-encryption-aws-kms-key-id'] = bk.keyArn;
      record['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
      return { envelope, record, keys: [deriveKey(bk.plaintext, `${BUCKET_KEY_INFO}:${salt}`)] };
    }
    const keys: Buffer[] = [];
    const blobs: string[] = [];
    let keyArn = '';
    for (let layer = 0; layer < (s.dsse ? 2 : 1); layer++) {
      const r = await kms.generateDataKey(keyId, context);
      keys.push(r.plaintext);
      blobs.push(r.blob.toString('base64'));
      keyArn = r.keyArn;
    }
    record['x-amz-server-side-encryption-aws-kms-key-id'] = keyArn;
    const envelope: KmsEnvelope = { codec: 'sse-kms', v: 1, keyArn, context, blobs };
    return { envelope, record, keys };
  }

  /** The key(s) a new piece is sealed with, and what its seal info records. */
  async function sealKeys(req: SealRequest): Promise<{ keys: Buffer[]; info: SealInfo; zero: boolean }> {
    const env = req.prepared.envelope;
    const aad = `piece:${req.pieceId}`;
    if (env['codec'] === 'sse-s3') {
      // SSE-S3: a fresh data key per piece, wrapped by the service key; zeroed once used.
      const dataKey = generateKey();
      const info: SseS3Seal = { codec: 'sse-s3', v: 1, chunkSize: DEFAULT_CHUNK_SIZE, wrappedKey: wrapKey(k.serviceKey, dataKey, s3WrapContext(aad)).toString('base64'), aad };
      return { keys: [dataKey], info, zero: true };
    }
    const keys = req.prepared.keys ?? await dataKeys(env, req.access);
    return { keys, info: { ...env, chunkSize: DEFAULT_CHUNK_SIZE, aad }, zero: false };
  }

  /** The data key(s) of a stored piece: unwrapped locally (SSE-S3) or through KMS / the customer key. */
  async function keysFor(seal: SealInfo, access: KeyAccess): Promise<Buffer[]> {
    const codec = seal['codec'];
    if (codec === 'sse-s3') {
      const s = seal as SseS3Seal;
      return [unwrapKey(k.serviceKey, Buffer.from(s.wrappedKey, 'base64'), s3WrapContext(s.aad))];
    }
    if (codec === 'sse-kms' || codec === 'sse-c') return dataKeys(seal, access);
    throw new Error(`unknown seal codec ${String(codec)}`);
  }

  return {
    async prepare(settings, target, access) {
      if (settings.kind === 'sse-s3') return { envelope: { codec: 'sse-s3' }, record: defaultEncryption() };
      if (settings.kind === 'sse-kms') return prepareKms(settings, target, access);
      const { key, keyMd5 } = settings.customer;
      const dataKey = generateKey();
      const envelopeId = randomBytes(16).toString('hex');
      const envelope: CustomerEnvelope = {
        codec: 'sse-c',
        v: 1,
        envelopeId,
        wrappedKey: wrapDataKeyWithCustomerKey(key, dataKey, `sse-c:${envelopeId}`).toString('base64'),
        verifier: createCustomerKeyVerifier(k.sseCHmacKey, key).toString('base64'),
      };
      const record = {
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
        'x-amz-server-side-encryption-customer-key-MD5': keyMd5,
        [SSE_C_VERIFIER]: envelope.verifier,
      };
      return { envelope, record, keys: [dataKey] };
    },

    async seal(req) {
      const { keys, info, zero } = await sealKeys(req);
      const stream = createEncryptStream(one(keys), { chunkSize: DEFAULT_CHUNK_SIZE, aad: info['aad'] as string });
      if (zero) keys[0]!.fill(0);
      return { stream, info: () => info };
    },

    async sealInline(req, plaintext) {
      const { keys, info, zero } = await sealKeys(req);
      try {
        return { stored: encryptObject(one(keys), plaintext, { chunkSize: DEFAULT_CHUNK_SIZE, aad: info['aad'] as string }), info };
      } finally {
        if (zero) keys[0]!.fill(0);
      }
    },

    async open(seal, plainLength, range, access) {
      const codec = seal['codec'];
      if (codec === 'plain') return range ? { storedRange: range, stream: null } : { stream: null };
      const keys = await keysFor(seal, access);
      const d = createDecryptStream(one(keys), { chunkSize: seal['chunkSize'] as number, aad: seal['aad'] as string, plaintextLength: plainLength, range });
      if (codec === 'sse-s3') keys[0]!.fill(0);
      return { storedRange: d.ciphertextRange, stream: d.stream };
    },

    async openInline(seal, plainLength, range, access, stored) {
      const codec = seal['codec'];
      if (codec === 'plain') return range ? stored.subarray(range.start, range.end + 1) : stored;
      const keys = await keysFor(seal, access);
      try {
        return decryptObject(one(keys), stored, { chunkSize: seal['chunkSize'] as number, aad: seal['aad'] as string, plaintextLength: plainLength, range });
      } finally {
        if (codec === 'sse-s3') keys[0]!.fill(0);
      }
    },

    customerKeyMatches(verifier, key) {
      return verifyCustomerKey(k.sseCHmacKey, key, Buffer.from(verifier, 'base64'));
    },
  };
}
