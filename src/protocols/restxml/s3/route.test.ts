import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeS3 } from './route.js';

const op = (method: string, level: 'service' | 'bucket' | 'object', query = '', headers: Record<string, string> = {}) => {
  const r = routeS3(method, level, new URLSearchParams(query), headers);
  return 'op' in r ? r.op : r.error;
};

test('method, level and sub-resource pick one operation, whatever the order of routes', () => {
  assert.equal(op('GET', 'service'), 'ListBuckets');
  assert.equal(op('PUT', 'bucket'), 'CreateBucket');
  assert.equal(op('GET', 'bucket'), 'ListObjects');
  assert.equal(op('GET', 'bucket', 'list-type=2&prefix=a'), 'ListObjectsV2');
  assert.equal(op('GET', 'bucket', 'versions'), 'ListObjectVersions');
  assert.equal(op('GET', 'bucket', 'uploads'), 'ListMultipartUploads');
  assert.equal(op('POST', 'bucket', 'delete'), 'DeleteObjects');
  assert.equal(op('GET', 'bucket', 'inventory'), 'ListBucketInventoryConfigurations');
  assert.equal(op('GET', 'bucket', 'inventory&id=x'), 'GetBucketInventoryConfiguration');
  assert.equal(op('PUT', 'object'), 'PutObject');
  assert.equal(op('PUT', 'object', '', { 'x-amz-copy-source': '/b/k' }), 'CopyObject');
  assert.equal(op('PUT', 'object', 'partNumber=1&uploadId=u'), 'UploadPart');
  assert.equal(op('PUT', 'object', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': '/b/k' }), 'UploadPartCopy');
  assert.equal(op('GET', 'object', 'uploadId=u'), 'ListParts');
  assert.equal(op('DELETE', 'object', 'uploadId=u'), 'AbortMultipartUpload');
  assert.equal(op('POST', 'object', 'uploads'), 'CreateMultipartUpload');
  assert.equal(op('POST', 'object', 'uploadId=u'), 'CompleteMultipartUpload');
  assert.equal(op('GET', 'object', 'tagging&versionId=v'), 'GetObjectTagging');
});

test('sub-resources newer than the model are known, so they cannot fall through to bucket operations', () => {
  assert.equal(op('PUT', 'bucket', 'abac'), 'PutBucketAbac');
  assert.equal(op('GET', 'bucket', 'abac'), 'GetBucketAbac');
  assert.equal(op('PUT', 'bucket', 'metadataJournalTable'), 'UpdateBucketMetadataJournalTableConfiguration');
  assert.equal(op('PUT', 'object', 'renameObject'), 'RenameObject');
  assert.equal(op('PATCH', 'object'), 'MethodNotAllowed');
  assert.equal(op('GET', 'bucket', 'unknown-param=1'), 'ListObjects', 'unknown parameters are not sub-resources, as in S3');
});
