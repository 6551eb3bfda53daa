import { s3Error } from '../../errors/s3.js';
import { StoreConflict, type Bucket, type VersioningStatus } from '../../store/meta/types.js';
import { bucketNameProblem } from './bucket-names.js';
import { validateTagSet } from './tags.js';
import type { S3Context } from './types.js';

export async function requireBucket(ctx: S3Context, name: string): Promise<Bucket> {
  const b = await ctx.meta.getBucket(name);
  if (!b) throw s3Error('NoSuchBucket', undefined, { BucketName: name });
  return b;
}

export interface ListBucketsInput { maxBuckets?: number; continuationToken?: string; prefix?: string; bucketRegion?: string }
export interface ListBucketsOutput { buckets: Bucket[]; ownerAccountId: string; continuationToken?: string; prefix?: string }

export async function listBuckets(input: ListBucketsInput, ctx: S3Context): Promise<ListBucketsOutput> {
  let all = await ctx.meta.listBuckets(ctx.principal.accountId);
  if (input.prefix) all = all.filter((b) => b.name.startsWith(input.prefix!));
  if (input.bucketRegion) all = all.filter((b) => b.region === input.bucketRegion);
  if (input.continuationToken) {
    const after = Buffer.from(input.continuationToken, 'base64url').toString('utf8');
    all = all.filter((b) => b.name > after);
  }
  const out: ListBucketsOutput = { buckets: all, ownerAccountId: ctx.principal.accountId, prefix: input.prefix };
  if (input.maxBuckets !== undefined && all.length > input.maxBuckets) {
    out.buckets = all.slice(0, input.maxBuckets);
    out.continuationToken = Buffer.from(out.buckets[out.buckets.length - 1]!.name).toString('base64url');
  }
  return out;
}

export interface CreateBucketInput { bucket: string; locationConstraint?: string; objectOwnership?: string; acl?: string }

export async function createBucket(input: CreateBucketInput, ctx: S3Context): Promise<{ location: string }> {
  const problem = bucketNameProblem(input.bucket);
  if (problem) throw s3Error('InvalidBucketName', problem, { BucketName: input.bucket });
  const region = ctx.settings.region;
  const lc = input.locationConstraint;
  if (lc !== undefined && lc !== '') {
    if (region === 'us-east-1' && lc === 'us-east-1') throw s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: lc });
    if (lc !== region) {
      throw s3Error('IllegalLocationConstraintException', `The ${lc} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
  } else if (region !== 'us-east-1') {
    throw s3Error('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
  }
  const ownership = input.objectOwnership ?? 'BucketOwnerEnforced';
  if (!['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership)) {
    throw s3Error('InvalidArgument', 'Invalid x-amz-object-ownership header: ' + ownership);
  }
  if (ownership === 'BucketOwnerEnforced' && input.acl && input.acl !== 'private' && input.acl !== 'bucket-owner-full-control') {
    throw s3Error('InvalidBucketAclWithObjectOwnership', 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting');
  }
  try {
    await ctx.meta.createBucket({
      name: input.bucket,
      ownerAccountId: ctx.principal.accountId,
      region,
      createdAt: ctx.now(),
      versioning: 'Unversioned',
      config: { ownershipControls: ownership },
    });
  } catch (e) {
    if (!(e instanceof StoreConflict)) throw e;
    const existing = await ctx.meta.getBucket(input.bucket);
    if (existing?.ownerAccountId !== ctx.principal.accountId) throw s3Error('BucketAlreadyExists', undefined, { BucketName: input.bucket });
    // us-east-1 keeps its legacy answer: re-creating your own bucket succeeds.
    if (region !== 'us-east-1') throw s3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: input.bucket });
  }
  return { location: `/${input.bucket}` };
}

export async function headBucket(input: { bucket: string }, ctx: S3Context): Promise<{ region: string }> {
  const b = await requireBucket(ctx, input.bucket);
  return { region: b.region };
}

export async function deleteBucket(input: { bucket: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  try {
    await ctx.meta.deleteBucket(input.bucket);
  } catch (e) {
    if (e instanceof StoreConflict && e.reason === 'not-empty') throw s3Error('BucketNotEmpty', undefined, { BucketName: input.bucket });
    if (e instanceof StoreConflict && e.reason === 'not-found') throw s3Error('NoSuchBucket', undefined, { BucketName: input.bucket });
    throw e;
  }
}

export async function getBucketLocation(input: { bucket: string }, ctx: S3Context): Promise<{ region: string }> {
  const b = await requireBucket(ctx, input.bucket);
  return { region: b.region };
}

export async function getBucketVersioning(input: { bucket: string }, ctx: S3Context): Promise<{ status: VersioningStatus }> {
  const b = await requireBucket(ctx, input.bucket);
  return { status: b.versioning };
}

export interface PutBucketVersioningInput { bucket: string; status?: string; mfaDelete?: string }

export async function putBucketVersioning(input: PutBucketVersioningInput, ctx: S3Context): Promise<void> {
  const b = await requireBucket(ctx, input.bucket);
  if (input.mfaDelete === 'Enabled') throw s3Error('NotImplemented', 'MFA Delete is not supported');
  if (input.status !== 'Enabled' && input.status !== 'Suspended') {
    // S3 accepts a document without Status as a no-op.
    if (input.status === undefined) return;
    throw s3Error('MalformedXML');
  }
  if (b.versioning === input.status) return;
  await ctx.meta.setBucketVersioning(input.bucket, input.status);
}

export async function getBucketTagging(input: { bucket: string }, ctx: S3Context): Promise<{ tags: Array<[string, string]> }> {
  const b = await requireBucket(ctx, input.bucket);
  if (!b.config.tagging) throw s3Error('NoSuchTagSet', undefined, { BucketName: input.bucket });
  return { tags: b.config.tagging };
}

export async function putBucketTagging(input: { bucket: string; tags: Array<[string, string]> }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  validateTagSet(input.tags, 50);
  await ctx.meta.setBucketConfig(input.bucket, 'tagging', input.tags);
}

export async function deleteBucketTagging(input: { bucket: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'tagging', undefined);
}
