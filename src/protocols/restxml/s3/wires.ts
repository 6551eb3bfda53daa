import type { S3OperationName } from './operation-names.js';
import type { Wire } from './wire.js';
import * as Ba from './bucket-access-wire.js';
import * as Bk from './buckets-wire.js';
import * as Ls from './listing-wire.js';
import * as Mp from './multipart-wire.js';
import * as Ob from './objects-wire.js';

/** The wire codec of every implemented S3 operation, by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const S3_WIRES: Partial<Record<S3OperationName, Wire<any, any>>> = {
  ListBuckets: Bk.ListBuckets,
  CreateBucket: Bk.CreateBucket,
  HeadBucket: Bk.HeadBucket,
  DeleteBucket: Bk.DeleteBucket,
  GetBucketLocation: Bk.GetBucketLocation,
  GetBucketVersioning: Bk.GetBucketVersioning,
  PutBucketVersioning: Bk.PutBucketVersioning,
  GetBucketTagging: Bk.GetBucketTagging,
  PutBucketTagging: Bk.PutBucketTagging,
  DeleteBucketTagging: Bk.DeleteBucketTagging,
  ListObjects: Ls.ListObjects,
  ListObjectsV2: Ls.ListObjectsV2,
  ListObjectVersions: Ls.ListObjectVersions,
  PutObject: Ob.PutObject,
  GetObject: Ob.GetObject,
  HeadObject: Ob.HeadObject,
  CopyObject: Ob.CopyObject,
  DeleteObject: Ob.DeleteObject,
  DeleteObjects: Ob.DeleteObjects,
  GetObjectTagging: Ob.GetObjectTagging,
  PutObjectTagging: Ob.PutObjectTagging,
  DeleteObjectTagging: Ob.DeleteObjectTagging,
  CreateMultipartUpload: Mp.CreateMultipartUpload,
  UploadPart: Mp.UploadPart,
  UploadPartCopy: Mp.UploadPartCopy,
  CompleteMultipartUpload: Mp.CompleteMultipartUpload,
  AbortMultipartUpload: Mp.AbortMultipartUpload,
  ListParts: Mp.ListParts,
  ListMultipartUploads: Mp.ListMultipartUploads,
  PutBucketPolicy: Ba.PutBucketPolicy,
  GetBucketPolicy: Ba.GetBucketPolicy,
  DeleteBucketPolicy: Ba.DeleteBucketPolicy,
  GetBucketPolicyStatus: Ba.GetBucketPolicyStatus,
  PutPublicAccessBlock: Ba.PutPublicAccessBlock,
  GetPublicAccessBlock: Ba.GetPublicAccessBlock,
  DeletePublicAccessBlock: Ba.DeletePublicAccessBlock,
  GetBucketAcl: Ba.GetBucketAcl,
  PutBucketAcl: Ba.PutBucketAcl,
  GetObjectAcl: Ba.GetObjectAcl,
  PutObjectAcl: Ba.PutObjectAcl,
  GetBucketOwnershipControls: Ba.GetBucketOwnershipControls,
  PutBucketOwnershipControls: Ba.PutBucketOwnershipControls,
  DeleteBucketOwnershipControls: Ba.DeleteBucketOwnershipControls,
  PutBucketEncryption: Ba.PutBucketEncryption,
  GetBucketEncryption: Ba.GetBucketEncryption,
  DeleteBucketEncryption: Ba.DeleteBucketEncryption,
};
