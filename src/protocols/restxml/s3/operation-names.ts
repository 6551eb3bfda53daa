/** Every operation of the S3 API (from AWS's model), implemented or not. */
export const S3_OPERATION_NAMES = [
  'AbortMultipartUpload', 'CompleteMultipartUpload', 'CopyObject', 'CreateBucket', 'CreateBucketMetadataTableConfiguration',
  'CreateMultipartUpload', 'CreateSession', 'DeleteBucket', 'DeleteBucketAnalyticsConfiguration', 'DeleteBucketCors',
  'DeleteBucketEncryption', 'DeleteBucketIntelligentTieringConfiguration', 'DeleteBucketInventoryConfiguration',
  'DeleteBucketLifecycle', 'DeleteBucketMetadataTableConfiguration', 'DeleteBucketMetricsConfiguration',
  'DeleteBucketOwnershipControls', 'DeleteBucketPolicy', 'DeleteBucketReplication', 'DeleteBucketTagging',
  'DeleteBucketWebsite', 'DeleteObject', 'DeleteObjectTagging', 'DeleteObjects', 'DeletePublicAccessBlock',
  'GetBucketAccelerateConfiguration', 'GetBucketAcl', 'GetBucketAnalyticsConfiguration', 'GetBucketCors',
  'GetBucketEncryption', 'GetBucketIntelligentTieringConfiguration', 'GetBucketInventoryConfiguration',
  'GetBucketLifecycleConfiguration', 'GetBucketLocation', 'GetBucketLogging', 'GetBucketMetadataTableConfiguration',
  'GetBucketMetricsConfiguration', 'GetBucketNotificationConfiguration', 'GetBucketOwnershipControls', 'GetBucketPolicy',
  'GetBucketPolicyStatus', 'GetBucketReplication', 'GetBucketRequestPayment', 'GetBucketTagging', 'GetBucketVersioning',
  'GetBucketWebsite', 'GetObject', 'GetObjectAcl', 'GetObjectAttributes', 'GetObjectLegalHold',
  'GetObjectLockConfiguration', 'GetObjectRetention', 'GetObjectTagging', 'GetObjectTorrent', 'GetPublicAccessBlock',
  'HeadBucket', 'HeadObject', 'ListBucketAnalyticsConfigurations', 'ListBucketIntelligentTieringConfigurations',
  'ListBucketInventoryConfigurations', 'ListBucketMetricsConfigurations', 'ListBuckets', 'ListDirectoryBuckets',
  'ListMultipartUploads', 'ListObjectVersions', 'ListObjects', 'ListObjectsV2', 'ListParts',
  'PutBucketAccelerateConfiguration', 'PutBucketAcl', 'PutBucketAnalyticsConfiguration', 'PutBucketCors',
  'PutBucketEncryption', 'PutBucketIntelligentTieringConfiguration', 'PutBucketInventoryConfiguration',
  'PutBucketLifecycleConfiguration', 'PutBucketLogging', 'PutBucketMetricsConfiguration',
  'PutBucketNotificationConfiguration', 'PutBucketOwnershipControls', 'PutBucketPolicy', 'PutBucketReplication',
  'PutBucketRequestPayment', 'PutBucketTagging', 'PutBucketVersioning', 'PutBucketWebsite', 'PutObject', 'PutObjectAcl',
  'PutObjectLegalHold', 'PutObjectLockConfiguration', 'PutObjectRetention', 'PutObjectTagging', 'PutPublicAccessBlock',
  'RestoreObject', 'SelectObjectContent', 'UploadPart', 'UploadPartCopy', 'WriteGetObjectResponse', 'PostObject',
  // Added since the model snapshot: known, so that they answer NotImplemented rather than
  // fall through to the bare bucket operations.
  'GetBucketAbac', 'PutBucketAbac', 'RenameObject', 'UpdateBucketMetadataInventoryTableConfiguration', 'UpdateBucketMetadataJournalTableConfiguration',
] as const;

export type S3OperationName = (typeof S3_OPERATION_NAMES)[number];
