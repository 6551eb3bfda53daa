import type { AccessRequest } from '../../authz/access.js';
import type { SseRequest } from './encryption.js';
import { readVersion, type S3Context } from './types.js';

/**
 * The S3 condition keys an operation supplies (Service Authorization Reference, "Condition
 * keys for Amazon S3"), built from the decoded input and, for existing-object keys, the
 * object's current state.
 */
type Conditions = NonNullable<AccessRequest['conditions']>;

export function requestTagKeys(tags: Array<[string, string]>, prefix: 's3:RequestObjectTag' | 'aws:RequestTag'): Conditions {
  const c: Conditions = {};
  for (const [k, v] of tags) c[`${prefix}/${k}`] = v;
  const keysName = prefix === 'aws:RequestTag' ? 'aws:TagKeys' : 's3:RequestObjectTagKeys';
  c[keysName] = tags.map(([k]) => k);
  return c;
}

export interface WriteKeysInput {
  tags?: Array<[string, string]>;
  storageClass?: string;
  acl?: string;
  /** Only the headers the request carries: a bucket default supplies no condition key, as in S3. */
  sse?: SseRequest;
}

export function objectWriteKeys(i: WriteKeysInput): Conditions {
  const c: Conditions = {};
  if (i.tags?.length) Object.assign(c, requestTagKeys(i.tags, 's3:RequestObjectTag'));
  if (i.storageClass !== undefined) c['s3:x-amz-storage-class'] = i.storageClass;
  if (i.acl !== undefined) c['s3:x-amz-acl'] = i.acl;
  if (i.sse?.sse !== undefined) c['s3:x-amz-server-side-encryption'] = i.sse.sse;
  if (i.sse?.kmsKeyId !== undefined) c['s3:x-amz-server-side-encryption-aws-kms-key-id'] = i.sse.kmsKeyId;
  if (i.sse?.customer) c['s3:x-amz-server-side-encryption-customer-algorithm'] = 'AES256';
  return c;
}

/** s3:ExistingObjectTag/<key> for the version a request names, when it exists. */
export async function existingObjectKeys(ctx: S3Context, bucket: string, key: string, versionId?: string): Promise<Conditions> {
  const c: Conditions = {};
  if (versionId !== undefined) c['s3:VersionId'] = versionId;
  const v = await readVersion(ctx, bucket, key, versionId);
  if (v && !v.isDeleteMarker) for (const [k, val] of v.tags) c[`s3:ExistingObjectTag/${k}`] = val;
  return c;
}
