import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteRoleCommand, DeleteRolePolicyCommand,
  DeleteUserPolicyCommand, PutRolePolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand, CreatePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSServiceException } from '@aws-sdk/client-sts';
import { iamClient, OTHER_ACCOUNT, OTHER_KEY, ROOT_KEY, s3Client, startTestServer, stsClient, type Credentials, type TestServer } from './harness.js';

const A = '000000000000';
const B = OTHER_ACCOUNT;

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as S3ServiceException | STSServiceException).name;
  }
}

const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function creds(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Credentials {
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

describe('STS: roles across accounts, chaining, federation, boundaries, expiry', () => {
  let srv: TestServer;
  let offset = 0;
  let alice: Credentials;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-sts-'));
    const bootstrap = join(dir, 'bootstrap.json');
    writeFileSync(bootstrap, JSON.stringify({ accounts: [{ id: B, name: 'data', rootAccessKeys: [OTHER_KEY] }] }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: bootstrap }, { clock: () => new Date(Date.now() + offset) });
    const iamA = iamClient(srv.endpoint);
    const iamB = iamClient(srv.endpoint, OTHER_KEY);
    // Account A: user alice may assume B's reader role.
    await iamA.send(new CreateUserCommand({ UserName: 'alice' }));
    await iamA.send(new PutUserPolicyCommand({
      UserName: 'alice', PolicyName: 'assume-reader',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${B}:role/reader` }, { Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: '*' }, { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-a/*'] }]),
    }));
    const key = await iamA.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    alice = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
    // Account B: role reader trusts alice with an external id; it can read bucket-b.
    await iamB.send(new CreateRoleCommand({
      RoleName: 'reader', MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/alice` }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } } }]),
    }));
    await iamB.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'sts:AssumeRole'], Resource: '*' }]) }));
    await iamB.send(new CreateRoleCommand({ RoleName: 'chained', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/reader` }, Action: 'sts:AssumeRole' }]) }));
    await iamB.send(new PutRolePolicyCommand({ RoleName: 'chained', PolicyName: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-b/*' }]) }));
    const s3B = s3Client(srv.endpoint, OTHER_KEY);
    await s3B.send(new CreateBucketCommand({ Bucket: 'bucket-b' }));
    await s3B.send(new PutObjectCommand({ Bucket: 'bucket-b', Key: 'k', Body: 'from b' }));
    const s3A = s3Client(srv.endpoint, ROOT_KEY);
    await s3A.send(new CreateBucketCommand({ Bucket: 'bucket-a' }));
    await s3A.send(new PutObjectCommand({ Bucket: 'bucket-a', Key: 'public/p', Body: 'public' }));
    await s3A.send(new PutObjectCommand({ Bucket: 'bucket-a', Key: 'private/q', Body: 'private' }));
  });
  after(async () => {
    await srv.stop();
  });

  test('GetCallerIdentity answers for every kind of caller', async () => {
    const root = await stsClient(srv.endpoint).send(new GetCallerIdentityCommand({}));
    assert.equal(root.Arn, `arn:aws:iam::${A}:root`);
    assert.equal(root.Account, A);
    const user = await stsClient(srv.endpoint, alice).send(new GetCallerIdentityCommand({}));
    assert.equal(user.Arn, `arn:aws:iam::${A}:user/alice`);
    assert.match(user.UserId!, /^AIDA/);
  });

  test('cross-account AssumeRole with ExternalId, then reading in the other account', async () => {
    const sts = stsClient(srv.endpoint, alice);
    const roleArn = `arn:aws:iam::${B}:role/reader`;
    assert.equal(await errorName(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' }))), 'AccessDenied');
    assert.equal(await errorName(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1', ExternalId: 'wrong' }))), 'AccessDenied');
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1', ExternalId: 'ext-123', DurationSeconds: 900 }));
    assert.match(r.Credentials!.AccessKeyId!, /^ASIA/);
    assert.equal(r.AssumedRoleUser!.Arn, `arn:aws:sts::${B}:assumed-role/reader/s1`);
    const session = creds(r.Credentials);
    const who = await stsClient(srv.endpoint, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${B}:assumed-role/reader/s1`);
    assert.equal(who.Account, B);
    const got = await s3Client(srv.endpoint, session).send(new GetObjectCommand({ Bucket: 'bucket-b', Key: 'k' }));
    assert.equal(await got.Body!.transformToString(), 'from b');
    // A session token that is not the one issued is refused.
    assert.notEqual(await errorName(s3Client(srv.endpoint, { ...session, sessionToken: 'x' + session.sessionToken }).send(new GetObjectCommand({ Bucket: 'bucket-b', Key: 'k' }))), 'OK');
  });

  test('role chaining is limited to one hour; session policies intersect', async () => {
    const first = await stsClient(srv.endpoint, alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/reader`, RoleSessionName: 'c1', ExternalId: 'ext-123' }));
    const sts = stsClient(srv.endpoint, creds(first.Credentials));
    const chainedArn = `arn:aws:iam::${B}:role/chained`;
    assert.equal(await errorName(sts.send(new AssumeRoleCommand({ RoleArn: chainedArn, RoleSessionName: 'c2', DurationSeconds: 7200 }))), 'ValidationError');
    const second = await sts.send(new AssumeRoleCommand({
      RoleArn: chainedArn, RoleSessionName: 'c2', DurationSeconds: 3600,
      Policy: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-b/other' }]),
    }));
    const s3 = s3Client(srv.endpoint, creds(second.Credentials));
    // The role allows bucket-b/*, the session policy only bucket-b/other: k is outside the intersection.
    assert.equal(await errorName(s3.send(new GetObjectCommand({ Bucket: 'bucket-b', Key: 'k' }))), 'AccessDenied');
  });

  test('the caller needs its own permission to assume a role in another account', async () => {
    const iamA = iamClient(srv.endpoint);
    await iamA.send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'assume-reader' }));
    try {
      const name = await errorName(stsClient(srv.endpoint, alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/reader`, RoleSessionName: 's4', ExternalId: 'ext-123' })));
      assert.equal(name, 'AccessDenied');
    } finally {
      await iamA.send(new PutUserPolicyCommand({
        UserName: 'alice', PolicyName: 'assume-reader',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${B}:role/reader` }, { Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: '*' }, { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-a/*'] }]),
      }));
    }
  });

  test('GetFederationToken: the user policy intersected with the session policy', async () => {
    const sts = stsClient(srv.endpoint, alice);
    const r = await sts.send(new GetFederationTokenCommand({ Name: 'bob-fed', Policy: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-a/public/*' }]) }));
    assert.equal(r.FederatedUser!.Arn, `arn:aws:sts::${A}:federated-user/bob-fed`);
    const s3 = s3Client(srv.endpoint, creds(r.Credentials));
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'public/p' }));
    assert.equal(await ok.Body!.transformToString(), 'public');
    assert.equal(await errorName(s3.send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'private/q' }))), 'AccessDenied');
    assert.equal(await errorName(s3.send(new ListObjectsV2Command({ Bucket: 'bucket-a' }))), 'AccessDenied');
    // Without a session policy a federated user has no permissions at all.
    const bare = await sts.send(new GetFederationTokenCommand({ Name: 'nobody' }));
    assert.equal(await errorName(s3Client(srv.endpoint, creds(bare.Credentials)).send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'public/p' }))), 'AccessDenied');
    // Session credentials cannot federate further.
    assert.equal(await errorName(stsClient(srv.endpoint, creds(r.Credentials)).send(new GetFederationTokenCommand({ Name: 'again' }))), 'AccessDenied');
  });

  test('a permissions boundary limits what an admin user can do', async () => {
    const iamA = iamClient(srv.endpoint);
    await iamA.send(new CreateUserCommand({ UserName: 'bounded' }));
    await iamA.send(new AttachUserPolicyCommand({ UserName: 'bounded', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const boundary = await iamA.send(new CreatePolicyCommand({ PolicyName: 'read-only-boundary', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]) }));
    await iamA.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: boundary.Policy!.Arn! }));
    const key = await iamA.send(new CreateAccessKeyCommand({ UserName: 'bounded' }));
    const s3 = s3Client(srv.endpoint, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'private/q' }));
    assert.equal(await got.Body!.transformToString(), 'private');
    assert.equal(await errorName(s3.send(new PutObjectCommand({ Bucket: 'bucket-a', Key: 'x', Body: 'x' }))), 'AccessDenied');
  });

  test('temporary credentials expire exactly; deleting the role ends its sessions', async () => {
    const r = await stsClient(srv.endpoint).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = creds(r.Credentials);
    const expiry = r.Credentials!.Expiration!.getTime();
    assert.ok(Math.abs(expiry - (Date.now() + offset + 900_000)) < 2000);
    await s3Client(srv.endpoint, session).send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'public/p' }));
    offset = 901_000;
    try {
      const late = s3Client(srv.endpoint, session, { systemClockOffset: offset });
      assert.equal(await errorName(late.send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'public/p' }))), 'ExpiredToken');
    } finally {
      offset = 0;
    }
    const assumed = await stsClient(srv.endpoint, alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/reader`, RoleSessionName: 'dd', ExternalId: 'ext-123' }));
    const s3 = s3Client(srv.endpoint, creds(assumed.Credentials));
    await s3.send(new GetObjectCommand({ Bucket: 'bucket-b', Key: 'k' }));
    const iamB = iamClient(srv.endpoint, OTHER_KEY);
    await iamB.send(new DeleteRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read' }));
    await iamB.send(new DeleteRoleCommand({ RoleName: 'reader' }));
    assert.equal(await errorName(s3.send(new GetObjectCommand({ Bucket: 'bucket-b', Key: 'k' }))), 'AccessDenied');
  });
});
