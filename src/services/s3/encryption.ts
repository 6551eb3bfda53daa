import { createHash } from 'node:crypto';
import { AwsError } from '../../errors/aws-error.js';
import { s3Error } from '../../errors/s3.js';
import type { Bucket } from '../../store/meta/types.js';
import type { S3Context } from './types.js';

/**
 * Server-side encryption as S3 users see it: the request headers, the bucket's default
 * encryption configuration, and the settings an object is written with once both are
 * resolved. The cryptography itself lives behind the codec (object-codec.ts); handlers only
 * resolve settings and pass them on.
 */

export const SSE_S3 = 'AES256';
export const SSE_KMS = 'aws:kms';
export const SSE_DSSE = 'aws:kms:dsse';
const SSE_VALUES = new Set([SSE_S3, SSE_KMS, SSE_DSSE]);

/** The SSE-C headers of one request (the object's own, or the copy source's), validated. */
export interface CustomerKeyHeaders {
  key: Buffer;
  /** base64 MD5 of the key, as the client sent it. */
  keyMd5: string;
}

/** The encryption headers of a write (PutObject, CopyObject, CreateMultipartUpload). */
export interface SseRequest {
  sse?: string;
  kmsKeyId?: string;
  /** The caller's encryption context (decoded from base64 JSON). */
  context?: Record<string, string>;
  bucketKeyEnabled?: boolean;
  customer?: CustomerKeyHeaders;
}

/** What an object is written with. */
export type EncryptionSettings =
  | { kind: 'sse-s3' }
  | {
    kind: 'sse-kms';
    dsse: boolean;
    /** As the request or bucket named it; undefined: the caller's `aws/s3` key. */
    keyId?: string;
    /** The caller's context; `aws:s3:arn` is added when sealing. */
    context?: Record<string, string>;
    bucketKey: boolean;
  }
  | { kind: 'sse-c'; customer: CustomerKeyHeaders };

/** A bucket's default encryption (PutBucketEncryption), as stored in its config. */
export interface BucketEncryption {
  sseAlgorithm: string;
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
  /** BlockedEncryptionTypes: ['SSE-C'] or ['NONE']. */
  blockedEncryptionTypes: string[];
}

/**
 * What a bucket never configured reports: SSE-S3, no bucket key, and (since April 2026, for
 * every new general purpose bucket) SSE-C writes blocked until PutBucketEncryption allows them.
 */
export function defaultBucketEncryption(): BucketEncryption {
  return { sseAlgorithm: SSE_S3, bucketKeyEnabled: false, blockedEncryptionTypes: ['SSE-C'] };
}

export function bucketEncryptionOf(b: Bucket): BucketEncryption {
  const e = b.config.encryption as BucketEncryption | undefined;
  return e && typeof e === 'object' && typeof e.sseAlgorithm === 'string' ? e : defaultBucketEncryption();
}

/** The encryption an object written with no encryption anywhere reports. */
export function defaultEncryption(): Record<string, string> {
  return { 'x-amz-server-side-encryption': SSE_S3 };
}

// ---- request headers

type Headers = Record<string, string>;

const SSE_C_PREFIX = 'x-amz-server-side-encryption-customer-';
const COPY_SSE_C_PREFIX = 'x-amz-copy-source-server-side-encryption-customer-';

function invalid(message: string, name: string, value: string | undefined): AwsError {
  return s3Error('InvalidArgument', message, { ArgumentName: name, ArgumentValue: value ?? 'null' });
}

/**
 * The SSE-C headers with `prefix` (`x-amz-server-side-encryption-customer-` or its
 * copy-source form), checked as S3 checks them; undefined when none is present.
 */
export function customerKeyFrom(h: Headers, copySource = false): CustomerKeyHeaders | undefined {
  const prefix = copySource ? COPY_SSE_C_PREFIX : SSE_C_PREFIX;
  const algorithm = h[`${prefix}algorithm`];
  const keyB64 = h[`${prefix}key`];
  const md5 = h[`${prefix}key-md5`];
  if (algorithm === undefined && keyB64 === undefined && md5 === undefined) return undefined;
  if (algorithm === undefined) {
    throw invalid('Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.', `${prefix}algorithm`, undefined);
  }
  if (algorithm !== 'AES256') {
    throw s3Error('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', { ArgumentName: `${prefix}algorithm`, ArgumentValue: algorithm });
  }
  if (keyB64 === undefined) {
    throw invalid('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', `${prefix}key`, undefined);
  }
  if (md5 === undefined) {
    throw invalid('Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.', `${prefix}key-MD5`, undefined);
  }
  const key = strictBase64(keyB64);
  if (!key || key.length !== 32) {
    key?.fill(0);
    throw invalid('The secret key was invalid for the specified algorithm.', `${prefix}key`, '');
  }
  const digest = strictBase64(md5);
  const actual = createMd5(key);
  if (!digest || digest.length !== 16 || !digest.equals(actual)) {
    key.fill(0);
    throw invalid('The calculated MD5 hash of the key did not match the hash that was provided.', `${prefix}key-MD5`, md5);
  }
  return { key, keyMd5: actual.toString('base64') };
}

function createMd5(b: Buffer): Buffer {
  return createHash('md5').update(b).digest();
}

function strictBase64(s: string): Buffer | undefined {
  const t = s.trim();
  if (t.length === 0 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, 'base64');
}

/** `x-amz-server-side-encryption-context`: base64 of a JSON object of strings. */
function contextFrom(v: string): Record<string, string> {
  const bad = (): AwsError => invalid('The header \'x-amz-server-side-encryption-context\' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map', 'x-amz-server-side-encryption-context', v);
  const bytes = strictBase64(v);
  if (!bytes) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad();
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(parsed)) {
    if (typeof val !== 'string') throw bad();
    out[k] = val;
  }
  return out;
}

/** The encryption headers of a write request, validated as S3 does. */
export function sseRequestFrom(h: Headers): SseRequest {
  const r: SseRequest = {};
  const sse = h['x-amz-server-side-encryption'];
  const customer = customerKeyFrom(h);
  if (sse !== undefined) {
    if (!SSE_VALUES.has(sse)) throw invalid('The encryption method specified is not supported', 'x-amz-server-side-encryption', sse);
    if (customer) throw invalid('Server Side Encryption with Customer provided key is incompatible with the encryption method specified', 'x-amz-server-side-encryption', sse);
    r.sse = sse;
  }
  if (customer) r.customer = customer;
  const keyId = h['x-amz-server-side-encryption-aws-kms-key-id'];
  const ctxHeader = h['x-amz-server-side-encryption-context'];
  if (keyId !== undefined) {
    if (sse !== SSE_KMS && sse !== SSE_DSSE) {
      throw invalid('x-amz-server-side-encryption-aws-kms-key-id header is only supported when x-amz-server-side-encryption is aws:kms or aws:kms:dsse', 'x-amz-server-side-encryption-aws-kms-key-id', keyId);
    }
    if (keyId.trim() === '') throw invalid('KMS key id must not be empty', 'x-amz-server-side-encryption-aws-kms-key-id', keyId);
    r.kmsKeyId = keyId.trim();
  }
  if (ctxHeader !== undefined) {
    if (sse !== SSE_KMS && sse !== SSE_DSSE) {
      throw invalid('x-amz-server-side-encryption-context header is only supported when x-amz-server-side-encryption is aws:kms or aws:kms:dsse', 'x-amz-server-side-encryption-context', ctxHeader);
    }
    r.context = contextFrom(ctxHeader);
  }
  const bk = h['x-amz-server-side-encryption-bucket-key-enabled'];
  if (bk !== undefined) {
    const v = bk.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') throw invalid('Invalid value for x-amz-server-side-encryption-bucket-key-enabled', 'x-amz-server-side-encryption-bucket-key-enabled', bk);
    r.bucketKeyEnabled = v === 'true';
  }
  return r;
}

// ---- resolution

/** SSE-C travels the key in the request: S3 refuses it over plain HTTP. */
export function requireSecureForCustomerKey(ctx: S3Context, present: boolean): void {
  if (!present || ctx.encryption.secureTransport || ctx.encryption.allowSseCOverHttp) return;
  throw s3Error('InvalidRequest', 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
}

/** The settings a new object (or upload) is written with: the request's headers, else the bucket's default. */
export function resolveWriteEncryption(ctx: S3Context, bucket: Bucket, req: SseRequest | undefined): EncryptionSettings {
  const def = bucketEncryptionOf(bucket);
  if (req?.customer) {
    requireSecureForCustomerKey(ctx, true);
    if (def.blockedEncryptionTypes.includes('SSE-C')) {
      throw s3Error('AccessDenied', 'Requests specifying Server Side Encryption with Customer provided keys are blocked for this bucket by its encryption configuration (BlockedEncryptionTypes).');
    }
    return { kind: 'sse-c', customer: req.customer };
  }
  const kms = (dsse: boolean, keyId: string | undefined, context: Record<string, string> | undefined, bucketKey: boolean): EncryptionSettings => {
    const s: EncryptionSettings = { kind: 'sse-kms', dsse, bucketKey: bucketKey && !dsse };
    if (keyId !== undefined) s.keyId = keyId;
    if (context !== undefined) s.context = context;
    return s;
  };
  if (req?.sse === SSE_KMS || req?.sse === SSE_DSSE) {
    return kms(req.sse === SSE_DSSE, req.kmsKeyId, req.context, req.bucketKeyEnabled ?? def.bucketKeyEnabled);
  }
  if (req?.sse === SSE_S3) return { kind: 'sse-s3' };
  if (def.sseAlgorithm === SSE_KMS || def.sseAlgorithm === SSE_DSSE) {
    return kms(def.sseAlgorithm === SSE_DSSE, def.kmsMasterKeyId, undefined, req?.bucketKeyEnabled ?? def.bucketKeyEnabled);
  }
  return { kind: 'sse-s3' };
}

// ---- reading

/** Internal fields of ObjectVersion.encryption (never sent: only `x-amz-*` keys are headers). */
export const SSE_C_VERIFIER = 'coffer:sse-c-verifier';
export const KMS_CONTEXT = 'coffer:kms-context';
export const UPLOAD_ENVELOPE = 'coffer:envelope';

export function isCustomerKeyObject(record: Record<string, unknown> | undefined): boolean {
  return typeof record?.[SSE_C_VERIFIER] === 'string';
}

/**
 * The SSE-C rules for reading (GET, HEAD, copy source, part copy source): the key is
 * required exactly when the object was stored with one, and must be that key.
 */
export function checkCustomerKeyForRead(ctx: S3Context, record: Record<string, unknown> | undefined, given: CustomerKeyHeaders | undefined): void {
  requireSecureForCustomerKey(ctx, given !== undefined);
  const verifier = record?.[SSE_C_VERIFIER];
  if (typeof verifier !== 'string') {
    if (given) throw s3Error('InvalidRequest', 'The encryption parameters are not applicable to this object.');
    return;
  }
  if (!given) {
    throw s3Error('InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  }
  if (!ctx.codec.customerKeyMatches(verifier, given.key)) throw s3Error('AccessDenied');
}

/** The encryption headers of a response, from the record kept with the object or upload. */
export function encryptionHeaders(record: Record<string, unknown> | undefined, withContext = false): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, val] of Object.entries(record ?? {})) if (typeof val === 'string' && k.startsWith('x-amz-')) h[k] = val;
  const c = record?.[KMS_CONTEXT];
  if (withContext && typeof c === 'string') h['x-amz-server-side-encryption-context'] = c;
  return h;
}
