import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as I from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { applyBootstrapFile } from '../../src/server/bootstrap.js';
import { awsCli, iamClient, s3Client, startTestServer, type TestServer } from './harness.js';

const ALLOW_S3 = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:Get*'], Resource: '*' }] };

describe('IAM with the AWS CLI', () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'coffer-iam-cli-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('create-user, list-users, create-policy from a file, attach, get-policy-version', async () => {
    const created = JSON.parse((await awsCli(server.endpoint, ['iam', 'create-user', '--user-name', 'cli-user', '--path', '/cli/', '--tags', 'Key=team,Value=ops'])).stdout);
    assert.equal(created.User.Arn, 'arn:aws:iam::000000000000:user/cli/cli-user');
    const listed = JSON.parse((await awsCli(server.endpoint, ['iam', 'list-users', '--path-prefix', '/cli/'])).stdout);
    assert.deepEqual(listed.Users.map((u: { UserName: string }) => u.UserName), ['cli-user']);

    const file = join(dir, 'policy.json');
    await writeFile(file, JSON.stringify(ALLOW_S3, null, 2));
    const policy = JSON.parse((await awsCli(server.endpoint, ['iam', 'create-policy', '--policy-name', 'cli-policy', '--policy-document', `file://${file}`])).stdout);
    assert.equal(policy.Policy.Arn, 'arn:aws:iam::000000000000:policy/cli-policy');
    await awsCli(server.endpoint, ['iam', 'attach-user-policy', '--user-name', 'cli-user', '--policy-arn', policy.Policy.Arn]);
    const attached = JSON.parse((await awsCli(server.endpoint, ['iam', 'list-attached-user-policies', '--user-name', 'cli-user'])).stdout);
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'cli-policy', PolicyArn: policy.Policy.Arn }]);
    // The CLI decodes IAM's URL-encoded documents back to JSON.
    const version = JSON.parse((await awsCli(server.endpoint, ['iam', 'get-policy-version', '--policy-arn', policy.Policy.Arn, '--version-id', 'v1'])).stdout);
    assert.deepEqual(version.PolicyVersion.Document, ALLOW_S3);

    const key = JSON.parse((await awsCli(server.endpoint, ['iam', 'create-access-key', '--user-name', 'cli-user'])).stdout).AccessKey;
    const whoami = JSON.parse((await awsCli(server.endpoint, ['s3api', 'list-buckets'], { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey })).stdout);
    assert.ok(Array.isArray(whoami.Buckets));
  });

  test('errors come back with IAM codes', async () => {
    await assert.rejects(awsCli(server.endpoint, ['iam', 'get-user', '--user-name', 'ghost']),
      (e: Error & { stderr?: string }) => /NoSuchEntity/.test(e.stderr ?? '') && /The user with name ghost cannot be found\./.test(e.stderr ?? ''));
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }));
    await assert.rejects(awsCli(server.endpoint, ['iam', 'create-policy', '--policy-name', 'bad', '--policy-document', `file://${bad}`]),
      (e: Error & { stderr?: string }) => /MalformedPolicyDocument/.test(e.stderr ?? ''));
  });
});

describe('IAM identities from the bootstrap file', () => {
  let server: TestServer;
  let dir: string;
  let path: string;
  const USER_KEY = { accessKeyId: 'AKIABOOTSTRAPUSER001', secretAccessKey: 'bootstrap-user-secret-key-000000000000001' };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coffer-iam-boot-'));
    path = join(dir, 'bootstrap.json');
    await writeFile(path, JSON.stringify({
      accounts: [{
        id: '222222222222',
        name: 'fixtures',
        policies: [{ name: 'read-s3', path: '/fixtures/', document: ALLOW_S3 }],
        groups: [{ name: 'readers', managedPolicies: ['read-s3'] }],
        users: [
          { name: 'admin', accessKeys: [USER_KEY], managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], inlinePolicies: { extra: ALLOW_S3 } },
          { name: 'reader', groups: ['readers'], tags: { team: 'qa' } },
        ],
        roles: [{
          name: 'ci', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }] },
          managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], inlinePolicies: { s3: ALLOW_S3 },
        }],
        oidcProviders: [{ url: 'https://issuer.example.test', clientIds: ['sts.amazonaws.com'], jwks: { keys: [{ kty: 'oct', kid: 'k', k: 'c2VjcmV0' }] } }],
      }],
    }));
    server = await startTestServer({ COFFER_BOOTSTRAP: path });
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('users with chosen keys, groups, roles, policies; applied again without change', async () => {
    const iam = iamClient(server.endpoint, USER_KEY);
    const me = await iam.send(new I.GetUserCommand({}));
    assert.equal(me.User!.Arn, 'arn:aws:iam::222222222222:user/admin');
    await s3Client(server.endpoint, USER_KEY).send(new ListBucketsCommand({}));
    const reader = await server.running.app.iam!.userPolicies('222222222222', 'reader');
    assert.deepEqual(reader!.identity.map((p) => p.label), ['arn:aws:iam::222222222222:policy/fixtures/read-s3']);
    assert.deepEqual(reader!.tags, { team: 'qa' });
    const role = await iam.send(new I.GetRoleCommand({ RoleName: 'ci' }));
    assert.match(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!), /222222222222:root/);
    assert.deepEqual(JSON.parse((await server.running.app.iam!.getOidcProvider('arn:aws:iam::222222222222:oidc-provider/issuer.example.test'))!.jwks!).keys[0].kid, 'k');

    const before = await iam.send(new I.GetAccountAuthorizationDetailsCommand({}));
    await applyBootstrapFile(server.running.app, path);
    const again = await iam.send(new I.GetAccountAuthorizationDetailsCommand({}));
    assert.deepEqual(again, { ...before, $metadata: again.$metadata });
    assert.deepEqual((await iam.send(new I.ListAccessKeysCommand({}))).AccessKeyMetadata!.map((k) => k.AccessKeyId), [USER_KEY.accessKeyId]);
  });
});
