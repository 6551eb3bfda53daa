import { s3Error } from '../../errors/s3.js';
import { StoreConflict } from '../../store/meta/types.js';
import { requireBucket } from './buckets.js';
import { findVersion } from './object-lookup.js';
import { validateTagSet } from './tags.js';
import type { S3Context } from './types.js';

export interface ObjectTaggingInput { bucket: string; key: string; versionId?: string }

export async function getObjectTagging(input: ObjectTaggingInput, ctx: S3Context): Promise<{ versionId: string; tags: Array<[string, string]> }> {
  await requireBucket(ctx, input.bucket);
  const v = await findVersion(ctx, input.bucket, input.key, input.versionId);
  return { versionId: v.versionId, tags: v.tags };
}

async function setTags(input: ObjectTaggingInput, tags: Array<[string, string]>, ctx: S3Context): Promise<{ versionId: string }> {
  await requireBucket(ctx, input.bucket);
  await findVersion(ctx, input.bucket, input.key, input.versionId);
  try {
    return { versionId: await ctx.meta.setObjectTags(input.bucket, input.key, input.versionId, tags) };
  } catch (e) {
    if (e instanceof StoreConflict) throw s3Error('NoSuchKey', undefined, { Key: input.key });
    throw e;
  }
}

export async function putObjectTagging(input: ObjectTaggingInput & { tags: Array<[string, string]> }, ctx: S3Context): Promise<{ versionId: string }> {
  validateTagSet(input.tags, 10);
  return setTags(input, input.tags, ctx);
}

export async function deleteObjectTagging(input: ObjectTaggingInput, ctx: S3Context): Promise<{ versionId: string }> {
  return setTags(input, [], ctx);
}
