import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketPolicyCommand, GetObjectCommand, HeadObjectCommand, PutBucketPolicyCommand,
  PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand, GenerateDataKeyCommand, PutKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { iamClient, kmsClient, OTHER_ACCOUNT, OTHER_KEY, s3Client, startTestServer, stsClient, type Credentials, type TestServer } from './harness.js';

const A = '000000000000';
const B = OTHER_ACCOUNT;
const BUCKET = 'b-data';
const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  return { name: 'OK', message: '' };
}

describe('SSE-KMS permissions through S3: checked as the caller, as AWS does', () => {
  let srv: TestServer;
  let s3B: S3Client;
  let kmsB: KMSClient;
  let keyB: string;
  let roleA: Credentials;
  let userB: Credentials;
  const roleArn = `arn:aws:iam::${A}:role/cross-reader`;
  const keyPolicy = (extra: unknown[]) => doc([
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:*', Resource: '*' },
    ...extra,
  ]);
  const bucketPolicy = doc([{ Effect: 'Allow', Principal: { AWS: roleArn }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }]);
  const allowRoleViaS3 = { Sid: 'reader via S3', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-sse-access-'));
    const bootstrap = join(dir, 'bootstrap.json');
    writeFileSync(bootstrap, JSON.stringify({ accounts: [{ id: B, name: 'data', rootAccessKeys: [OTHER_KEY] }] }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: bootstrap });
    // Account A: a role that may read B's bucket and use KMS keys (its own policy allows; B's policies decide).
    const iamA = iamClient(srv.endpoint);
    await iamA.send(new CreateRoleCommand({ RoleName: 'cross-reader', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }]) }));
    await iamA.send(new PutRolePolicyCommand({ RoleName: 'cross-reader', PolicyName: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' }]) }));
    const assumed = await stsClient(srv.endpoint).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'xa' }));
    roleA = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    // Account B: the bucket, its key, objects under that key and under aws/s3, and a user with S3 permissions only.
    s3B = s3Client(srv.endpoint, OTHER_KEY);
    kmsB = kmsClient(srv.endpoint, OTHER_KEY);
    await s3B.send(new CreateBucketCommand({ Bucket: BUCKET }));
    keyB = (await kmsB.send(new CreateKeyCommand({ Description: 'B data' }))).KeyMetadata!.Arn!;
    await s3B.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cmk', Body: 'under B key', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB }));
    await s3B.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'managed', Body: 'under aws/s3', ServerSideEncryption: 'aws:kms' }));
    await s3B.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain', Body: 'sse-s3' }));
    const iamB = iamClient(srv.endpoint, OTHER_KEY);
    await iamB.send(new CreateUserCommand({ UserName: 's3-only' }));
    await iamB.send(new PutUserPolicyCommand({ UserName: 's3-only', PolicyName: 's3', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }));
    const k = await iamB.send(new CreateAccessKeyCommand({ UserName: 's3-only' }));
    userB = { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! };
  });
  after(async () => {
    await srv.stop();
  });

  test('a role from account A reads B\'s SSE-KMS object only when both the bucket policy and the key policy allow it', async () => {
    const s3A = s3Client(srv.endpoint, roleA);
    // Only the bucket policy: S3 allows, KMS Decrypt (as the role) does not.
    await s3B.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: bucketPolicy }));
    assert.equal(await (await s3A.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'plain' }))).Body!.transformToString(), 'sse-s3');
    const kmsDenied = await failure(s3A.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cmk' })));
    assert.equal(kmsDenied.name, 'AccessDenied');
    assert.match(kmsDenied.message, /kms:Decrypt/);
    // HEAD reads the record only: no KMS permission needed.
    assert.equal((await s3A.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cmk' }))).SSEKMSKeyId, keyB);
    // Only the key policy statement: KMS would allow, S3 does not.
    await s3B.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await kmsB.send(new PutKeyPolicyCommand({ KeyId: keyB, PolicyName: 'default', Policy: keyPolicy([allowRoleViaS3]) }));
    const s3Denied = await failure(s3A.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cmk' })));
    assert.equal(s3Denied.name, 'AccessDenied');
    assert.match(s3Denied.message, /s3:GetObject/);
    // Both: allowed, and only through S3 (the key policy says kms:ViaService).
    await s3B.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: bucketPolicy }));
    assert.equal(await (await s3A.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cmk' }))).Body!.transformToString(), 'under B key');
    const direct = await failure(kmsClient(srv.endpoint, roleA).send(new GenerateDataKeyCommand({ KeyId: keyB, KeySpec: 'AES_256' })));
    assert.equal(direct.name, 'AccessDeniedException');
  });

  test('objects under B\'s aws/s3 key are unreadable from account A whatever the bucket policy says', async () => {
    await s3B.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: doc([{ Effect: 'Allow', Principal: { AWS: [roleArn, `arn:aws:iam::${A}:root`] }, Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }]) }));
    for (const creds of [roleA, undefined]) {
      const s3A = s3Client(srv.endpoint, creds);
      const e = await failure(s3A.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'managed' })));
      assert.equal(e.name, 'AccessDenied');
      assert.match(e.message, /kms:Decrypt/);
    }
    // Within B, anyone S3 lets read may: the aws/s3 key policy allows the account via S3.
    assert.equal(await (await s3Client(srv.endpoint, userB).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'managed' }))).Body!.transformToString(), 'under aws/s3');
    await s3B.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
  });

  test('s3:GetObject without kms:Decrypt on a customer managed key is AccessDenied naming kms:Decrypt; writes need kms:GenerateDataKey', async () => {
    const s3U = s3Client(srv.endpoint, userB);
    const e = await failure(s3U.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cmk' })));
    assert.equal(e.name, 'AccessDenied');
    assert.match(e.message, /kms:Decrypt/);
    const w = await failure(s3U.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'w', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB })));
    assert.equal(w.name, 'AccessDenied');
    assert.match(w.message, /kms:GenerateDataKey/);
    assert.match((await failure(s3U.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'w', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB })))).message, /kms:GenerateDataKey/);
    // With kms:GenerateDataKey only, CreateMultipartUpload works but UploadPart (kms:Decrypt of the upload's key) does not.
    await iamClient(srv.endpoint, OTHER_KEY).send(new PutUserPolicyCommand({ UserName: 's3-only', PolicyName: 'gdk', PolicyDocument: doc([{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyB }]) }));
    await s3U.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'w', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB }));
    const c = await s3U.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB }));
    const part = await failure(s3U.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId: c.UploadId!, PartNumber: 1, Body: 'part' })));
    assert.equal(part.name, 'AccessDenied');
    assert.match(part.message, /kms:Decrypt/);
  });

  test('bucket policies can require SSE-KMS and a given key (s3:x-amz-server-side-encryption, …-aws-kms-key-id)', async () => {
    await s3B.send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: doc([
        { Sid: 'kms only', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/enc/*`, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } },
        { Sid: 'this key', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/enc/*`, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyB } } },
      ]),
    }));
    const s3U = s3Client(srv.endpoint, userB);
    assert.equal((await failure(s3U.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'enc/a', Body: 'x' })))).name, 'AccessDenied');
    assert.equal((await failure(s3U.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'enc/a', Body: 'x', ServerSideEncryption: 'AES256' })))).name, 'AccessDenied');
    // The key header is absent: a negated condition on it matches, as in IAM, so the Deny applies.
    assert.equal((await failure(s3U.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'enc/a', Body: 'x', ServerSideEncryption: 'aws:kms' })))).name, 'AccessDenied');
    assert.equal((await failure(s3U.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'enc/a', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB })))).name, 'OK');
    const other = (await kmsB.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    assert.equal((await failure(s3B.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'enc/b', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: other })))).name, 'AccessDenied');
    assert.equal((await failure(s3U.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'enc/c' })))).name, 'AccessDenied');
    assert.equal((await failure(s3U.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'enc/c', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyB })))).name, 'OK');
    await s3B.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
  });
});
