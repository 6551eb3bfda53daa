import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, DeleteRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { iamClient, OTHER_ACCOUNT, OTHER_KEY, s3Client, startTestServer, stsClient, type Credentials, type TestServer } from './harness.js';

const A = '000000000000';
const B = OTHER_ACCOUNT;
const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    const err = e as S3ServiceException;
    return `${err.name}: ${err.message}`;
  }
}

/**
 * "Cross-account policy evaluation logic": a role in account A reads a bucket in account B
 * only when both A's identity policy and B's bucket policy allow it.
 */
describe('a role in account A reading a bucket in account B', () => {
  let srv: TestServer;
  let session: Credentials;
  const bucketPolicy = doc([{ Sid: 'CatalogReads', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/catalog` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::customer-data', 'arn:aws:s3:::customer-data/*'] }]);
  const identityPolicy = doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::customer-data', 'arn:aws:s3:::customer-data/*'] }]);

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-xacct-'));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ accounts: [{ id: B, name: 'customer', rootAccessKeys: [OTHER_KEY] }] }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: join(dir, 'b.json') });
    const iamA = iamClient(srv.endpoint);
    await iamA.send(new CreateRoleCommand({ RoleName: 'catalog', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }]) }));
    await iamA.send(new PutRolePolicyCommand({ RoleName: 'catalog', PolicyName: 'read-customer', PolicyDocument: identityPolicy }));
    const r = await stsClient(srv.endpoint).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/catalog`, RoleSessionName: 'crawler' }));
    session = { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! };
    const s3B = s3Client(srv.endpoint, OTHER_KEY);
    await s3B.send(new CreateBucketCommand({ Bucket: 'customer-data' }));
    await s3B.send(new PutObjectCommand({ Bucket: 'customer-data', Key: 'orders/2026.csv', Body: 'id,total\n1,9\n' }));
  });
  after(async () => {
    await srv.stop();
  });

  test('denied with only the identity policy', async () => {
    const s3 = s3Client(srv.endpoint, session);
    const r = await outcome(s3.send(new GetObjectCommand({ Bucket: 'customer-data', Key: 'orders/2026.csv' })));
    assert.match(r, /^AccessDenied: .*assumed-role\/catalog\/crawler is not authorized to perform: s3:GetObject .*because no resource-based policy allows/);
  });

  test('allowed with both, for reads only', async () => {
    await s3Client(srv.endpoint, OTHER_KEY).send(new PutBucketPolicyCommand({ Bucket: 'customer-data', Policy: bucketPolicy }));
    const s3 = s3Client(srv.endpoint, session);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'customer-data', Key: 'orders/2026.csv' }));
    assert.equal(await got.Body!.transformToString(), 'id,total\n1,9\n');
    const list = await s3.send(new ListObjectsV2Command({ Bucket: 'customer-data', Prefix: 'orders/' }));
    assert.deepEqual(list.Contents?.map((c) => c.Key), ['orders/2026.csv']);
    assert.match(await outcome(s3.send(new PutObjectCommand({ Bucket: 'customer-data', Key: 'x', Body: 'x' }))), /^AccessDenied/);
  });

  test('denied with only the bucket policy', async () => {
    const iamA = iamClient(srv.endpoint);
    await iamA.send(new DeleteRolePolicyCommand({ RoleName: 'catalog', PolicyName: 'read-customer' }));
    try {
      const r = await outcome(s3Client(srv.endpoint, session).send(new GetObjectCommand({ Bucket: 'customer-data', Key: 'orders/2026.csv' })));
      assert.match(r, /^AccessDenied: .*because no identity-based policy allows the s3:GetObject action/);
    } finally {
      await iamA.send(new PutRolePolicyCommand({ RoleName: 'catalog', PolicyName: 'read-customer', PolicyDocument: identityPolicy }));
    }
  });

  test('an explicit deny in the bucket policy wins over both allows', async () => {
    const s3B = s3Client(srv.endpoint, OTHER_KEY);
    await s3B.send(new PutBucketPolicyCommand({
      Bucket: 'customer-data',
      Policy: doc([
        ...JSON.parse(bucketPolicy).Statement,
        { Sid: 'NoOrders', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/orders/*' },
      ]),
    }));
    const r = await outcome(s3Client(srv.endpoint, session).send(new GetObjectCommand({ Bucket: 'customer-data', Key: 'orders/2026.csv' })));
    assert.match(r, /^AccessDenied: .*with an explicit deny in a resource-based policy/);
    await s3B.send(new DeleteBucketPolicyCommand({ Bucket: 'customer-data' }));
  });
});
