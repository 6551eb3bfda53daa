import { s3Error } from '../../errors/s3.js';
import type { Bucket } from '../../store/meta/types.js';
import { requireBucket } from './buckets.js';
import { findVersion } from './object-lookup.js';
import type { S3Context } from './types.js';

/**
 * Object Ownership and ACLs. New buckets use BucketOwnerEnforced (AWS's default since
 * April 2023): ACLs are disabled, the bucket owner owns every object, and reading an ACL
 * returns the owner's FULL_CONTROL grant. ACL writes other than that grant fail with
 * AccessControlListNotSupported; ACLs on buckets with other settings are not implemented.
 */
export const OWNERSHIP_VALUES = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;

export function ownershipOf(b: Bucket): string {
  return b.config.ownershipControls ?? 'BucketOwnerEnforced';
}

/** Canned ACLs and grants that BucketOwnerEnforced still accepts (they change nothing). */
export function checkAclWrite(b: Bucket, acl: string | undefined, hasGrants: boolean): void {
  if (acl === undefined && !hasGrants) return;
  const harmless = !hasGrants && (acl === 'bucket-owner-full-control' || acl === 'private');
  if (ownershipOf(b) === 'BucketOwnerEnforced') {
    if (!harmless) throw s3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs');
    return;
  }
  if (!harmless) throw s3Error('NotImplemented', 'ACLs other than the owner\'s full control are not implemented by Coffer');
}

export async function getBucketAcl(input: { bucket: string }, ctx: S3Context): Promise<{ ownerAccountId: string }> {
  const b = await requireBucket(ctx, input.bucket);
  return { ownerAccountId: b.ownerAccountId };
}

export async function getObjectAcl(input: { bucket: string; key: string; versionId?: string }, ctx: S3Context): Promise<{ ownerAccountId: string; versionId: string }> {
  const b = await requireBucket(ctx, input.bucket);
  const v = await findVersion(ctx, input.bucket, input.key, input.versionId);
  return { ownerAccountId: ownershipOf(b) === 'BucketOwnerEnforced' ? b.ownerAccountId : v.ownerAccountId, versionId: v.versionId };
}

export async function putBucketAcl(input: { bucket: string; acl?: string; hasGrants: boolean }, ctx: S3Context): Promise<void> {
  const b = await requireBucket(ctx, input.bucket);
  checkAclWrite(b, input.acl, input.hasGrants);
}

export async function putObjectAcl(input: { bucket: string; key: string; versionId?: string; acl?: string; hasGrants: boolean }, ctx: S3Context): Promise<void> {
  const b = await requireBucket(ctx, input.bucket);
  await findVersion(ctx, input.bucket, input.key, input.versionId);
  checkAclWrite(b, input.acl, input.hasGrants);
}

export async function getBucketOwnershipControls(input: { bucket: string }, ctx: S3Context): Promise<{ ownership: string }> {
  const b = await requireBucket(ctx, input.bucket);
  if (!b.config.ownershipControls) throw s3Error('OwnershipControlsNotFoundError', undefined, { BucketName: input.bucket });
  return { ownership: b.config.ownershipControls };
}

export async function putBucketOwnershipControls(input: { bucket: string; ownership: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  if (!(OWNERSHIP_VALUES as readonly string[]).includes(input.ownership)) throw s3Error('MalformedXML');
  await ctx.meta.setBucketConfig(input.bucket, 'ownershipControls', input.ownership);
}

export async function deleteBucketOwnershipControls(input: { bucket: string }, ctx: S3Context): Promise<void> {
  await requireBucket(ctx, input.bucket);
  await ctx.meta.setBucketConfig(input.bucket, 'ownershipControls', undefined);
}
