import type { S3OperationName } from './operation-names.js';

/**
 * Maps method + addressing level + sub-resource to one S3 operation, explicitly: the table
 * below is the whole S3 REST surface, so no operation depends on the order routes were
 * registered. Query parameters that are not sub-resources are ignored, as S3 does.
 */
type Level = 'service' | 'bucket' | 'object';

/** Bucket sub-resources and the operation each method selects. [GET, PUT, DELETE, POST, HEAD] */
const BUCKET_SUBRESOURCES: Record<string, Partial<Record<string, S3OperationName>>> = {
  abac: { GET: 'GetBucketAbac', PUT: 'PutBucketAbac' },
  metadataInventoryTable: { PUT: 'UpdateBucketMetadataInventoryTableConfiguration' },
  metadataJournalTable: { PUT: 'UpdateBucketMetadataJournalTableConfiguration' },
  accelerate: { GET: 'GetBucketAccelerateConfiguration', PUT: 'PutBucketAccelerateConfiguration' },
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  analytics: { GET: 'GetBucketAnalyticsConfiguration', PUT: 'PutBucketAnalyticsConfiguration', DELETE: 'DeleteBucketAnalyticsConfiguration' },
  cors: { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' },
  delete: { POST: 'DeleteObjects' },
  encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  'intelligent-tiering': { GET: 'GetBucketIntelligentTieringConfiguration', PUT: 'PutBucketIntelligentTieringConfiguration', DELETE: 'DeleteBucketIntelligentTieringConfiguration' },
  inventory: { GET: 'GetBucketInventoryConfiguration', PUT: 'PutBucketInventoryConfiguration', DELETE: 'DeleteBucketInventoryConfiguration' },
  lifecycle: { GET: 'GetBucketLifecycleConfiguration', PUT: 'PutBucketLifecycleConfiguration', DELETE: 'DeleteBucketLifecycle' },
  location: { GET: 'GetBucketLocation' },
  logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
  metadataTable: { GET: 'GetBucketMetadataTableConfiguration', POST: 'CreateBucketMetadataTableConfiguration', DELETE: 'DeleteBucketMetadataTableConfiguration' },
  metrics: { GET: 'GetBucketMetricsConfiguration', PUT: 'PutBucketMetricsConfiguration', DELETE: 'DeleteBucketMetricsConfiguration' },
  notification: { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' },
  'object-lock': { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' },
  ownershipControls: { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls', DELETE: 'DeleteBucketOwnershipControls' },
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  policyStatus: { GET: 'GetBucketPolicyStatus' },
  publicAccessBlock: { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' },
  replication: { GET: 'GetBucketReplication', PUT: 'PutBucketReplication', DELETE: 'DeleteBucketReplication' },
  requestPayment: { GET: 'GetBucketRequestPayment', PUT: 'PutBucketRequestPayment' },
  session: { GET: 'CreateSession' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  uploads: { GET: 'ListMultipartUploads' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  versions: { GET: 'ListObjectVersions' },
  website: { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' },
};

/** Sub-resources whose GET without an id lists the configurations. */
const LISTABLE: Partial<Record<string, S3OperationName>> = {
  analytics: 'ListBucketAnalyticsConfigurations',
  'intelligent-tiering': 'ListBucketIntelligentTieringConfigurations',
  inventory: 'ListBucketInventoryConfigurations',
  metrics: 'ListBucketMetricsConfigurations',
};

const OBJECT_SUBRESOURCES: Record<string, Partial<Record<string, S3OperationName>>> = {
  renameObject: { PUT: 'RenameObject' },
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  attributes: { GET: 'GetObjectAttributes' },
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  restore: { POST: 'RestoreObject' },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  select: { POST: 'SelectObjectContent' },
  tagging: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  torrent: { GET: 'GetObjectTorrent' },
  uploads: { POST: 'CreateMultipartUpload' },
};

export type RouteResult = { op: S3OperationName } | { error: 'MethodNotAllowed' };

export function routeS3(method: string, level: Level, query: URLSearchParams, headers: Record<string, string | string[] | undefined>): RouteResult {
  if (level === 'service') {
    if (method === 'GET' || method === 'HEAD') return { op: 'ListBuckets' };
    if (method === 'POST' && query.has('WriteGetObjectResponse')) return { op: 'WriteGetObjectResponse' };
    return { error: 'MethodNotAllowed' };
  }
  const table = level === 'bucket' ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES;
  for (const name of Object.keys(table)) {
    if (!query.has(name)) continue;
    if (level === 'bucket' && method === 'GET' && !query.has('id') && LISTABLE[name]) return { op: LISTABLE[name]! };
    const op = table[name]![method];
    if (op) return { op };
  }
  if (level === 'bucket') {
    switch (method) {
      case 'GET': return { op: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects' };
      case 'HEAD': return { op: 'HeadBucket' };
      case 'PUT': return { op: 'CreateBucket' };
      case 'DELETE': return { op: 'DeleteBucket' };
      case 'POST': return { op: 'PostObject' };
    }
    return { error: 'MethodNotAllowed' };
  }
  const uploadId = query.has('uploadId');
  const copy = headers['x-amz-copy-source'] !== undefined;
  switch (method) {
    case 'GET': return { op: uploadId ? 'ListParts' : 'GetObject' };
    case 'HEAD': return { op: 'HeadObject' };
    case 'PUT':
      if (uploadId || query.has('partNumber')) return { op: copy ? 'UploadPartCopy' : 'UploadPart' };
      return { op: copy ? 'CopyObject' : 'PutObject' };
    case 'DELETE': return { op: uploadId ? 'AbortMultipartUpload' : 'DeleteObject' };
    case 'POST': if (uploadId) return { op: 'CompleteMultipartUpload' };
  }
  return { error: 'MethodNotAllowed' };
}
