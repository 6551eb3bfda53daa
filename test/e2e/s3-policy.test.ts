import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, GetBucketAclCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand, GetObjectCommand, PutBucketAclCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand,
  S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { OTHER_ACCOUNT, OTHER_KEY, s3Client, startTestServer, type TestServer } from './harness.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as S3ServiceException).name;
  }
}

describe('bucket policies, Block Public Access and Object Ownership', () => {
  let srv: TestServer;
  let owner: S3Client;
  let other: S3Client;
  let tlsClient: S3Client;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const bootstrap = join(dir, 'bootstrap.json');
    writeFileSync(bootstrap, JSON.stringify({ accounts: [{ id: OTHER_ACCOUNT, name: 'other', rootAccessKeys: [OTHER_KEY] }] }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: bootstrap, COFFER_TLS_PORT: '0', COFFER_TLS_CERT: join(dir, 'cert.pem'), COFFER_TLS_KEY: join(dir, 'key.pem') });
    owner = s3Client(srv.endpoint);
    other = s3Client(srv.endpoint, OTHER_KEY);
    tlsClient = new S3Client({
      endpoint: `https://127.0.0.1:${srv.running.listening.tlsPort}`, region: 'us-east-1', forcePathStyle: true, credentials: OTHER_KEY, maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ rejectUnauthorized: false }) }),
    });
    await owner.send(new CreateBucketCommand({ Bucket: 'shared' }));
    await owner.send(new PutObjectCommand({ Bucket: 'shared', Key: 'data/report.csv', Body: 'a,b\n1,2\n' }));
  });
  after(async () => {
    owner.destroy(); other.destroy(); tlsClient.destroy();
    await srv.stop();
  });

  test('another account is denied without a bucket policy, allowed with one, denied again when it is removed', async () => {
    assert.equal(await code(other.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }))), 'AccessDenied');
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadForOther', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/data/*' }],
    };
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'shared', Policy: JSON.stringify(policy) }));
    const got = await other.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }));
    assert.equal(await got.Body!.transformToString(), 'a,b\n1,2\n');
    assert.equal(await code(other.send(new PutObjectCommand({ Bucket: 'shared', Key: 'data/x', Body: 'x' }))), 'AccessDenied');
    const stored = await owner.send(new GetBucketPolicyCommand({ Bucket: 'shared' }));
    assert.deepEqual(JSON.parse(stored.Policy!), policy);
    const status = await owner.send(new GetBucketPolicyStatusCommand({ Bucket: 'shared' }));
    assert.equal(status.PolicyStatus?.IsPublic, false);
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: 'shared' }));
    assert.equal(await code(other.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }))), 'AccessDenied');
    assert.equal(await code(owner.send(new GetBucketPolicyCommand({ Bucket: 'shared' }))), 'NoSuchBucketPolicy');
  });

  test('the denial message says who, what, and why; coffer explain shows the trace', async () => {
    let requestId = '';
    try {
      await other.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }));
      assert.fail('expected AccessDenied');
    } catch (e) {
      const err = e as S3ServiceException;
      assert.equal(err.name, 'AccessDenied');
      assert.match(err.message, new RegExp(`arn:aws:iam::${OTHER_ACCOUNT}:root is not authorized to perform: s3:GetObject on resource: "?arn:aws:s3:::shared/data/report.csv"? because no resource-based policy allows the s3:GetObject action`));
      requestId = err.$metadata.requestId ?? '';
    }
    assert.match(requestId, /^[0-9A-F]{16}$/);
    await new Promise((r) => setTimeout(r, 50));
    const cli = join(import.meta.dirname, '../../src/cli/main.js');
    const out = execFileSync(process.execPath, [cli, 'explain', requestId, '--data-dir', srv.dataDir], { encoding: 'utf8' });
    assert.match(out, /GetObject\s+ImplicitDeny/);
    assert.match(out, /action:\s+s3:GetObject/);
    assert.match(out, /reason:\s+no-resource-policy-allows|reason:\s+cross-account/);
    const json = JSON.parse(execFileSync(process.execPath, [cli, 'explain', requestId, '--data-dir', srv.dataDir, '--json'], { encoding: 'utf8' })) as Array<{ result: string }>;
    assert.equal(json[0]!.result, 'ImplicitDeny');
  });

  test('a policy denying aws:SecureTransport false refuses plain HTTP and allows HTTPS', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' },
        { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::shared', 'arn:aws:s3:::shared/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    };
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'shared', Policy: JSON.stringify(policy) }));
    assert.equal(await code(other.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }))), 'AccessDenied');
    const r = await tlsClient.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }));
    assert.equal(await r.Body!.transformToString(), 'a,b\n1,2\n');
    // The owner's root is refused over HTTP too (an explicit deny binds the root user) ...
    assert.equal(await code(owner.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data/report.csv' }))), 'AccessDenied');
    // ... but can always manage the bucket policy, so it cannot lock itself out.
    await owner.send(new DeleteBucketPolicyCommand({ Bucket: 'shared' }));
  });

  test('public policies: anonymous reads, BlockPublicPolicy, RestrictPublicBuckets', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'public-site' }));
    await owner.send(new PutObjectCommand({ Bucket: 'public-site', Key: 'index.html', Body: '<h1>hi</h1>' }));
    const anon = await fetch(`${srv.endpoint}/public-site/index.html`);
    assert.equal(anon.status, 403);
    assert.match(await anon.text(), /<Code>AccessDenied<\/Code>/);
    const publicRead = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*' }] };
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'public-site', Policy: JSON.stringify(publicRead) }));
    assert.equal((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: 'public-site' }))).PolicyStatus?.IsPublic, true);
    const ok = await fetch(`${srv.endpoint}/public-site/index.html`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '<h1>hi</h1>');
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: 'public-site', PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    assert.equal((await fetch(`${srv.endpoint}/public-site/index.html`)).status, 403);
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: 'public-site', PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    assert.equal(await code(owner.send(new PutBucketPolicyCommand({ Bucket: 'public-site', Policy: JSON.stringify(publicRead) }))), 'AccessDenied');
    const pinned = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*', Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER_ACCOUNT } } }] };
    await owner.send(new PutBucketPolicyCommand({ Bucket: 'public-site', Policy: JSON.stringify(pinned) }));
    assert.equal((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: 'public-site' }))).PolicyStatus?.IsPublic, false);
  });

  test('malformed policies are refused with MalformedPolicy', async () => {
    const bad = [
      'not json',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }] }),
    ];
    for (const Policy of bad) assert.equal(await code(owner.send(new PutBucketPolicyCommand({ Bucket: 'shared', Policy }))), 'MalformedPolicy', Policy);
  });

  test('Object Ownership: BucketOwnerEnforced by default, ACL reads show the owner, ACL writes refused', async () => {
    const oc = await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: 'shared' }));
    assert.equal(oc.OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
    const acl = await owner.send(new GetBucketAclCommand({ Bucket: 'shared' }));
    assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
    assert.equal(acl.Grants?.[0]?.Grantee?.ID, acl.Owner?.ID);
    assert.equal(await code(owner.send(new PutBucketAclCommand({ Bucket: 'shared', ACL: 'public-read' }))), 'AccessControlListNotSupported');
  });
});
