import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { iamClient, s3Client, startTestServer, stsClient, type TestServer } from './harness.js';

const ISSUER = 'https://idp.example.test';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };

function token(claims: Record<string, unknown>, key = privateKey, kid = 'k1'): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'RS256', typ: 'JWT', kid })}.${enc(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** The JWKS travels base64url-encoded in `coffer:jwks` tags of at most 256 characters each. */
function jwksTags(): Array<{ Key: string; Value: string }> {
  const text = Buffer.from(JSON.stringify({ keys: [jwk] })).toString('base64url');
  const tags = [];
  for (let i = 0, n = 1; i < text.length; i += 256, n++) tags.push({ Key: n === 1 ? 'coffer:jwks' : `coffer:jwks/${n}`, Value: text.slice(i, i + 256) });
  return tags;
}

describe('AssumeRoleWithWebIdentity against an IAM OpenID Connect provider', () => {
  let srv: TestServer;
  const now = () => Math.floor(Date.now() / 1000);
  const roleArn = 'arn:aws:iam::000000000000:role/ci-deployer';
  before(async () => {
    srv = await startTestServer();
    const iam = iamClient(srv.endpoint);
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['0'.repeat(40)], Tags: jwksTags() }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'ci-deployer',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::000000000000:oidc-provider/idp.example.test' }, Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'idp.example.test:aud': 'sts.amazonaws.com' }, StringLike: { 'idp.example.test:sub': 'repo:coffer/*' } },
        }],
      }),
    }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ci-deployer', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/*' }] }) }));
    const s3 = s3Client(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'build.tgz', Body: 'bits' }));
  });
  after(async () => {
    await srv.stop();
  });

  const assume = (t: string) => stsClient(srv.endpoint).send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gh-run', WebIdentityToken: t }));

  test('a valid token for a trusted subject gets role credentials that work', async () => {
    const r = await assume(token({ iss: ISSUER, aud: 'sts.amazonaws.com', sub: 'repo:coffer/main', exp: now() + 600, iat: now() }));
    assert.equal(r.AssumedRoleUser!.Arn, 'arn:aws:sts::000000000000:assumed-role/ci-deployer/gh-run');
    assert.equal(r.SubjectFromWebIdentityToken, 'repo:coffer/main');
    assert.equal(r.Audience, 'sts.amazonaws.com');
    const s3 = s3Client(srv.endpoint, { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'build.tgz' }));
    assert.equal(await got.Body!.transformToString(), 'bits');
  });

  test('bad signature, expiry, audience and untrusted subject are refused', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const base = { iss: ISSUER, aud: 'sts.amazonaws.com', sub: 'repo:coffer/main', exp: now() + 600 };
    await assert.rejects(assume(token(base, other)), (e: Error) => e.name === 'InvalidIdentityTokenException');
    await assert.rejects(assume(token({ ...base, exp: now() - 10 })), (e: Error) => e.name === 'ExpiredTokenException');
    await assert.rejects(assume(token({ ...base, aud: 'someone-else' })), (e: Error) => e.name === 'InvalidIdentityTokenException');
    await assert.rejects(assume(token({ ...base, sub: 'repo:evil/main' })), (e: Error) => e.name === 'AccessDenied');
    await assert.rejects(assume(token({ ...base, iss: 'https://unknown.example.test' })), (e: Error) => e.name === 'InvalidIdentityTokenException');
  });
});
