import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand,
  UploadPartCopyCommand, type CompletedPart,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startTestServer, s3Client, type TestServer } from './harness.js';
import { rejects } from './expect.js';


const MiB = 1024 * 1024;
const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

/** The multipart ETag: MD5 of the concatenated binary part MD5s, with the part count. */
function multipartEtag(parts: Uint8Array[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(md5(p));
  return `"${h.digest('hex')}-${parts.length}"`;
}

/** CRC-32 (ISO-HDLC), written here so the test does not trust Coffer's own implementation. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Uint8Array): Buffer {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out;
}

function split(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

async function bytesOf(out: { Body?: { transformToByteArray(): Promise<Uint8Array> } }): Promise<Buffer> {
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('S3 multipart uploads with the AWS SDK v3', () => {
  let srv: TestServer;
  let s3: S3Client;
  const B = 'multipart';
  /** A 12 MiB three-part object (5 + 5 + 2 MiB) shared by the read tests. */
  let mpData: Buffer;
  let mpParts: Buffer[];

  async function uploadParts(key: string, parts: Buffer[]): Promise<{ uploadId: string; completed: CompletedPart[] }> {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
    const completed: CompletedPart[] = [];
    for (const [i, Body] of parts.entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: i + 1, Body }));
      completed.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    return { uploadId: UploadId!, completed };
  }

  before(async () => {
    srv = await startTestServer();
    s3 = s3Client(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    mpData = randomBytes(12 * MiB);
    mpParts = split(mpData, 5 * MiB);
    const { uploadId, completed } = await uploadParts('three-parts', mpParts);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'three-parts', UploadId: uploadId, MultipartUpload: { Parts: completed } }));
  });
  after(async () => {
    s3.destroy();
    await srv.stop();
  });

  test('lib-storage Upload: 23 MiB in 5 MiB parts, four at a time', async () => {
    const data = randomBytes(23 * MiB);
    const upload = new Upload({ client: s3, params: { Bucket: B, Key: 'big/upload.bin', Body: data, ContentType: 'application/x-big' }, partSize: 5 * MiB, queueSize: 4 });
    const progress: number[] = [];
    upload.on('httpUploadProgress', (p) => { if (p.part !== undefined) progress.push(p.part); });
    const done = await upload.done();
    const parts = split(data, 5 * MiB);
    assert.equal(parts.length, 5);
    assert.equal(done.ETag, multipartEtag(parts));
    assert.match(done.ETag!, /^"[0-9a-f]{32}-5"$/);
    assert.deepEqual([...new Set(progress)].sort((a, b) => a - b), [1, 2, 3, 4, 5]);

    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big/upload.bin' }));
    assert.equal(got.ETag, done.ETag);
    assert.equal(got.ContentLength, data.length);
    assert.equal(got.ContentType, 'application/x-big');
    assert.ok((await bytesOf(got)).equals(data), 'byte-identical');
    // lib-storage asks for CRC32; the object's checksum is the COMPOSITE CRC32 of the part CRC32s.
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'big/upload.bin', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumCRC32, `${crc32(Buffer.concat(parts.map(crc32))).toString('base64')}-5`);
    assert.equal(head.ChecksumType, 'COMPOSITE');
    const none = await s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'big/' }));
    assert.equal(none.Uploads, undefined, 'a completed upload is gone');
  });

  test('ListParts pages with MaxParts and PartNumberMarker; Abort then NoSuchUpload', async () => {
    const key = 'lp/parts';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key, Metadata: { m: '1' } }));
    const bodies = [1, 2, 3, 4, 5].map((n) => Buffer.alloc(1000 + n, n));
    const etags: string[] = [];
    for (const [i, Body] of bodies.entries()) etags.push((await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: i + 1, Body }))).ETag!);
    assert.deepEqual(etags, bodies.map((b) => `"${md5(b).toString('hex')}"`));

    const seen: number[] = [];
    let marker: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 10);
      const out = await s3.send(new ListPartsCommand({ Bucket: B, Key: key, UploadId, MaxParts: 2, PartNumberMarker: marker }));
      assert.equal(out.MaxParts, 2);
      assert.equal(out.UploadId, UploadId);
      assert.equal(out.Key, key);
      assert.equal(out.StorageClass, 'STANDARD');
      assert.match(out.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
      for (const p of out.Parts ?? []) {
        assert.equal(p.ETag, etags[p.PartNumber! - 1]);
        assert.equal(p.Size, bodies[p.PartNumber! - 1]!.length);
        assert.ok(p.LastModified instanceof Date);
      }
      seen.push(...(out.Parts ?? []).map((p) => p.PartNumber!));
      if (!out.IsTruncated) break;
      assert.equal(out.NextPartNumberMarker, String(seen[seen.length - 1]));
      marker = out.NextPartNumberMarker;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);

    await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: key, UploadId }));
    await rejects(s3.send(new ListPartsCommand({ Bucket: B, Key: key, UploadId })), 'NoSuchUpload', 404);
    await rejects(s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 6, Body: 'x' })), 'NoSuchUpload', 404);
    await rejects(s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: key, UploadId })), 'NoSuchUpload', 404);
    await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etags[0] }] } })), 'NoSuchUpload', 404);
    await rejects(s3.send(new GetObjectCommand({ Bucket: B, Key: key })), 'NoSuchKey', 404);
    // An upload id is bound to its key.
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'lp/other' }));
    await rejects(s3.send(new ListPartsCommand({ Bucket: B, Key: 'lp/not-other', UploadId: other.UploadId })), 'NoSuchUpload', 404);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'lp/other', UploadId: other.UploadId }));
  });

  test('ListMultipartUploads: prefix, delimiter and pagination', async () => {
    const keys = ['mu/a-', 'mu/a/1', 'mu/a/2', 'mu/a0', 'mu/b', 'mu/b', 'mu/b', 'mu/c/d/e', 'mu/d'];
    const created: Array<{ key: string; id: string }> = [];
    for (const Key of keys) created.push({ key: Key, id: (await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key })))!.UploadId! });

    const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'mu/' }));
    assert.equal(all.Uploads?.length, keys.length);
    assert.deepEqual(all.Uploads!.map((u) => u.Key), [...keys].sort());
    assert.equal(all.IsTruncated, false);
    assert.deepEqual(new Set(all.Uploads!.map((u) => u.UploadId)), new Set(created.map((c) => c.id)));
    for (const u of all.Uploads!) {
      assert.ok(u.Initiated instanceof Date);
      assert.ok(u.Initiator?.ID);
      assert.equal(u.StorageClass, 'STANDARD');
    }

    const delim = await s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'mu/', Delimiter: '/' }));
    assert.deepEqual(delim.CommonPrefixes?.map((p) => p.Prefix), ['mu/a/', 'mu/c/']);
    assert.deepEqual(delim.Uploads?.map((u) => u.Key), ['mu/a-', 'mu/a0', 'mu/b', 'mu/b', 'mu/b', 'mu/d']);
    const nested = await s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'mu/a/', Delimiter: '/' }));
    assert.deepEqual(nested.Uploads?.map((u) => u.Key), ['mu/a/1', 'mu/a/2']);
    assert.equal(nested.CommonPrefixes, undefined);

    // Pages of every size, with and without a delimiter, return each upload (and prefix) once.
    for (const delimiter of [undefined, '/']) {
      for (const max of [1, 2, 3]) {
        const uploads: string[] = [];
        const prefixes: string[] = [];
        let keyMarker: string | undefined;
        let uploadIdMarker: string | undefined;
        for (let pages = 0; ; pages++) {
          assert.ok(pages < 30);
          const out = await s3.send(new ListMultipartUploadsCommand({
            Bucket: B, Prefix: 'mu/', Delimiter: delimiter, MaxUploads: max, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker,
          }));
          assert.ok((out.Uploads?.length ?? 0) + (out.CommonPrefixes?.length ?? 0) <= max);
          uploads.push(...(out.Uploads ?? []).map((u) => u.UploadId!));
          prefixes.push(...(out.CommonPrefixes ?? []).map((p) => p.Prefix!));
          if (!out.IsTruncated) break;
          keyMarker = out.NextKeyMarker;
          uploadIdMarker = out.NextUploadIdMarker;
        }
        const want = delimiter ? created.filter((c) => !/^mu\/(a|c)\//.test(c.key)) : created;
        assert.deepEqual(new Set(uploads), new Set(want.map((c) => c.id)), `delimiter=${delimiter} max=${max}`);
        assert.equal(uploads.length, want.length, `each upload once: delimiter=${delimiter} max=${max}`);
        assert.deepEqual(prefixes, delimiter ? ['mu/a/', 'mu/c/'] : []);
      }
    }
    for (const c of created) await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: c.key, UploadId: c.id }));
  });

  test('CompleteMultipartUpload errors: EntityTooSmall, InvalidPart, InvalidPartOrder, NoSuchUpload', async () => {
    const key = 'errors/obj';
    const small = [Buffer.alloc(MiB, 1), Buffer.alloc(MiB, 2)];
    const { uploadId, completed } = await uploadParts(key, small);
    const complete = (Parts: CompletedPart[], UploadId = uploadId) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId, MultipartUpload: { Parts } }));
    await rejects(complete(completed), 'EntityTooSmall', 400);
    await rejects(complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]), 'InvalidPart', 400);
    await rejects(complete([{ PartNumber: 3, ETag: completed[1]!.ETag }]), 'InvalidPart', 400);
    await rejects(complete([completed[1]!, completed[0]!]), 'InvalidPartOrder', 400);
    await rejects(complete(completed, 'no-such-upload-id'), 'NoSuchUpload', 404);
    // The upload survives failed completions: one small part alone is a valid (last) part.
    const done = await complete([completed[1]!]);
    assert.equal(done.ETag, multipartEtag([small[1]!]));
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
    assert.ok((await bytesOf(got)).equals(small[1]!));
    await rejects(complete([completed[1]!]), 'NoSuchUpload', 404);
  });

  test('uploading a part number twice replaces the part', async () => {
    const key = 'replace/obj';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
    const first = Buffer.alloc(5 * MiB, 'a');
    const second = Buffer.alloc(5 * MiB, 'b');
    const tail = Buffer.from('tail');
    const e1 = (await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 1, Body: first }))).ETag;
    const e1b = (await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 1, Body: second }))).ETag;
    const e2 = (await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 2, Body: tail }))).ETag;
    assert.notEqual(e1, e1b);
    const parts = await s3.send(new ListPartsCommand({ Bucket: B, Key: key, UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.ETag]), [[1, e1b], [2, e2]]);
    await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }] } })), 'InvalidPart', 400);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1b }, { PartNumber: 2, ETag: e2 }] } }));
    const got = await bytesOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: key })));
    assert.ok(got.equals(Buffer.concat([second, tail])));
  });

  test('UploadPartCopy with CopySourceRange', async () => {
    const src = randomBytes(6 * MiB + 123);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'copy/source', Body: src }));
    const key = 'copy/target';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
    const c1 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: key, UploadId, PartNumber: 1, CopySource: `${B}/copy/source`, CopySourceRange: `bytes=${MiB}-${6 * MiB - 1}` }));
    // A part copied from another multipart object, across its part boundaries (5 MiB + 20 bytes).
    const c2 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: key, UploadId, PartNumber: 2, CopySource: `${B}/three-parts`, CopySourceRange: `bytes=${5 * MiB - 10}-${10 * MiB + 9}` }));
    const c3 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: key, UploadId, PartNumber: 3, CopySource: `${B}/copy/source`, CopySourceRange: 'bytes=100-199' }));
    const want = [src.subarray(MiB, 6 * MiB), mpData.subarray(5 * MiB - 10, 10 * MiB + 10), src.subarray(100, 200)];
    for (const [i, c] of [c1, c2, c3].entries()) assert.equal(c.CopyPartResult?.ETag, `"${md5(want[i]!).toString('hex')}"`);
    assert.ok(c1.CopyPartResult?.LastModified instanceof Date);
    await rejects(s3.send(new UploadPartCopyCommand({ Bucket: B, Key: key, UploadId, PartNumber: 4, CopySource: `${B}/copy/source`, CopySourceRange: `bytes=0-${src.length}` })), 'InvalidRange', 416);
    await rejects(s3.send(new UploadPartCopyCommand({ Bucket: B, Key: key, UploadId, PartNumber: 4, CopySource: `${B}/copy/missing` })), 'NoSuchKey', 404);
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: B, Key: key, UploadId,
      MultipartUpload: { Parts: [c1, c2, c3].map((c, i) => ({ PartNumber: i + 1, ETag: c.CopyPartResult!.ETag })) },
    }));
    assert.equal(done.ETag, multipartEtag(want));
    const got = await bytesOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: key })));
    assert.ok(got.equals(Buffer.concat(want)));
  });

  test('GetObject and HeadObject by PartNumber', async () => {
    let offset = 0;
    for (const [i, part] of mpParts.entries()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'three-parts', PartNumber: i + 1 }));
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.PartsCount, 3);
      assert.equal(got.ContentLength, part.length);
      assert.equal(got.ContentRange, `bytes ${offset}-${offset + part.length - 1}/${mpData.length}`);
      assert.equal(got.ETag, multipartEtag(mpParts), 'the ETag is the whole object\'s');
      assert.ok((await bytesOf(got)).equals(part));
      offset += part.length;
    }
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'three-parts', PartNumber: 2 }));
    assert.equal(head.$metadata.httpStatusCode, 206);
    assert.equal(head.PartsCount, 3);
    assert.equal(head.ContentLength, mpParts[1]!.length);
    const whole = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'three-parts' }));
    assert.equal(whole.PartsCount, undefined, 'parts count only on a part read');
    await rejects(s3.send(new GetObjectCommand({ Bucket: B, Key: 'three-parts', PartNumber: 4 })), 'InvalidPartNumber', 416);
    // A single-part object has exactly one part.
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'single', Body: 'hello' }));
    const one = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'single', PartNumber: 1 }));
    assert.equal(await one.Body!.transformToString(), 'hello');
    await rejects(s3.send(new GetObjectCommand({ Bucket: B, Key: 'single', PartNumber: 2 })), 'InvalidPartNumber', 416);
  });

  test('ranged GET across part boundaries', async () => {
    const ranges: Array<[number, number]> = [
      [5 * MiB - 1, 5 * MiB], // the last byte of part 1 and the first of part 2
      [MiB, 11 * MiB], // spans all three parts
      [10 * MiB, 10 * MiB], // the first byte of part 3
      [12 * MiB - 5, 12 * MiB - 1], // the tail
    ];
    for (const [start, end] of ranges) {
      const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'three-parts', Range: `bytes=${start}-${end}` }));
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.ContentRange, `bytes ${start}-${end}/${mpData.length}`);
      assert.ok((await bytesOf(got)).equals(mpData.subarray(start, end + 1)), `range ${start}-${end}`);
    }
    const suffix = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'three-parts', Range: `bytes=-${2 * MiB + 7}` }));
    assert.ok((await bytesOf(suffix)).equals(mpData.subarray(mpData.length - (2 * MiB + 7))));
  });

  test('SHA256 checksums: per part and the composite checksum of the object', async () => {
    const key = 'checksum/sha256';
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];
    const { UploadId, ChecksumAlgorithm } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key, ChecksumAlgorithm: 'SHA256' }));
    assert.equal(ChecksumAlgorithm, 'SHA256');
    const completed: CompletedPart[] = [];
    for (const [i, Body] of parts.entries()) {
      const ChecksumSHA256 = sha256(Body).toString('base64');
      const r = await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: i + 1, Body, ChecksumSHA256 }));
      assert.equal(r.ChecksumSHA256, ChecksumSHA256);
      completed.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256 });
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: B, Key: key, UploadId }));
    assert.deepEqual(listed.Parts?.map((p) => p.ChecksumSHA256), completed.map((c) => c.ChecksumSHA256));
    assert.equal(listed.ChecksumAlgorithm, 'SHA256');
    // A part checksum in the completion that does not match what was uploaded.
    await rejects(s3.send(new CompleteMultipartUploadCommand({
      Bucket: B, Key: key, UploadId,
      MultipartUpload: { Parts: [completed[0]!, { ...completed[1]!, ChecksumSHA256: sha256(Buffer.from('x')).toString('base64') }, completed[2]!] },
    })), 'InvalidPart', 400);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId, MultipartUpload: { Parts: completed } }));
    const composite = `${sha256(Buffer.concat(parts.map(sha256))).toString('base64')}-3`;
    assert.equal(done.ChecksumSHA256, composite);
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: key, ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumSHA256, composite);
    assert.equal(head.ChecksumType, 'COMPOSITE');
    const plain = await s3.send(new HeadObjectCommand({ Bucket: B, Key: key }));
    assert.equal(plain.ChecksumSHA256, undefined, 'checksums only with ChecksumMode ENABLED');
    // A part read returns that part's checksum.
    const part2 = await s3.send(new GetObjectCommand({ Bucket: B, Key: key, PartNumber: 2, ChecksumMode: 'ENABLED' }));
    assert.ok((await bytesOf(part2)).equals(parts[1]!));
  });

  test('FULL_OBJECT CRC32: the CRC of the whole object, combined from the parts', async () => {
    const key = 'checksum/full-object';
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB + 17), randomBytes(999)];
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key, ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }));
    assert.equal(created.ChecksumType, 'FULL_OBJECT');
    const completed: CompletedPart[] = [];
    for (const [i, Body] of parts.entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId: created.UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'CRC32' }));
      assert.equal(r.ChecksumCRC32, crc32(Body).toString('base64'));
      completed.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
    }
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: completed } }));
    const whole = crc32(Buffer.concat(parts)).toString('base64');
    assert.equal(done.ChecksumCRC32, whole);
    assert.equal(done.ChecksumType, 'FULL_OBJECT');
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: key, ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumCRC32, whole);
    assert.equal(head.ChecksumType, 'FULL_OBJECT');
    await rejects(s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key, ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' })), 'InvalidRequest', 400);
    await rejects(s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key, ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' })), 'InvalidRequest', 400);
  });

  test('the SDK\'s default CRC32 on PutObject comes back with ChecksumMode ENABLED', async () => {
    const body = randomBytes(100_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'checksum/crc32', Body: body }));
    const crc = crc32(body).toString('base64');
    assert.equal(put.ChecksumCRC32, crc);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'checksum/crc32', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC32, crc);
    assert.equal(got.ChecksumType, 'FULL_OBJECT');
    assert.ok((await bytesOf(got)).equals(body));
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'checksum/crc32', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumCRC32, crc);
  });

  test('conditional CompleteMultipartUpload with If-None-Match: *', async () => {
    const key = 'conditional/obj';
    await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: 'existing' }));
    const { uploadId, completed } = await uploadParts(key, [Buffer.from('new')]);
    await rejects(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId: uploadId, IfNoneMatch: '*', MultipartUpload: { Parts: completed } })), 'PreconditionFailed', 412);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: key }))).Body!.transformToString(), 'existing');
    // On a free key the same completion succeeds.
    const fresh = await uploadParts('conditional/fresh', [Buffer.from('new')]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'conditional/fresh', UploadId: fresh.uploadId, IfNoneMatch: '*', MultipartUpload: { Parts: fresh.completed } }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'conditional/fresh' }))).Body!.transformToString(), 'new');
  });
});
