import { s3Error } from '../../errors/s3.js';
import type { ObjectVersion } from '../../store/meta/types.js';
import { readVersion, type S3Context } from './types.js';

const VERSION_ID_RE = /^(null|[A-Za-z0-9._-]{1,1024})$/;

/** Resolves the version a read names, with S3's answers for missing versions and delete markers. */
export async function findVersion(ctx: S3Context, bucket: string, key: string, versionId?: string): Promise<ObjectVersion> {
  if (versionId !== undefined && !VERSION_ID_RE.test(versionId)) throw s3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: versionId });
  const v = await readVersion(ctx, bucket, key, versionId);
  if (!v) {
    if (versionId !== undefined) throw s3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
    throw s3Error('NoSuchKey', undefined, { Key: key });
  }
  if (v.isDeleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': v.versionId, 'Last-Modified': v.lastModified.toUTCString() };
    if (versionId !== undefined) throw s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: 'GET', ResourceType: 'DeleteMarker' }, headers);
    throw s3Error('NoSuchKey', undefined, { Key: key }, headers);
  }
  return v;
}

export function checkReadableStorageClass(v: ObjectVersion): void {
  if (v.storageClass === 'GLACIER' || v.storageClass === 'DEEP_ARCHIVE') {
    throw s3Error('InvalidObjectState', 'The operation is not valid for the object\'s storage class', { StorageClass: v.storageClass });
  }
}

export const STORAGE_CLASSES = new Set([
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE',
  'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE',
]);

export function storageClassOf(value: string | undefined): string {
  if (value === undefined || value === '') return 'STANDARD';
  if (!STORAGE_CLASSES.has(value)) throw s3Error('InvalidStorageClass', undefined, { StorageClassRequested: value });
  return value;
}
