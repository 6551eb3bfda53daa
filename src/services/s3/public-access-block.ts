import { s3Error } from '../../errors/s3.js';
import { publicAccessBlockOf, type PublicAccessBlock } from '../../authz/public-access-block.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './types.js';

export async function putPublicAccessBlock(input: { bucket: string; config: PublicAccessBlock }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'publicAccessBlock', input.config);
}

export async function getPublicAccessBlock(input: { bucket: string }, ctx: S3Context): Promise<PublicAccessBlock> {
  const b = await requireBucket(ctx, input.bucket);
  if (!b.config.publicAccessBlock) throw s3Error('NoSuchPublicAccessBlockConfiguration', undefined, { BucketName: input.bucket });
  return publicAccessBlockOf(b);
}

export async function deletePublicAccessBlock(input: { bucket: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'publicAccessBlock', undefined);
}

export { PAB_FIELDS, publicAccessBlockOf, type PublicAccessBlock } from '../../authz/public-access-block.js';
