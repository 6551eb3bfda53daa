import { s3Error } from '../../errors/s3.js';
import { requireBucket } from './buckets.js';
import { bucketEncryptionOf, defaultBucketEncryption, SSE_DSSE, SSE_KMS, SSE_S3, type BucketEncryption } from './encryption.js';
import type { S3Context } from './types.js';

/**
 * Bucket default encryption (PutBucketEncryption and friends). Every bucket has one: a
 * bucket never configured (or whose configuration was deleted) reports SSE-S3 with SSE-C
 * blocked, as new AWS buckets do since April 2026. S3 does not check the KMS key here: it is
 * resolved, as the writer, when an object is written.
 */
const ALGORITHMS = new Set([SSE_S3, SSE_KMS, SSE_DSSE]);
const ENCRYPTION_TYPES = new Set(['NONE', 'SSE-C']);

export function validateBucketEncryption(e: BucketEncryption): BucketEncryption {
  if (!ALGORITHMS.has(e.sseAlgorithm)) throw s3Error('MalformedXML');
  if (e.kmsMasterKeyId !== undefined && e.sseAlgorithm === SSE_S3) {
    throw s3Error('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: 'ApplyServerSideEncryptionByDefault' });
  }
  for (const t of e.blockedEncryptionTypes) if (!ENCRYPTION_TYPES.has(t)) throw s3Error('MalformedXML');
  if (e.blockedEncryptionTypes.includes('NONE') && e.blockedEncryptionTypes.length > 1) {
    throw s3Error('InvalidArgument', 'NONE cannot be combined with other encryption types in BlockedEncryptionTypes', { ArgumentName: 'BlockedEncryptionTypes' });
  }
  return e;
}

export async function putBucketEncryption(input: { bucket: string; config: BucketEncryption }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'encryption', validateBucketEncryption(input.config));
}

export async function getBucketEncryption(input: { bucket: string }, ctx: S3Context): Promise<BucketEncryption> {
  return bucketEncryptionOf(await requireBucket(ctx, input.bucket));
}

/** Back to the default: SSE-S3, SSE-C blocked. */
export async function deleteBucketEncryption(input: { bucket: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'encryption', undefined);
}

export { defaultBucketEncryption };
