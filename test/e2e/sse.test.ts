import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { readdir, readFile, stat, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand, GetObjectCommand, HeadObjectCommand, PutBucketEncryptionCommand, PutObjectCommand, UploadPartCommand,
  UploadPartCopyCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, type KMSClient } from '@aws-sdk/client-kms';
import { awsCli, kmsClient, ROOT_KEY, s3Client, startTestServer, type TestServer } from './harness.js';
import { signedRequest, xmlText } from './raw-http.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const ACCOUNT = '000000000000';
const md5b64 = (b: Buffer): string => createHash('md5').update(b).digest('base64');

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

async function bodyOf(out: { Body?: unknown }): Promise<Buffer> {
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

function customerKey(): { SSECustomerAlgorithm: string; SSECustomerKey: string; SSECustomerKeyMD5: string; raw: Buffer } {
  const raw = randomBytes(32);
  return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: raw.toString('base64'), SSECustomerKeyMD5: md5b64(raw), raw };
}
const ssec = (k: ReturnType<typeof customerKey>) => ({ SSECustomerAlgorithm: k.SSECustomerAlgorithm, SSECustomerKey: k.SSECustomerKey, SSECustomerKeyMD5: k.SSECustomerKeyMD5 });

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await allFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Windows of the plaintext that must not appear anywhere on disk. */
function probes(b: Buffer): Buffer[] {
  const w = Math.min(48, b.length);
  const at = [0, Math.floor((b.length - w) / 2), b.length - w];
  return at.map((o) => b.subarray(o, o + w));
}

async function multipart(s3: S3Client, Bucket: string, Key: string, parts: Buffer[], extra: Record<string, unknown> = {}, partExtra: Record<string, unknown> = {}) {
  const c = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ...extra }));
  const done = [];
  for (const [i, p] of parts.entries()) {
    const r = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId: c.UploadId!, PartNumber: i + 1, Body: p, ...partExtra }));
    done.push({ r, part: { PartNumber: i + 1, ETag: r.ETag! } });
  }
  const complete = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: c.UploadId!, MultipartUpload: { Parts: done.map((d) => d.part) } }));
  return { create: c, parts: done.map((d) => d.r), complete };
}

async function auditedActions(srv: TestServer, requestIds: string[], action: string): Promise<number> {
  let n = 0;
  for (const id of requestIds) n += (await srv.running.app.audit.byRequestId(id)).filter((r) => r.action === action && r.result === 'Allow').length;
  return n;
}

describe('server-side encryption', () => {
  let srv: TestServer;
  let s3: S3Client;
  let kms: KMSClient;
  let keyArn: string;
  let keyId: string;
  const B = 'sse-bucket';
  const plaintexts: Buffer[] = [];
  const customerKeys: Buffer[] = [];

  before(async () => {
    srv = await startTestServer({ COFFER_ALLOW_SSE_C_OVER_HTTP: 'true' });
    s3 = s3Client(srv.endpoint);
    kms = kmsClient(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    const k = await kms.send(new CreateKeyCommand({ Description: 's3 objects' }));
    keyArn = k.KeyMetadata!.Arn!;
    keyId = k.KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/objects', TargetKeyId: keyId }));
  });
  after(async () => {
    await srv.stop();
  });

  test('SSE-S3 by default; SSE-KMS by id, ARN and alias; aws/s3 when no key is named; headers on PUT, GET, HEAD', async () => {
    const body = randomBytes(200 * KiB);
    plaintexts.push(body);
    const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'default', Body: body }));
    assert.equal(put.ServerSideEncryption, 'AES256');
    assert.equal(put.SSEKMSKeyId, undefined);
    for (const [i, id] of [keyId, keyArn, 'alias/objects', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/objects`].entries()) {
      const data = randomBytes(i % 2 ? 300 * KiB : 3 * KiB);
      plaintexts.push(data);
      const p = await s3.send(new PutObjectCommand({ Bucket: B, Key: `kms-${i}`, Body: data, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: id }));
      assert.equal(p.ServerSideEncryption, 'aws:kms');
      assert.equal(p.SSEKMSKeyId, keyArn);
      assert.equal(p.BucketKeyEnabled, undefined);
      const h = await s3.send(new HeadObjectCommand({ Bucket: B, Key: `kms-${i}` }));
      assert.equal(h.ServerSideEncryption, 'aws:kms');
      assert.equal(h.SSEKMSKeyId, keyArn);
      const g = await s3.send(new GetObjectCommand({ Bucket: B, Key: `kms-${i}` }));
      assert.equal(g.ServerSideEncryption, 'aws:kms');
      assert.equal(g.SSEKMSKeyId, keyArn);
      assert.ok((await bodyOf(g)).equals(data));
    }
    const managed = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'managed', Body: 'aws/s3', ServerSideEncryption: 'aws:kms' }));
    assert.match(managed.SSEKMSKeyId!, new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/`));
    assert.notEqual(managed.SSEKMSKeyId, keyArn);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'managed' }))).Body!.transformToString(), 'aws/s3');
  });

  test('encryption context: merged with aws:s3:arn and returned on PUT', async () => {
    const ctx = Buffer.from(JSON.stringify({ project: 'coffer' })).toString('base64');
    const p = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'ctx', Body: 'with context', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, SSEKMSEncryptionContext: ctx }));
    assert.deepEqual(JSON.parse(Buffer.from(p.SSEKMSEncryptionContext!, 'base64').toString()), { project: 'coffer', 'aws:s3:arn': `arn:aws:s3:::${B}/ctx` });
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'ctx' }))).Body!.transformToString(), 'with context');
    const bad = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'ctx2', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSEncryptionContext: 'not json' })));
    assert.equal(bad.name, 'InvalidArgument');
  });

  test('DSSE-KMS: two layers, reported as aws:kms:dsse', async () => {
    const data = randomBytes(400 * KiB);
    plaintexts.push(data);
    const p = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dsse', Body: data, ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: keyArn }));
    assert.equal(p.ServerSideEncryption, 'aws:kms:dsse');
    assert.equal(p.SSEKMSKeyId, keyArn);
    const g = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'dsse', Range: 'bytes=65530-131080' }));
    assert.equal(g.ServerSideEncryption, 'aws:kms:dsse');
    assert.ok((await bodyOf(g)).equals(data.subarray(65530, 131081)));
  });

  test('SSE-C: blocked on new buckets until PutBucketEncryption allows it; then the key is required, checked, and must match', async () => {
    const k = customerKey();
    customerKeys.push(k.raw);
    const blocked = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'ssec', Body: 'x', ...ssec(k) })));
    assert.equal(blocked.name, 'AccessDenied');
    const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: B }));
    assert.deepEqual(enc.ServerSideEncryptionConfiguration!.Rules![0]!.BlockedEncryptionTypes, { EncryptionType: ['SSE-C'] });
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: B,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['NONE'] } }] },
    }));
    const data = randomBytes(500 * KiB);
    plaintexts.push(data);
    const p = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'ssec', Body: data, ...ssec(k) }));
    assert.equal(p.SSECustomerAlgorithm, 'AES256');
    assert.equal(p.SSECustomerKeyMD5, k.SSECustomerKeyMD5);
    assert.equal(p.ServerSideEncryption, undefined);
    const small = randomBytes(2 * KiB);
    plaintexts.push(small);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'ssec-small', Body: small, ...ssec(k) }));
    // Reads need the key, the right key.
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: 'ssec' })));
    assert.equal(missing.name, 'InvalidRequest');
    assert.match(missing.message, /The object was stored using a form of Server Side Encryption\. The correct parameters must be provided to retrieve the object\./);
    assert.equal((await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'ssec' })))).status, 400);
    const wrong = customerKey();
    const w = await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: 'ssec', ...ssec(wrong) })));
    assert.equal(w.name, 'AccessDenied');
    assert.equal(w.status, 403);
    assert.equal((await failure(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'ssec', ...ssec(wrong) })))).status, 403);
    const h = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'ssec', ...ssec(k) }));
    assert.equal(h.SSECustomerKeyMD5, k.SSECustomerKeyMD5);
    const g = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'ssec', ...ssec(k), Range: 'bytes=100000-300000' }));
    assert.equal(g.SSECustomerAlgorithm, 'AES256');
    assert.ok((await bodyOf(g)).equals(data.subarray(100000, 300001)));
    // Key on an object that has none.
    assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: 'default', ...ssec(k) })))).name, 'InvalidRequest');
    // Header validation.
    // (The SDK computes the MD5 itself: a wrong one needs a raw request.)
    const raw = (headers: Record<string, string>) => signedRequest(srv.port, { method: 'PUT', path: `/${B}/bad`, key: ROOT_KEY, body: Buffer.from('x'), headers });
    const badMd5 = await raw({ 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': k.SSECustomerKey, 'x-amz-server-side-encryption-customer-key-md5': md5b64(randomBytes(4)) });
    assert.equal(xmlText(badMd5.body, 'Code'), 'InvalidArgument');
    assert.equal(xmlText(badMd5.body, 'Message'), 'The calculated MD5 hash of the key did not match the hash that was provided.');
    const noMd5 = await raw({ 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': k.SSECustomerKey });
    assert.equal(xmlText(noMd5.body, 'Code'), 'InvalidArgument');
    const badAlg = await raw({ 'x-amz-server-side-encryption-customer-algorithm': 'AES128', 'x-amz-server-side-encryption-customer-key': k.SSECustomerKey, 'x-amz-server-side-encryption-customer-key-md5': k.SSECustomerKeyMD5 });
    assert.equal(badAlg.status, 400);
    assert.equal(xmlText(badAlg.body, 'Code'), 'InvalidEncryptionAlgorithmError');
    const both = await raw({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': k.SSECustomerKey, 'x-amz-server-side-encryption-customer-key-md5': k.SSECustomerKeyMD5 });
    assert.equal(xmlText(both.body, 'Code'), 'InvalidArgument');
    const short = randomBytes(16);
    const badKey = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad', Body: 'x', SSECustomerAlgorithm: 'AES256', SSECustomerKey: short.toString('base64'), SSECustomerKeyMD5: md5b64(short) })));
    assert.equal(badKey.name, 'InvalidArgument');
    // Copy: the source key on x-amz-copy-source-…, the target re-encrypted to its own settings.
    const noSourceKey = await failure(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'ssec-copy', CopySource: `${B}/ssec` })));
    assert.equal(noSourceKey.name, 'InvalidRequest');
    const k2 = customerKey();
    customerKeys.push(k2.raw);
    const cp = await s3.send(new CopyObjectCommand({
      Bucket: B, Key: 'ssec-copy', CopySource: `${B}/ssec`,
      CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: k.SSECustomerKey, CopySourceSSECustomerKeyMD5: k.SSECustomerKeyMD5, ...ssec(k2),
    }));
    assert.equal(cp.SSECustomerKeyMD5, k2.SSECustomerKeyMD5);
    assert.ok((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: 'ssec-copy', ...ssec(k2) })))).equals(data));
    assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: 'ssec-copy', ...ssec(k) })))).name, 'AccessDenied');
    const toKms = await s3.send(new CopyObjectCommand({
      Bucket: B, Key: 'ssec-to-kms', CopySource: `${B}/ssec`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn,
      CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: k.SSECustomerKey, CopySourceSSECustomerKeyMD5: k.SSECustomerKeyMD5,
    }));
    assert.equal(toKms.ServerSideEncryption, 'aws:kms');
    assert.equal(toKms.SSEKMSKeyId, keyArn);
    assert.ok((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: 'ssec-to-kms' })))).equals(data));
  });

  test('ranged reads across chunk boundaries match the plaintext (SSE-KMS and SSE-C, single and multipart)', async () => {
    const k = customerKey();
    customerKeys.push(k.raw);
    const single = randomBytes(3 * MiB + 12345);
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB + 7), randomBytes(700 * KiB + 3)];
    const whole = Buffer.concat(parts);
    plaintexts.push(single, whole);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'r-kms', Body: single, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'r-ssec', Body: single, ...ssec(k) }));
    const mk = await multipart(s3, B, 'r-kms-mp', parts, { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    assert.equal(mk.create.ServerSideEncryption, 'aws:kms');
    assert.equal(mk.create.SSEKMSKeyId, keyArn);
    for (const p of mk.parts) {
      assert.equal(p.ServerSideEncryption, 'aws:kms');
      assert.equal(p.SSEKMSKeyId, keyArn);
    }
    assert.equal(mk.complete.ServerSideEncryption, 'aws:kms');
    assert.equal(mk.complete.SSEKMSKeyId, keyArn);
    // SSE-C parts need the key on every UploadPart.
    const c = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'r-ssec-mp', ...ssec(k) }));
    assert.equal(c.SSECustomerKeyMD5, k.SSECustomerKeyMD5);
    const noKey = await failure(s3.send(new UploadPartCommand({ Bucket: B, Key: 'r-ssec-mp', UploadId: c.UploadId!, PartNumber: 1, Body: parts[0] })));
    assert.equal(noKey.name, 'InvalidRequest');
    const other = customerKey();
    assert.equal((await failure(s3.send(new UploadPartCommand({ Bucket: B, Key: 'r-ssec-mp', UploadId: c.UploadId!, PartNumber: 1, Body: parts[0], ...ssec(other) })))).name, 'InvalidRequest');
    const etags = [];
    for (const [i, p] of parts.entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'r-ssec-mp', UploadId: c.UploadId!, PartNumber: i + 1, Body: p, ...ssec(k) }));
      assert.equal(r.SSECustomerKeyMD5, k.SSECustomerKeyMD5);
      etags.push({ PartNumber: i + 1, ETag: r.ETag! });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'r-ssec-mp', UploadId: c.UploadId!, MultipartUpload: { Parts: etags } }));
    const cases: Array<[string, Buffer, Record<string, unknown>]> = [
      ['r-kms', single, {}], ['r-ssec', single, ssec(k)], ['r-kms-mp', whole, {}], ['r-ssec-mp', whole, ssec(k)],
    ];
    const chunk = 64 * KiB;
    for (const [key, data, extra] of cases) {
      const ranges: Array<[number, number]> = [[0, 0], [chunk - 1, chunk], [data.length - 1, data.length - 1], [2 * MiB - 3, 2 * MiB + 2]];
      if (data.length > 5 * MiB) ranges.push([5 * MiB - 3, 5 * MiB + 2], [10 * MiB, 10 * MiB + 10]);
      for (let i = 0; i < 25; i++) {
        const start = randomInt(0, data.length);
        ranges.push([start, Math.min(data.length - 1, start + randomInt(0, 3 * chunk))]);
      }
      for (const [start, end] of ranges) {
        const g = await s3.send(new GetObjectCommand({ Bucket: B, Key: key, Range: `bytes=${start}-${end}`, ...extra }));
        assert.ok((await bodyOf(g)).equals(data.subarray(start, end + 1)), `${key} bytes=${start}-${end}`);
      }
      assert.ok((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: key, ...extra })))).equals(data), key);
    }
    // UploadPartCopy from an SSE-C source into an SSE-KMS upload.
    const c2 = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'pc', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    const pc = await s3.send(new UploadPartCopyCommand({
      Bucket: B, Key: 'pc', UploadId: c2.UploadId!, PartNumber: 1, CopySource: `${B}/r-ssec`, CopySourceRange: 'bytes=10-200009',
      CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: k.SSECustomerKey, CopySourceSSECustomerKeyMD5: k.SSECustomerKeyMD5,
    }));
    assert.equal(pc.ServerSideEncryption, 'aws:kms');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'pc', UploadId: c2.UploadId!, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: pc.CopyPartResult!.ETag! }] } }));
    assert.ok((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: 'pc' })))).equals(single.subarray(10, 200010)));
  });

  test('objects written before RotateKeyOnDemand still read; new ones use the new material', async () => {
    const before = randomBytes(150 * KiB);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'rot-1', Body: before, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const afterRot = randomBytes(150 * KiB);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'rot-2', Body: afterRot, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    assert.ok((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: 'rot-1' })))).equals(before));
    assert.ok((await bodyOf(await s3.send(new GetObjectCommand({ Bucket: B, Key: 'rot-2' })))).equals(afterRot));
  });

  test('a disabled key breaks reads and writes with KMS.DisabledException; enabling it restores them; pending deletion: KMS.KMSInvalidStateException', async () => {
    const k = await kms.send(new CreateKeyCommand({}));
    const arn = k.KeyMetadata!.Arn!;
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dis', Body: 'soon disabled', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn }));
    await kms.send(new DisableKeyCommand({ KeyId: arn }));
    const get = await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: 'dis' })));
    assert.equal(get.name, 'KMS.DisabledException');
    assert.equal(get.status, 400);
    const put = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'dis2', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn })));
    assert.equal(put.name, 'KMS.DisabledException');
    // HEAD does not call KMS.
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'dis' }))).SSEKMSKeyId, arn);
    await kms.send(new EnableKeyCommand({ KeyId: arn }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'dis' }))).Body!.transformToString(), 'soon disabled');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: arn, PendingWindowInDays: 7 }));
    assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: B, Key: 'dis' })))).name, 'KMS.KMSInvalidStateException');
    assert.equal((await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'dis3', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn })))).name, 'KMS.KMSInvalidStateException');
    const missing = await failure(s3.send(new PutObjectCommand({ Bucket: B, Key: 'nokey', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/does-not-exist' })));
    assert.equal(missing.name, 'KMS.NotFoundException');
  });

  test('bucket default encryption: SSE-S3 when never configured; SSE-KMS with a bucket key calls GenerateDataKey once for many PUTs', async () => {
    const BK = 'bk-bucket';
    await s3.send(new CreateBucketCommand({ Bucket: BK }));
    const initial = await s3.send(new GetBucketEncryptionCommand({ Bucket: BK }));
    const rule = initial.ServerSideEncryptionConfiguration!.Rules![0]!;
    assert.equal(rule.ApplyServerSideEncryptionByDefault!.SSEAlgorithm, 'AES256');
    assert.equal(rule.BucketKeyEnabled, false);
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: BK,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] },
    }));
    const got = (await s3.send(new GetBucketEncryptionCommand({ Bucket: BK }))).ServerSideEncryptionConfiguration!.Rules![0]!;
    assert.deepEqual(got.ApplyServerSideEncryptionByDefault, { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn });
    assert.equal(got.BucketKeyEnabled, true);
    const ids: string[] = [];
    const bodies: Buffer[] = [];
    for (let i = 0; i < 12; i++) {
      const data = randomBytes(i % 3 === 0 ? 200 * KiB : 4 * KiB);
      bodies.push(data);
      plaintexts.push(data);
      const p = await s3.send(new PutObjectCommand({ Bucket: BK, Key: `o${i}`, Body: data }));
      assert.equal(p.ServerSideEncryption, 'aws:kms');
      assert.equal(p.SSEKMSKeyId, keyArn);
      assert.equal(p.BucketKeyEnabled, true);
      ids.push(p.$metadata.requestId!);
    }
    assert.equal(await auditedActions(srv, ids, 'kms:GenerateDataKey'), 1);
    const readIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const g = await s3.send(new GetObjectCommand({ Bucket: BK, Key: `o${i}` }));
      assert.equal(g.BucketKeyEnabled, true);
      assert.ok((await bodyOf(g)).equals(bodies[i]!));
      readIds.push(g.$metadata.requestId!);
    }
    assert.ok(await auditedActions(srv, readIds, 'kms:Decrypt') <= 1);
    // Without a bucket key, one GenerateDataKey per object.
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: BK, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: false }] },
    }));
    const plain: string[] = [];
    for (let i = 0; i < 3; i++) plain.push((await s3.send(new PutObjectCommand({ Bucket: BK, Key: `n${i}`, Body: 'x' }))).$metadata.requestId!);
    assert.equal(await auditedActions(srv, plain, 'kms:GenerateDataKey'), 3);
    // Request headers win over the default; CopyObject re-encrypts to the target's default.
    const s3obj = await s3.send(new PutObjectCommand({ Bucket: BK, Key: 'explicit', Body: 'x', ServerSideEncryption: 'AES256' }));
    assert.equal(s3obj.ServerSideEncryption, 'AES256');
    const cp = await s3.send(new CopyObjectCommand({ Bucket: BK, Key: 'copied', CopySource: `${B}/default` }));
    assert.equal(cp.ServerSideEncryption, 'aws:kms');
    assert.equal(cp.SSEKMSKeyId, keyArn);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: BK }));
    assert.equal((await s3.send(new PutObjectCommand({ Bucket: BK, Key: 'after-delete', Body: 'x' }))).ServerSideEncryption, 'AES256');
    const bad = await failure(s3.send(new PutBucketEncryptionCommand({
      Bucket: BK, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: keyArn } }] },
    })));
    assert.equal(bad.name, 'InvalidArgument');
  });

  test('no plaintext (nor SSE-C key) of any object anywhere under the data directory', async () => {
    assert.ok(plaintexts.length >= 20);
    const needles = plaintexts.flatMap(probes);
    for (const k of customerKeys) needles.push(k, Buffer.from(k.toString('base64')));
    for (const file of await allFiles(srv.dataDir)) {
      if ((await stat(file)).size === 0) continue;
      const bytes = await readFile(file);
      for (const n of needles) assert.equal(bytes.indexOf(n), -1, `plaintext found in ${file}`);
    }
  });

  test('the AWS CLI: s3 cp --sse aws:kms --sse-kms-key-id, and s3api put-bucket-encryption', async () => {
    const work = await mkdtemp(join(tmpdir(), 'coffer-sse-cli-'));
    try {
      const file = join(work, 'f.bin');
      const data = randomBytes(100 * KiB);
      await writeFile(file, data);
      await awsCli(srv.endpoint, ['s3', 'cp', '--sse', 'aws:kms', '--sse-kms-key-id', keyArn, file, `s3://${B}/cli.bin`]);
      const h = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'cli.bin' }));
      assert.equal(h.ServerSideEncryption, 'aws:kms');
      assert.equal(h.SSEKMSKeyId, keyArn);
      const back = join(work, 'back.bin');
      await awsCli(srv.endpoint, ['s3', 'cp', `s3://${B}/cli.bin`, back]);
      assert.ok((await readFile(back)).equals(data));
      await s3.send(new CreateBucketCommand({ Bucket: 'cli-enc' }));
      await awsCli(srv.endpoint, ['s3api', 'put-bucket-encryption', '--bucket', 'cli-enc', '--server-side-encryption-configuration',
        JSON.stringify({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] })]);
      const { stdout } = await awsCli(srv.endpoint, ['s3api', 'get-bucket-encryption', '--bucket', 'cli-enc']);
      const rule = JSON.parse(stdout).ServerSideEncryptionConfiguration.Rules[0];
      assert.equal(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm, 'aws:kms');
      assert.equal(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID, keyArn);
      assert.equal(rule.BucketKeyEnabled, true);
      const p = await s3.send(new PutObjectCommand({ Bucket: 'cli-enc', Key: 'k', Body: 'x' }));
      assert.equal(p.BucketKeyEnabled, true);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('SSE-C over plain HTTP', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv.stop();
  });

  test('is refused without COFFER_ALLOW_SSE_C_OVER_HTTP', async () => {
    const s3 = s3Client(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: 'plain', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['NONE'] } }] },
    }));
    const k = customerKey();
    const e = await failure(s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'k', Body: 'x', ...ssec(k) })));
    assert.equal(e.name, 'InvalidRequest');
    assert.match(e.message, /secure connection/);
    await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'k', Body: 'x' }));
    assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: 'plain', Key: 'k', ...ssec(k) })))).name, 'InvalidRequest');
  });
});
