import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client,
  S3ServiceException, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startTestServer, s3Client, type TestServer } from './harness.js';
import { rejects } from './expect.js';


/** HEAD errors have no body to carry a code: only the status and headers tell. */
async function headRejects(p: Promise<unknown>, status: number): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as S3ServiceException;
    assert.equal(err.$metadata.httpStatusCode, status, `expected ${status}, got ${err.$metadata.httpStatusCode}: ${err.name}`);
    return err;
  }
  assert.fail(`expected HTTP ${status}`);
}

/** A response header of a failed call, as the SDK keeps the raw response on the error. */
function header(err: S3ServiceException, name: string): string | undefined {
  const headers = (err.$response as { headers?: Record<string, string> } | undefined)?.headers ?? {};
  return headers[name] ?? headers[name.toLowerCase()];
}

describe('S3 versioning with the AWS SDK v3', () => {
  let srv: TestServer;
  let s3: S3Client;
  const text = async (p: Promise<{ Body?: { transformToString(): Promise<string> } }>): Promise<string> => (await p).Body!.transformToString();

  async function versionedBucket(name: string): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  }

  before(async () => {
    srv = await startTestServer();
    s3 = s3Client(srv.endpoint);
  });
  after(async () => {
    s3.destroy();
    await srv.stop();
  });

  test('Get/PutBucketVersioning: never configured, Enabled, Suspended', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'v-config' }));
    const never = await s3.send(new GetBucketVersioningCommand({ Bucket: 'v-config' }));
    assert.equal(never.Status, undefined);
    assert.equal(never.MFADelete, undefined);
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'v-config', VersioningConfiguration: { Status: 'Enabled' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'v-config' }))).Status, 'Enabled');
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'v-config', VersioningConfiguration: { Status: 'Suspended' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'v-config' }))).Status, 'Suspended');
    await rejects(s3.send(new PutBucketVersioningCommand({ Bucket: 'v-config', VersioningConfiguration: { Status: 'On' as 'Enabled' } })), 'MalformedXML', 400);
    await rejects(s3.send(new GetBucketVersioningCommand({ Bucket: 'v-no-such-bucket' })), 'NoSuchBucket', 404);
  });

  test('versioned puts get distinct ids; GET and HEAD by VersionId', async () => {
    await versionedBucket('v-basic');
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      const put = await s3.send(new PutObjectCommand({ Bucket: 'v-basic', Key: 'k', Body: body }));
      assert.ok(put.VersionId && put.VersionId !== 'null');
      ids.push(put.VersionId);
    }
    assert.equal(new Set(ids).size, 3);
    const latest = await s3.send(new GetObjectCommand({ Bucket: 'v-basic', Key: 'k' }));
    assert.equal(latest.VersionId, ids[2]);
    assert.equal(await latest.Body!.transformToString(), 'three');
    for (const [i, body] of ['one', 'two', 'three'].entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'v-basic', Key: 'k', VersionId: ids[i] }));
      assert.equal(got.VersionId, ids[i]);
      assert.equal(await got.Body!.transformToString(), body);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'v-basic', Key: 'k', VersionId: ids[i] }));
      assert.equal(head.VersionId, ids[i]);
      assert.equal(head.ContentLength, body.length);
    }
  });

  test('delete markers: 404 with x-amz-delete-marker, 405 by version id, removing the marker restores the object', async () => {
    await versionedBucket('v-markers');
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: 'v-markers', Key: 'k', Body: 'kept' }))).VersionId!;
    const del = await s3.send(new DeleteObjectCommand({ Bucket: 'v-markers', Key: 'k' }));
    assert.equal(del.DeleteMarker, true);
    assert.ok(del.VersionId && del.VersionId !== v1);
    const marker = del.VersionId;

    const err = await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-markers', Key: 'k' })), 'NoSuchKey', 404);
    assert.equal(header(err, 'x-amz-delete-marker'), 'true');
    assert.equal(header(err, 'x-amz-version-id'), marker);
    const headErr = await headRejects(s3.send(new HeadObjectCommand({ Bucket: 'v-markers', Key: 'k' })), 404);
    assert.equal(header(headErr, 'x-amz-delete-marker'), 'true');

    const byId = await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-markers', Key: 'k', VersionId: marker })), 'MethodNotAllowed', 405);
    assert.equal(header(byId, 'x-amz-delete-marker'), 'true');
    assert.equal(header(byId, 'x-amz-version-id'), marker);
    const headById = await headRejects(s3.send(new HeadObjectCommand({ Bucket: 'v-markers', Key: 'k', VersionId: marker })), 405);
    assert.equal(header(headById, 'x-amz-delete-marker'), 'true');

    // The old version is still readable by id, and the key is gone from plain listings.
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-markers', Key: 'k', VersionId: v1 }))), 'kept');
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'v-markers' }))).KeyCount, 0);

    // Deleting the delete marker (by its id) makes the previous version current again.
    const undelete = await s3.send(new DeleteObjectCommand({ Bucket: 'v-markers', Key: 'k', VersionId: marker }));
    assert.equal(undelete.DeleteMarker, true);
    assert.equal(undelete.VersionId, marker);
    const back = await s3.send(new GetObjectCommand({ Bucket: 'v-markers', Key: 'k' }));
    assert.equal(back.VersionId, v1);
    assert.equal(await back.Body!.transformToString(), 'kept');

    // A second marker on top of a marker stacks; both show in the listing.
    await s3.send(new DeleteObjectCommand({ Bucket: 'v-markers', Key: 'k' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'v-markers', Key: 'k' }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-markers' }));
    assert.equal(listed.DeleteMarkers?.length, 2);
    assert.equal(listed.DeleteMarkers?.filter((m) => m.IsLatest).length, 1);
  });

  test('permanent delete by version id', async () => {
    await versionedBucket('v-permanent');
    const a = (await s3.send(new PutObjectCommand({ Bucket: 'v-permanent', Key: 'k', Body: 'a' }))).VersionId!;
    const b = (await s3.send(new PutObjectCommand({ Bucket: 'v-permanent', Key: 'k', Body: 'b' }))).VersionId!;
    const del = await s3.send(new DeleteObjectCommand({ Bucket: 'v-permanent', Key: 'k', VersionId: b }));
    assert.equal(del.VersionId, b);
    assert.equal(del.DeleteMarker, undefined);
    // The latest version is gone for good: the one before it is current.
    const cur = await s3.send(new GetObjectCommand({ Bucket: 'v-permanent', Key: 'k' }));
    assert.equal(cur.VersionId, a);
    assert.equal(await cur.Body!.transformToString(), 'a');
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-permanent', Key: 'k', VersionId: b })), 'NoSuchVersion', 404);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-permanent' }));
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[a, true]]);
    assert.equal(listed.DeleteMarkers, undefined);
    // Deleting the last version leaves no key and no marker.
    await s3.send(new DeleteObjectCommand({ Bucket: 'v-permanent', Key: 'k', VersionId: a }));
    assert.equal((await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-permanent' }))).Versions, undefined);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-permanent', Key: 'k' })), 'NoSuchKey', 404);
  });

  test('Suspended: puts write the null version, replacing it; earlier real versions survive', async () => {
    await versionedBucket('v-suspended');
    const real = (await s3.send(new PutObjectCommand({ Bucket: 'v-suspended', Key: 'k', Body: 'real' }))).VersionId!;
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'v-suspended', VersioningConfiguration: { Status: 'Suspended' } }));
    // The PutObject reference's "versioning suspended" sample answers without x-amz-version-id.
    const n1 = await s3.send(new PutObjectCommand({ Bucket: 'v-suspended', Key: 'k', Body: 'null-1' }));
    assert.equal(n1.VersionId, undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'v-suspended', Key: 'k', Body: 'null-2' }));
    const cur = await s3.send(new GetObjectCommand({ Bucket: 'v-suspended', Key: 'k' }));
    assert.equal(await cur.Body!.transformToString(), 'null-2');
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-suspended', Key: 'k', VersionId: 'null' }))), 'null-2');
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-suspended', Key: 'k', VersionId: real }))), 'real');
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-suspended' }));
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [['null', true], [real, false]]);

    // A delete under Suspended puts a null delete marker, which replaces the null version.
    const del = await s3.send(new DeleteObjectCommand({ Bucket: 'v-suspended', Key: 'k' }));
    assert.equal(del.DeleteMarker, true);
    assert.equal(del.VersionId, 'null');
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-suspended' }));
    assert.deepEqual(after.Versions?.map((v) => v.VersionId), [real]);
    assert.deepEqual(after.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [['null', true]]);

    // Re-enabled: new puts get real ids again; the real version from before is untouched.
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'v-suspended', VersioningConfiguration: { Status: 'Enabled' } }));
    const again = await s3.send(new PutObjectCommand({ Bucket: 'v-suspended', Key: 'k', Body: 'again' }));
    assert.ok(again.VersionId && again.VersionId !== 'null');
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-suspended', Key: 'k', VersionId: real }))), 'real');
  });

  test('a never-versioned bucket answers with the null version', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'v-plain' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'v-plain', Key: 'k', Body: 'x' }));
    assert.equal(put.VersionId, undefined);
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-plain', Key: 'k', VersionId: 'null' }))), 'x');
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-plain' }));
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [['null', true]]);
  });

  test('an object written before versioning was enabled stays as the null version', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'v-pre' }));
    await s3.send(new PutObjectCommand({ Bucket: 'v-pre', Key: 'k', Body: 'before' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'v-pre', VersioningConfiguration: { Status: 'Enabled' } }));
    const now = (await s3.send(new PutObjectCommand({ Bucket: 'v-pre', Key: 'k', Body: 'after' }))).VersionId!;
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-pre', Key: 'k', VersionId: 'null' }))), 'before');
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-pre' }));
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[now, true], ['null', false]]);
    // A multipart completion in a versioned bucket makes a new version too.
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'v-pre', Key: 'k' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'v-pre', Key: 'k', UploadId, PartNumber: 1, Body: 'multipart' }));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'v-pre', Key: 'k', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    assert.ok(done.VersionId && done.VersionId !== now && done.VersionId !== 'null');
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-pre', Key: 'k', VersionId: done.VersionId }))), 'multipart');
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-pre', Key: 'k', VersionId: now }))), 'after');
  });

  test('ListObjectVersions: versions and delete markers with IsLatest, newest first', async () => {
    await versionedBucket('v-list');
    const a1 = (await s3.send(new PutObjectCommand({ Bucket: 'v-list', Key: 'a', Body: '1' }))).VersionId!;
    const a2 = (await s3.send(new PutObjectCommand({ Bucket: 'v-list', Key: 'a', Body: '22' }))).VersionId!;
    const b1 = (await s3.send(new PutObjectCommand({ Bucket: 'v-list', Key: 'b', Body: '333' }))).VersionId!;
    const bm = (await s3.send(new DeleteObjectCommand({ Bucket: 'v-list', Key: 'b' }))).VersionId!;
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-list' }));
    assert.deepEqual(out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]), [['a', a2, true, 2], ['a', a1, false, 1], ['b', b1, false, 3]]);
    assert.deepEqual(out.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['b', bm, true]]);
    for (const v of out.Versions!) {
      assert.match(v.ETag!, /^"[0-9a-f]{32}"$/);
      assert.match(v.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      assert.ok(v.LastModified instanceof Date);
    }
    assert.ok(out.DeleteMarkers![0]!.LastModified instanceof Date);
    assert.match(out.DeleteMarkers![0]!.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    assert.equal(out.Name, 'v-list');
    assert.equal(out.IsTruncated, false);
    const onlyA = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-list', Prefix: 'a' }));
    assert.equal(onlyA.Versions?.length, 2);
    assert.equal(onlyA.DeleteMarkers, undefined);
    // Resume after one version of a key.
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: 'v-list', KeyMarker: 'a', VersionIdMarker: a2 }));
    assert.deepEqual(rest.Versions?.map((v) => v.VersionId), [a1, b1]);
    assert.equal(rest.VersionIdMarker, a2);
  });

  test('CopyObject from a specific source version', async () => {
    await versionedBucket('v-copy');
    const old = (await s3.send(new PutObjectCommand({ Bucket: 'v-copy', Key: 'src', Body: 'old', Metadata: { gen: '1' } }))).VersionId!;
    await s3.send(new PutObjectCommand({ Bucket: 'v-copy', Key: 'src', Body: 'new' }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'v-copy', Key: 'dst', CopySource: `v-copy/src?versionId=${encodeURIComponent(old)}` }));
    assert.equal(copy.CopySourceVersionId, old);
    assert.ok(copy.VersionId && copy.VersionId !== 'null');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'v-copy', Key: 'dst' }));
    assert.equal(await got.Body!.transformToString(), 'old');
    assert.equal(got.Metadata?.gen, '1');
    assert.equal(got.VersionId, copy.VersionId);
    // Without a version id the copy takes the latest.
    const latest = await s3.send(new CopyObjectCommand({ Bucket: 'v-copy', Key: 'dst2', CopySource: 'v-copy/src' }));
    assert.notEqual(latest.CopySourceVersionId, old);
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-copy', Key: 'dst2' }))), 'new');
    // Copying a source version that does not exist, or whose latest is a delete marker.
    await rejects(s3.send(new CopyObjectCommand({ Bucket: 'v-copy', Key: 'dst3', CopySource: 'v-copy/src?versionId=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 'NoSuchVersion', 404);
    await s3.send(new DeleteObjectCommand({ Bucket: 'v-copy', Key: 'src' }));
    await rejects(s3.send(new CopyObjectCommand({ Bucket: 'v-copy', Key: 'dst3', CopySource: 'v-copy/src' })), 'NoSuchKey', 404);
    // The older version is still a valid source after the delete.
    await s3.send(new CopyObjectCommand({ Bucket: 'v-copy', Key: 'dst3', CopySource: `v-copy/src?versionId=${encodeURIComponent(old)}` }));
    assert.equal(await text(s3.send(new GetObjectCommand({ Bucket: 'v-copy', Key: 'dst3' }))), 'old');
  });

  test('DeleteObjects with VersionId entries', async () => {
    await versionedBucket('v-multi');
    const x1 = (await s3.send(new PutObjectCommand({ Bucket: 'v-multi', Key: 'x', Body: '1' }))).VersionId!;
    const x2 = (await s3.send(new PutObjectCommand({ Bucket: 'v-multi', Key: 'x', Body: '2' }))).VersionId!;
    const y1 = (await s3.send(new PutObjectCommand({ Bucket: 'v-multi', Key: 'y', Body: '1' }))).VersionId!;
    const out = await s3.send(new DeleteObjectsCommand({
      Bucket: 'v-multi',
      Delete: { Objects: [{ Key: 'x', VersionId: x2 }, { Key: 'y' }, { Key: 'x', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }] },
    }));
    assert.equal(out.Errors, undefined);
    const byKey = new Map(out.Deleted!.map((d) => [`${d.Key}:${d.VersionId ?? ''}`, d]));
    assert.ok(byKey.has(`x:${x2}`));
    assert.equal(byKey.get(`x:${x2}`)!.DeleteMarker, undefined);
    const yMarker = out.Deleted!.find((d) => d.Key === 'y')!;
    assert.equal(yMarker.DeleteMarker, true);
    assert.ok(yMarker.DeleteMarkerVersionId);
    // Deleting a version that does not exist succeeds, as S3 does.
    assert.ok(byKey.has('x:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));

    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'v-multi', Key: 'x' }))).VersionId, x1);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-multi', Key: 'y' })), 'NoSuchKey', 404);
    // Removing y's marker by version id in a batch restores y.
    const undo = await s3.send(new DeleteObjectsCommand({ Bucket: 'v-multi', Delete: { Objects: [{ Key: 'y', VersionId: yMarker.DeleteMarkerVersionId }] } }));
    assert.equal(undo.Deleted?.[0]?.DeleteMarker, true);
    assert.equal(undo.Deleted?.[0]?.DeleteMarkerVersionId, yMarker.DeleteMarkerVersionId);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'v-multi', Key: 'y' }))).VersionId, y1);
  });

  test('invalid version id → 400 InvalidArgument; nonexistent → 404 NoSuchVersion', async () => {
    await versionedBucket('v-ids');
    await s3.send(new PutObjectCommand({ Bucket: 'v-ids', Key: 'k', Body: 'x' }));
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-ids', Key: 'k', VersionId: 'not a version!' })), 'InvalidArgument', 400);
    await rejects(s3.send(new DeleteObjectCommand({ Bucket: 'v-ids', Key: 'k', VersionId: 'not a version!' })), 'InvalidArgument', 400);
    await headRejects(s3.send(new HeadObjectCommand({ Bucket: 'v-ids', Key: 'k', VersionId: 'not a version!' })), 400);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-ids', Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 'NoSuchVersion', 404);
    await headRejects(s3.send(new HeadObjectCommand({ Bucket: 'v-ids', Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 404);
    // A version id of another key does not name a version of this one.
    const other = (await s3.send(new PutObjectCommand({ Bucket: 'v-ids', Key: 'other', Body: 'y' }))).VersionId!;
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'v-ids', Key: 'k', VersionId: other })), 'NoSuchVersion', 404);
  });
});
