import type { AccessRequest } from '../../authz/access.js';
import type { S3OperationName } from '../../protocols/restxml/s3/operation-names.js';
import * as B from './buckets.js';
import * as L from './listing.js';
import * as M from './multipart.js';
import * as R from './objects-read.js';
import * as W from './objects-write.js';
import * as D from './objects-delete.js';
import * as T from './object-tagging.js';
import * as P from './bucket-policy.js';
import * as PAB from './public-access-block.js';
import * as O from './ownership.js';
import * as E from './bucket-encryption.js';
import type { BucketEncryption } from './encryption.js';
import type { S3Context } from './types.js';
import { existingObjectKeys, objectWriteKeys, requestTagKeys } from './condition-keys.js';

/**
 * The S3 operations Coffer implements, as data: what each needs permission for and the
 * handler that does it. Routing, authorization, audit and NotImplemented derive from this.
 */
export interface S3Operation<I, O> {
  name: S3OperationName;
  /** May read the store (for s3:ExistingObjectTag/…); never decides. */
  access(input: I, ctx: S3Context): AccessRequest[] | Promise<AccessRequest[]>;
  /** Denials are passed to the handler per request instead of failing the call. */
  partialAccess?: (input: I, denied: Set<number>) => void;
  handler(input: I, ctx: S3Context): Promise<O>;
}

const bucketArn = (b: string): string => `arn:aws:s3:::${b}`;
const objectArn = (b: string, k: string): string => `arn:aws:s3:::${b}/${k}`;
const onBucket = (action: string, bucket: string, conditions?: AccessRequest['conditions']): AccessRequest =>
  conditions ? { action, resource: bucketArn(bucket), bucket, conditions } : { action, resource: bucketArn(bucket), bucket };
const onObject = (action: string, bucket: string, key: string, conditions?: AccessRequest['conditions']): AccessRequest =>
  conditions ? { action, resource: objectArn(bucket, key), bucket, conditions } : { action, resource: objectArn(bucket, key), bucket };
const versioned = (base: string, versionId: string | undefined): string => (versionId === undefined ? base : base.replace(/^s3:(Get|Delete)Object/, 's3:$1ObjectVersion'));

function op<I, O>(o: S3Operation<I, O>): S3Operation<I, O> {
  return o;
}

function listConditions(i: L.ListObjectsInput): AccessRequest['conditions'] {
  const c: Record<string, string> = { 's3:prefix': i.prefix, 's3:max-keys': String(i.maxKeys) };
  if (i.delimiter !== undefined) c['s3:delimiter'] = i.delimiter;
  return c;
}

export const S3_OPERATIONS = [
  op<B.ListBucketsInput, B.ListBucketsOutput>({ name: 'ListBuckets', access: () => [{ action: 's3:ListAllMyBuckets', resource: 'arn:aws:s3:::*' }], handler: B.listBuckets }),
  op<B.CreateBucketInput, { location: string }>({
    name: 'CreateBucket',
    access: (i) => {
      const c: Record<string, string> = {};
      if (i.locationConstraint) c['s3:LocationConstraint'] = i.locationConstraint;
      if (i.acl !== undefined) c['s3:x-amz-acl'] = i.acl;
      if (i.objectOwnership !== undefined) c['s3:x-amz-object-ownership'] = i.objectOwnership;
      return [{ action: 's3:CreateBucket', resource: bucketArn(i.bucket), conditions: c }];
    },
    handler: B.createBucket,
  }),
  op<{ bucket: string }, { region: string }>({ name: 'HeadBucket', access: (i) => [onBucket('s3:ListBucket', i.bucket)], handler: B.headBucket }),
  op<{ bucket: string }, void>({ name: 'DeleteBucket', access: (i) => [onBucket('s3:DeleteBucket', i.bucket)], handler: B.deleteBucket }),
  op<{ bucket: string }, { region: string }>({ name: 'GetBucketLocation', access: (i) => [onBucket('s3:GetBucketLocation', i.bucket)], handler: B.getBucketLocation }),
  op<{ bucket: string }, { status: string }>({ name: 'GetBucketVersioning', access: (i) => [onBucket('s3:GetBucketVersioning', i.bucket)], handler: B.getBucketVersioning }),
  op<B.PutBucketVersioningInput, void>({ name: 'PutBucketVersioning', access: (i) => [onBucket('s3:PutBucketVersioning', i.bucket)], handler: B.putBucketVersioning }),
  op<{ bucket: string }, { tags: Array<[string, string]> }>({ name: 'GetBucketTagging', access: (i) => [onBucket('s3:GetBucketTagging', i.bucket)], handler: B.getBucketTagging }),
  op<{ bucket: string; tags: Array<[string, string]> }, void>({ name: 'PutBucketTagging', access: (i) => [onBucket('s3:PutBucketTagging', i.bucket, requestTagKeys(i.tags, 'aws:RequestTag'))], handler: B.putBucketTagging }),
  op<{ bucket: string }, void>({ name: 'DeleteBucketTagging', access: (i) => [onBucket('s3:PutBucketTagging', i.bucket)], handler: B.deleteBucketTagging }),

  op<L.ListObjectsV1Input, L.ListPage>({ name: 'ListObjects', access: (i) => [onBucket('s3:ListBucket', i.bucket, listConditions(i))], handler: L.listObjects }),
  op<L.ListObjectsV2Input, L.ListPage>({ name: 'ListObjectsV2', access: (i) => [onBucket('s3:ListBucket', i.bucket, listConditions(i))], handler: L.listObjectsV2 }),
  op<L.ListVersionsInput, L.VersionsPage>({ name: 'ListObjectVersions', access: (i) => [onBucket('s3:ListBucketVersions', i.bucket, listConditions(i))], handler: L.listObjectVersions }),

  op<W.PutObjectInput, W.PutObjectOutput>({
    name: 'PutObject',
    access: (i) => [onObject('s3:PutObject', i.bucket, i.key, objectWriteKeys(i)), ...(i.tags.length ? [onObject('s3:PutObjectTagging', i.bucket, i.key, objectWriteKeys(i))] : [])],
    handler: W.putObject,
  }),
  op<R.GetObjectInput, R.GetObjectOutput>({
    name: 'GetObject',
    access: async (i, ctx) => [onObject(versioned('s3:GetObject', i.versionId), i.bucket, i.key, await existingObjectKeys(ctx, i.bucket, i.key, i.versionId))],
    handler: R.getObject,
  }),
  op<R.GetObjectInput, R.GetObjectOutput>({
    name: 'HeadObject',
    access: async (i, ctx) => [onObject(versioned('s3:GetObject', i.versionId), i.bucket, i.key, await existingObjectKeys(ctx, i.bucket, i.key, i.versionId))],
    handler: R.headObject,
  }),
  op<W.CopyObjectInput, W.CopyObjectOutput>({
    name: 'CopyObject',
    access: async (i, ctx) => [
      onObject(versioned('s3:GetObject', i.sourceVersionId), i.sourceBucket, i.sourceKey, await existingObjectKeys(ctx, i.sourceBucket, i.sourceKey, i.sourceVersionId)),
      onObject('s3:PutObject', i.bucket, i.key, {
        ...objectWriteKeys({ ...(i.taggingDirective === 'REPLACE' && i.tags ? { tags: i.tags } : {}), ...(i.storageClass !== undefined ? { storageClass: i.storageClass } : {}), ...(i.acl !== undefined ? { acl: i.acl } : {}), ...(i.sse ? { sse: i.sse } : {}) }),
        's3:x-amz-copy-source': `${i.sourceBucket}/${i.sourceKey}${i.sourceVersionId !== undefined ? `?versionId=${i.sourceVersionId}` : ''}`,
        's3:x-amz-metadata-directive': i.metadataDirective,
      }),
    ],
    handler: W.copyObject,
  }),
  op<D.DeleteObjectInput, D.DeleteObjectOutput>({
    name: 'DeleteObject',
    access: (i) => [onObject(versioned('s3:DeleteObject', i.versionId), i.bucket, i.key, i.versionId !== undefined ? { 's3:VersionId': i.versionId } : undefined)],
    handler: D.deleteObject,
  }),
  op<D.DeleteObjectsInput, D.DeleteObjectsOutput>({
    name: 'DeleteObjects',
    access: (i) => i.objects.map((o) => onObject(versioned('s3:DeleteObject', o.versionId), i.bucket, o.key)),
    partialAccess: (i, denied) => { for (const d of denied) i.denied.add(d); },
    handler: D.deleteObjects,
  }),
  op<T.ObjectTaggingInput, { versionId: string; tags: Array<[string, string]> }>({
    name: 'GetObjectTagging',
    access: async (i, ctx) => [onObject(i.versionId === undefined ? 's3:GetObjectTagging' : 's3:GetObjectVersionTagging', i.bucket, i.key, await existingObjectKeys(ctx, i.bucket, i.key, i.versionId))],
    handler: T.getObjectTagging,
  }),
  op<T.ObjectTaggingInput & { tags: Array<[string, string]> }, { versionId: string }>({
    name: 'PutObjectTagging',
    access: async (i, ctx) => [onObject(i.versionId === undefined ? 's3:PutObjectTagging' : 's3:PutObjectVersionTagging', i.bucket, i.key, {
      ...(await existingObjectKeys(ctx, i.bucket, i.key, i.versionId)),
      ...requestTagKeys(i.tags, 's3:RequestObjectTag'),
    })],
    handler: T.putObjectTagging,
  }),
  op<T.ObjectTaggingInput, { versionId: string }>({
    name: 'DeleteObjectTagging', access: (i) => [onObject(i.versionId === undefined ? 's3:DeleteObjectTagging' : 's3:DeleteObjectVersionTagging', i.bucket, i.key)], handler: T.deleteObjectTagging,
  }),

  op<M.CreateMultipartUploadInput, Awaited<ReturnType<typeof M.createMultipartUpload>>>({ name: 'CreateMultipartUpload', access: (i) => [onObject('s3:PutObject', i.bucket, i.key, objectWriteKeys(i))], handler: M.createMultipartUpload }),
  op<M.UploadPartInput, Awaited<ReturnType<typeof M.uploadPart>>>({ name: 'UploadPart', access: (i) => [onObject('s3:PutObject', i.bucket, i.key)], handler: M.uploadPart }),
  op<M.UploadPartCopyInput, Awaited<ReturnType<typeof M.uploadPartCopy>>>({
    name: 'UploadPartCopy',
    access: (i) => [onObject(versioned('s3:GetObject', i.sourceVersionId), i.sourceBucket, i.sourceKey), onObject('s3:PutObject', i.bucket, i.key)],
    handler: M.uploadPartCopy,
  }),
  op<M.CompleteMultipartUploadInput, M.CompleteMultipartUploadOutput>({ name: 'CompleteMultipartUpload', access: (i) => [onObject('s3:PutObject', i.bucket, i.key)], handler: M.completeMultipartUpload }),
  op<{ bucket: string; key: string; uploadId: string }, void>({ name: 'AbortMultipartUpload', access: (i) => [onObject('s3:AbortMultipartUpload', i.bucket, i.key)], handler: M.abortMultipartUpload }),
  op<M.ListPartsInput, M.ListPartsOutput>({ name: 'ListParts', access: (i) => [onObject('s3:ListMultipartUploadParts', i.bucket, i.key)], handler: M.listParts }),
  op<M.ListUploadsInput, M.ListUploadsOutput>({ name: 'ListMultipartUploads', access: (i) => [onBucket('s3:ListBucketMultipartUploads', i.bucket)], handler: M.listMultipartUploads }),

  op<{ bucket: string; policy: string }, void>({ name: 'PutBucketPolicy', access: (i) => [onBucket('s3:PutBucketPolicy', i.bucket)], handler: P.putBucketPolicy }),
  op<{ bucket: string }, { policy: string }>({ name: 'GetBucketPolicy', access: (i) => [onBucket('s3:GetBucketPolicy', i.bucket)], handler: P.getBucketPolicy }),
  op<{ bucket: string }, void>({ name: 'DeleteBucketPolicy', access: (i) => [onBucket('s3:DeleteBucketPolicy', i.bucket)], handler: P.deleteBucketPolicy }),
  op<{ bucket: string }, { isPublic: boolean }>({ name: 'GetBucketPolicyStatus', access: (i) => [onBucket('s3:GetBucketPolicyStatus', i.bucket)], handler: P.getBucketPolicyStatus }),
  op<{ bucket: string; config: PAB.PublicAccessBlock }, void>({ name: 'PutPublicAccessBlock', access: (i) => [onBucket('s3:PutBucketPublicAccessBlock', i.bucket)], handler: PAB.putPublicAccessBlock }),
  op<{ bucket: string }, PAB.PublicAccessBlock>({ name: 'GetPublicAccessBlock', access: (i) => [onBucket('s3:GetBucketPublicAccessBlock', i.bucket)], handler: PAB.getPublicAccessBlock }),
  op<{ bucket: string }, void>({ name: 'DeletePublicAccessBlock', access: (i) => [onBucket('s3:PutBucketPublicAccessBlock', i.bucket)], handler: PAB.deletePublicAccessBlock }),
  op<{ bucket: string }, { ownerAccountId: string }>({ name: 'GetBucketAcl', access: (i) => [onBucket('s3:GetBucketAcl', i.bucket)], handler: O.getBucketAcl }),
  op<{ bucket: string; acl?: string; hasGrants: boolean }, void>({ name: 'PutBucketAcl', access: (i) => [onBucket('s3:PutBucketAcl', i.bucket)], handler: O.putBucketAcl }),
  op<{ bucket: string; key: string; versionId?: string }, { ownerAccountId: string; versionId: string }>({
    name: 'GetObjectAcl', access: (i) => [onObject(i.versionId === undefined ? 's3:GetObjectAcl' : 's3:GetObjectVersionAcl', i.bucket, i.key)], handler: O.getObjectAcl,
  }),
  op<{ bucket: string; key: string; versionId?: string; acl?: string; hasGrants: boolean }, void>({
    name: 'PutObjectAcl', access: (i) => [onObject(i.versionId === undefined ? 's3:PutObjectAcl' : 's3:PutObjectVersionAcl', i.bucket, i.key)], handler: O.putObjectAcl,
  }),
  op<{ bucket: string; config: BucketEncryption }, void>({ name: 'PutBucketEncryption', access: (i) => [onBucket('s3:PutEncryptionConfiguration', i.bucket)], handler: E.putBucketEncryption }),
  op<{ bucket: string }, BucketEncryption>({ name: 'GetBucketEncryption', access: (i) => [onBucket('s3:GetEncryptionConfiguration', i.bucket)], handler: E.getBucketEncryption }),
  op<{ bucket: string }, void>({ name: 'DeleteBucketEncryption', access: (i) => [onBucket('s3:PutEncryptionConfiguration', i.bucket)], handler: E.deleteBucketEncryption }),
  op<{ bucket: string }, { ownership: string }>({ name: 'GetBucketOwnershipControls', access: (i) => [onBucket('s3:GetBucketOwnershipControls', i.bucket)], handler: O.getBucketOwnershipControls }),
  op<{ bucket: string; ownership: string }, void>({ name: 'PutBucketOwnershipControls', access: (i) => [onBucket('s3:PutBucketOwnershipControls', i.bucket)], handler: O.putBucketOwnershipControls }),
  op<{ bucket: string }, void>({ name: 'DeleteBucketOwnershipControls', access: (i) => [onBucket('s3:PutBucketOwnershipControls', i.bucket)], handler: O.deleteBucketOwnershipControls }),
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyS3Operation = S3Operation<any, any>;

export const S3_OPERATION_TABLE: ReadonlyMap<S3OperationName, AnyS3Operation> = new Map(S3_OPERATIONS.map((o) => [o.name, o as AnyS3Operation]));
