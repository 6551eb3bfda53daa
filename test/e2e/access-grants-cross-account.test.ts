import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateAccessGrantCommand, CreateAccessGrantsInstanceCommand, CreateAccessGrantsLocationCommand, DeleteAccessGrantsInstanceResourcePolicyCommand,
  GetDataAccessCommand, PutAccessGrantsInstanceResourcePolicyCommand,
} from '@aws-sdk/client-s3-control';
import { iamClient, OTHER_ACCOUNT, OTHER_KEY, s3Client, s3ControlClient, startTestServer, type Credentials, type TestServer } from './harness.js';

const A = '000000000000';
const B = OTHER_ACCOUNT;
const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/**
 * Cross-account grants: the instance in A grants B's user a prefix; B's user may call
 * GetDataAccess on A's instance only while A's instance resource policy allows it (and B's
 * own identity policy does), as cross-account evaluation requires.
 */
describe('S3 Access Grants across accounts, through the instance resource policy', () => {
  let srv: TestServer;
  let bob: Credentials;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-ag-x-'));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ accounts: [{ id: B, name: 'partner', rootAccessKeys: [OTHER_KEY] }] }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: join(dir, 'b.json') });
    const iamA = iamClient(srv.endpoint);
    await s3Client(srv.endpoint).send(new CreateBucketCommand({ Bucket: 'shared-lake' }));
    await s3Client(srv.endpoint).send(new PutObjectCommand({ Bucket: 'shared-lake', Key: 'partner/report.csv', Body: 'for b' }));
    await iamA.send(new CreateRoleCommand({
      RoleName: 'lake-location',
      AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'access-grants.s3.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:SetContext'] }]),
    }));
    await iamA.send(new PutRolePolicyCommand({ RoleName: 'lake-location', PolicyName: 'lake', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::shared-lake', 'arn:aws:s3:::shared-lake/*'] }]) }));
    const admin = s3ControlClient(srv.endpoint);
    await admin.send(new CreateAccessGrantsInstanceCommand({ AccountId: A }));
    const loc = await admin.send(new CreateAccessGrantsLocationCommand({ AccountId: A, LocationScope: 's3://shared-lake/', IAMRoleArn: `arn:aws:iam::${A}:role/lake-location` }));
    // Account B: user bob, whose own policy lets him ask A's instance for data.
    const iamB = iamClient(srv.endpoint, OTHER_KEY);
    await iamB.send(new CreateUserCommand({ UserName: 'bob' }));
    await iamB.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'ask', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetDataAccess', Resource: `arn:aws:s3:us-east-1:${A}:access-grants/default` }]) }));
    const k = await iamB.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    bob = { accessKeyId: k.AccessKey!.AccessKeyId!, secretAccessKey: k.AccessKey!.SecretAccessKey! };
    await admin.send(new CreateAccessGrantCommand({
      AccountId: A, AccessGrantsLocationId: loc.AccessGrantsLocationId!, Grantee: { GranteeType: 'IAM', GranteeIdentifier: `arn:aws:iam::${B}:user/bob` },
      Permission: 'READ', AccessGrantsLocationConfiguration: { S3SubPrefix: 'partner/*' },
    }));
  });
  after(async () => {
    await srv.stop();
  });

  const ask = () => s3ControlClient(srv.endpoint, bob).send(new GetDataAccessCommand({ AccountId: A, Target: 's3://shared-lake/partner/*', Permission: 'READ' }));

  test('without the instance resource policy, the other account is denied', async () => {
    await assert.rejects(ask(), (e: Error) => e.name === 'AccessDenied' && /because no resource-based policy allows the s3:GetDataAccess action/.test(e.message));
  });

  test('with it, the grant vends credentials that read the granted prefix only', async () => {
    const admin = s3ControlClient(srv.endpoint);
    await admin.send(new PutAccessGrantsInstanceResourcePolicyCommand({
      AccountId: A,
      Policy: doc([{ Effect: 'Allow', Principal: { AWS: B }, Action: ['s3:GetDataAccess'], Resource: `arn:aws:s3:us-east-1:${A}:access-grants/default` }]),
    }));
    const r = await ask();
    const s3 = s3Client(srv.endpoint, { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'shared-lake', Key: 'partner/report.csv' }));
    assert.equal(await got.Body!.transformToString(), 'for b');
    await assert.rejects(s3.send(new PutObjectCommand({ Bucket: 'shared-lake', Key: 'partner/x', Body: 'x' })), (e: Error) => e.name === 'AccessDenied');
    await admin.send(new DeleteAccessGrantsInstanceResourcePolicyCommand({ AccountId: A }));
    await assert.rejects(ask(), (e: Error) => e.name === 'AccessDenied');
  });
});
