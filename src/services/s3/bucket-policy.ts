import { isPublicPolicy } from '../../authz/public-policy.js';
import { s3Error } from '../../errors/s3.js';
import { parsePolicy, validatePolicy } from '../../policy/index.js';
import { requireBucket } from './buckets.js';
import { publicAccessBlockOf } from '../../authz/public-access-block.js';
import type { S3Context } from './types.js';

export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

/** The checks S3 makes on a bucket policy before it stores it (`MalformedPolicy`). */
export function checkBucketPolicy(bucket: string, text: string): void {
  if (Buffer.byteLength(text) > MAX_BUCKET_POLICY_BYTES) throw s3Error('PolicyTooLarge', 'Policies must be less than 20 KB');
  if (!text.trimStart().startsWith('{')) throw s3Error('MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\'');
  const { document, errors } = parsePolicy(text);
  if (!document || errors.length) throw s3Error('MalformedPolicy', errors[0]?.message ?? 'This policy contains invalid Json');
  const v = validatePolicy(document, 'resource');
  if (v.errors.length) throw s3Error('MalformedPolicy', v.errors[0]!.message);
  for (const s of document.statements) {
    for (const a of [...(s.action ?? []), ...(s.notAction ?? [])]) {
      if (a !== '*' && !a.toLowerCase().startsWith('s3:')) throw s3Error('MalformedPolicy', 'Policy has invalid action');
    }
    for (const r of [...(s.resource ?? []), ...(s.notResource ?? [])]) {
      const ok = r === '*' || r === `arn:aws:s3:::${bucket}` || r.startsWith(`arn:aws:s3:::${bucket}/`)
        // A wildcard that can only reach this bucket's resources is accepted too.
        || /^arn:aws:s3:::[^/]*[*?]/.test(r);
      if (!ok) throw s3Error('MalformedPolicy', 'Policy has invalid resource');
    }
  }
}

export async function putBucketPolicy(input: { bucket: string; policy: string }, ctx: S3Context): Promise<void> {
  const b = await requireBucket(ctx, input.bucket);
  checkBucketPolicy(input.bucket, input.policy);
  const pab = publicAccessBlockOf(b);
  if (pab.BlockPublicPolicy && isPublicPolicy(parsePolicy(input.policy).document!)) {
    throw s3Error('AccessDenied', 'User is not authorized to perform: s3:PutBucketPolicy because public policies are blocked by the BlockPublicPolicy block public access setting.');
  }
  await ctx.meta.setBucketConfig(input.bucket, 'policy', input.policy);
}

export async function getBucketPolicy(input: { bucket: string }, ctx: S3Context): Promise<{ policy: string }> {
  const b = await requireBucket(ctx, input.bucket);
  if (!b.config.policy) throw s3Error('NoSuchBucketPolicy', undefined, { BucketName: input.bucket });
  return { policy: b.config.policy };
}

export async function deleteBucketPolicy(input: { bucket: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'policy', undefined);
}

export async function getBucketPolicyStatus(input: { bucket: string }, ctx: S3Context): Promise<{ isPublic: boolean }> {
  const b = await requireBucket(ctx, input.bucket);
  if (!b.config.policy) throw s3Error('NoSuchBucketPolicy', undefined, { BucketName: input.bucket });
  return { isPublic: isPublicPolicy(parsePolicy(b.config.policy).document!) };
}
