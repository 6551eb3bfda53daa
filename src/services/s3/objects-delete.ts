import { s3Error } from '../../errors/s3.js';
import { requireBucket } from './buckets.js';
import { releasePieces } from './object-io.js';
import type { S3Context } from './types.js';

export interface DeleteObjectInput { bucket: string; key: string; versionId?: string }
export interface DeleteObjectOutput { versionId?: string; deleteMarker: boolean }

const VERSION_ID_RE = /^(null|[A-Za-z0-9._-]{1,1024})$/;

export async function deleteObject(input: DeleteObjectInput, ctx: S3Context): Promise<DeleteObjectOutput> {
  const bucket = await requireBucket(ctx, input.bucket);
  if (input.versionId !== undefined && !VERSION_ID_RE.test(input.versionId)) {
    throw s3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: input.versionId });
  }
  const r = await ctx.meta.deleteObject(input.bucket, input.key, bucket.versioning, input.versionId, ctx.now(), bucket.ownerAccountId);
  releasePieces(ctx, r.released);
  const out: DeleteObjectOutput = { deleteMarker: r.deleteMarker };
  if (r.versionId !== undefined && (bucket.versioning !== 'Unversioned' || input.versionId !== undefined)) out.versionId = r.versionId;
  return out;
}

export interface DeleteObjectsInput {
  bucket: string;
  quiet: boolean;
  objects: Array<{ key: string; versionId?: string }>;
  /** Indexes of `objects` the caller may not delete: reported per key, as S3 does. */
  denied: Set<number>;
}

export interface DeleteObjectsOutput {
  deleted: Array<{ key: string; versionId?: string; deleteMarker?: boolean; deleteMarkerVersionId?: string }>;
  errors: Array<{ key: string; versionId?: string; code: string; message: string }>;
  quiet: boolean;
}

export async function deleteObjects(input: DeleteObjectsInput, ctx: S3Context): Promise<DeleteObjectsOutput> {
  await requireBucket(ctx, input.bucket);
  if (input.objects.length === 0 || input.objects.length > 1000) throw s3Error('MalformedXML');
  const out: DeleteObjectsOutput = { deleted: [], errors: [], quiet: input.quiet };
  for (const [i, o] of input.objects.entries()) {
    if (input.denied.has(i)) {
      out.errors.push({ key: o.key, versionId: o.versionId, code: 'AccessDenied', message: 'Access Denied' });
      continue;
    }
    try {
      const r = await deleteObject({ bucket: input.bucket, key: o.key, versionId: o.versionId }, ctx);
      const d: DeleteObjectsOutput['deleted'][number] = { key: o.key };
      if (o.versionId !== undefined) {
        d.versionId = o.versionId;
        if (r.deleteMarker) { d.deleteMarker = true; d.deleteMarkerVersionId = o.versionId; }
      } else if (r.deleteMarker) {
        d.deleteMarker = true;
        d.deleteMarkerVersionId = r.versionId;
      }
      out.deleted.push(d);
    } catch (e) {
      const err = e as { code?: string; message?: string; fault?: string };
      if (err.fault === 'server' || !err.code) throw e;
      out.errors.push({ key: o.key, versionId: o.versionId, code: err.code, message: err.message ?? '' });
    }
  }
  return out;
}
