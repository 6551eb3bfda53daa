import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand,
  GetObjectTaggingCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, PutObjectCommand, PutObjectTaggingCommand,
  GetBucketLocationCommand, S3Client,
} from '@aws-sdk/client-s3';
import { startTestServer, s3Client, type TestServer } from './harness.js';
import { rejects } from './expect.js';


describe('S3 objects with the AWS SDK v3', () => {
  let srv: TestServer;
  let s3: S3Client;
  before(async () => {
    srv = await startTestServer();
    s3 = s3Client(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });
  after(async () => {
    s3.destroy();
    await srv.stop();
  });

  test('buckets: create, head, location, list, name rules, delete', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'b-life' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'b-life' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'b-life' }));
    assert.equal(loc.LocationConstraint, undefined);
    const list = await s3.send(new ListBucketsCommand({}));
    assert.ok(list.Buckets?.some((b) => b.Name === 'b-life'));
    assert.match(list.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    await rejects(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName', 400);
    await rejects(s3.send(new CreateBucketCommand({ Bucket: 'b-life', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), 'IllegalLocationConstraintException', 400);
    await s3.send(new PutObjectCommand({ Bucket: 'b-life', Key: 'x', Body: 'x' }));
    await rejects(s3.send(new DeleteBucketCommand({ Bucket: 'b-life' })), 'BucketNotEmpty', 409);
    await s3.send(new DeleteObjectCommand({ Bucket: 'b-life', Key: 'x' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'b-life' }));
    await rejects(s3.send(new HeadBucketCommand({ Bucket: 'b-life' })), 'NotFound', 404);
  });

  test('put, get, head round trip with metadata and content headers', async () => {
    const body = randomBytes(300_000);
    const put = await s3.send(new PutObjectCommand({
      Bucket: 'objects', Key: 'dir/a b+c.bin', Body: body, ContentType: 'application/x-test', Metadata: { color: 'blue' },
      CacheControl: 'max-age=60', ContentDisposition: 'attachment', StorageClass: 'STANDARD_IA',
    }));
    const md5 = createHash('md5').update(body).digest('hex');
    assert.equal(put.ETag, `"${md5}"`);
    assert.equal(put.ServerSideEncryption, 'AES256');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/a b+c.bin' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
    assert.equal(got.ContentType, 'application/x-test');
    assert.equal(got.Metadata?.color, 'blue');
    assert.equal(got.CacheControl, 'max-age=60');
    assert.equal(got.StorageClass, 'STANDARD_IA');
    assert.equal(got.ContentLength, body.length);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/a b+c.bin' }));
    assert.equal(head.ETag, `"${md5}"`);
    assert.equal(head.ContentLength, body.length);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing' })), 'NoSuchKey', 404);
    await rejects(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'missing' })), 'NotFound', 404);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-x', Key: 'k' })), 'NoSuchBucket', 404);
  });

  test('ranges: closed, open-ended, suffix, unsatisfiable', async () => {
    const body = randomBytes(200_000);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'range.bin', Body: body }));
    const cases: Array<[string, number, number]> = [['bytes=0-0', 0, 0], ['bytes=65530-65545', 65530, 65545], ['bytes=199990-', 199990, 199999], ['bytes=-100', 199900, 199999], ['bytes=1000-999999', 1000, 199999]];
    for (const [range, start, end] of cases) {
      const r = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.bin', Range: range }));
      assert.equal(r.$metadata.httpStatusCode, 206, range);
      assert.equal(r.ContentRange, `bytes ${start}-${end}/${body.length}`);
      assert.deepEqual(Buffer.from(await r.Body!.transformToByteArray()), body.subarray(start, end + 1), range);
    }
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.bin', Range: 'bytes=200000-' })), 'InvalidRange', 416);
  });

  test('conditional reads and writes', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v1' }));
    const etag = put.ETag!;
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfMatch: etag }));
    assert.equal(await ok.Body!.transformToString(), 'v1');
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfMatch: '"nope"' })), 'PreconditionFailed', 412);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfNoneMatch: etag })), '304', 304);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfModifiedSince: new Date(Date.now() + 60_000) })), '304', 304);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond', IfUnmodifiedSince: new Date(Date.now() - 3600_000) })), 'PreconditionFailed', 412);
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v2', IfNoneMatch: '*' })), 'PreconditionFailed', 412);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond-new', Body: 'n', IfNoneMatch: '*' }));
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v2', IfMatch: '"0000"' })), 'PreconditionFailed', 412);
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'cond', Body: 'v2', IfMatch: etag }));
    const now = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'cond' }));
    assert.equal(await now.Body!.transformToString(), 'v2');
  });

  test('response-* overrides', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'ovr', Body: 'x', ContentType: 'text/plain' }));
    const r = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'ovr', ResponseContentType: 'application/json', ResponseContentDisposition: 'inline', ResponseCacheControl: 'no-cache' }));
    assert.equal(r.ContentType, 'application/json');
    assert.equal(r.ContentDisposition, 'inline');
    assert.equal(r.CacheControl, 'no-cache');
  });

  test('copy: metadata directive, copy-source conditions, copy onto itself', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'src', Body: 'copy me', Metadata: { a: '1' }, ContentType: 'text/plain' }));
    const c = await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst', CopySource: 'objects/src' }));
    assert.match(c.CopyObjectResult?.ETag ?? '', /^"[0-9a-f]{32}"$/);
    const d = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dst' }));
    assert.equal(await d.Body!.transformToString(), 'copy me');
    assert.equal(d.Metadata?.a, '1');
    assert.equal(d.ContentType, 'text/plain');
    await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst2', CopySource: 'objects/src', MetadataDirective: 'REPLACE', Metadata: { b: '2' }, ContentType: 'x/y' }));
    const d2 = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst2' }));
    assert.deepEqual(d2.Metadata, { b: '2' });
    assert.equal(d2.ContentType, 'x/y');
    await rejects(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'src', CopySource: 'objects/src' })), 'InvalidRequest', 400);
    await s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'src', CopySource: 'objects/src', MetadataDirective: 'REPLACE', Metadata: { c: '3' } }));
    await rejects(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst3', CopySource: 'objects/src', CopySourceIfMatch: '"bad"' })), 'PreconditionFailed', 412);
    await rejects(s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst3', CopySource: 'objects/missing' })), 'NoSuchKey', 404);
  });

  test('tagging: header on put, put/get/delete tagging, limits', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'tagged', Body: 't', Tagging: 'team=data&env=test' }));
    const h = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'tagged' }));
    assert.equal(h.$metadata.httpStatusCode, 200);
    const t = await s3.send(new GetObjectTaggingCommand({ Bucket: 'objects', Key: 'tagged' }));
    assert.deepEqual(t.TagSet, [{ Key: 'team', Value: 'data' }, { Key: 'env', Value: 'test' }]);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'objects', Key: 'tagged', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }));
    const t2 = await s3.send(new GetObjectTaggingCommand({ Bucket: 'objects', Key: 'tagged' }));
    assert.deepEqual(t2.TagSet, [{ Key: 'k', Value: 'v' }]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(s3.send(new PutObjectTaggingCommand({ Bucket: 'objects', Key: 'tagged', Tagging: { TagSet: eleven } })), 'InvalidTag', 400);
  });

  test('delete and multi-delete (quiet and verbose)', async () => {
    for (const k of ['d1', 'd2', 'd3']) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: k, Body: k }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'd1' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'never-existed' }));
    const r = await s3.send(new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'd2' }, { Key: 'd3' }, { Key: 'nope' }] } }));
    assert.deepEqual(r.Deleted?.map((d) => d.Key).sort(), ['d2', 'd3', 'nope']);
    const q = await s3.send(new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Quiet: true, Objects: [{ Key: 'x1' }] } }));
    assert.equal(q.Deleted, undefined);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'd2' })), 'NoSuchKey');
  });

  test('keys: unicode, long keys, key too long, metadata too large', async () => {
    const keys = ['ünïcödé/日本語', 'a'.repeat(1024), 'sp ace/+plus/%percent', 'tab\tkey', 'emoji 😀'];
    for (const Key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: 'objects', Key, Body: Key }));
      const g = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key }));
      assert.equal(await g.Body!.transformToString(), Key);
    }
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'a'.repeat(1025), Body: 'x' })), 'KeyTooLongError', 400);
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'meta', Body: 'x', Metadata: { big: 'x'.repeat(2100) } })), 'MetadataTooLarge', 400);
  });

  test('virtual-hosted addressing', async () => {
    const vh = s3Client(`http://localhost:${srv.port}`, undefined, { forcePathStyle: false });
    try {
      await vh.send(new PutObjectCommand({ Bucket: 'objects', Key: 'vh/key', Body: 'virtual' }));
      const g = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'vh/key' }));
      assert.equal(await g.Body!.transformToString(), 'virtual');
      const g2 = await vh.send(new GetObjectCommand({ Bucket: 'objects', Key: 'vh/key' }));
      assert.equal(await g2.Body!.transformToString(), 'virtual');
    } finally {
      vh.destroy();
    }
  });
});
