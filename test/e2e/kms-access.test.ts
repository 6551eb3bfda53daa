import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import {
  CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EncryptCommand, GenerateDataKeyCommand,
  GetKeyPolicyCommand, ListAliasesCommand, ListGrantsCommand, ListRetirableGrantsCommand, PutKeyPolicyCommand, RetireGrantCommand,
  RevokeGrantCommand, ScheduleKeyDeletionCommand, type KMSClient,
  EnableKeyRotationCommand, TagResourceCommand,
} from '@aws-sdk/client-kms';
import { rootPrincipal } from '../../src/auth/principal.js';
import { OTHER_ACCOUNT, OTHER_KEY } from './harness.js';
import { failure, MGMT_ACCOUNT, startKmsServer, type KmsTestServer } from './kms-server.js';

let srv: KmsTestServer;
let kms: KMSClient;
let other: KMSClient;

before(async () => {
  srv = await startKmsServer();
  kms = srv.client();
  other = srv.client(OTHER_KEY);
});
after(async () => {
  kms.destroy();
  other.destroy();
  await srv.stop();
});

const bytes = (s: string) => new TextEncoder().encode(s);
const OTHER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;

async function newKey(): Promise<{ id: string; arn: string }> {
  const r = await kms.send(new CreateKeyCommand({ Description: 'access' }));
  return { id: r.KeyMetadata!.KeyId!, arn: r.KeyMetadata!.Arn! };
}

describe('other accounts', () => {
  test('another account\'s key is found only by ARN, and its default key policy refuses the caller', async () => {
    const k = await newKey();
    assert.equal((await failure(other.send(new DescribeKeyCommand({ KeyId: k.id })))).name, 'NotFoundException');
    const denied = await failure(other.send(new DescribeKeyCommand({ KeyId: k.arn })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, /kms:DescribeKey/);
    assert.equal((await failure(other.send(new EncryptCommand({ KeyId: k.arn, Plaintext: bytes('x') })))).name, 'AccessDeniedException');
  });
});

describe('grants', () => {
  test('lifecycle: the grantee may use exactly the granted operations, within the constraints, until revoked', async () => {
    const k = await newKey();
    const g = await kms.send(new CreateGrantCommand({
      KeyId: k.id, GranteePrincipal: OTHER_ROOT, Operations: ['Encrypt', 'Decrypt', 'DescribeKey'],
      Constraints: { EncryptionContextSubset: { purpose: 'grant-test' } }, Name: 'for-other',
    }));
    assert.match(g.GrantId!, /^[0-9a-f]{64}$/);
    assert.ok(g.GrantToken && g.GrantToken.length > 40);
    // Same Name and parameters: the same grant (CreateGrant is idempotent).
    const again = await kms.send(new CreateGrantCommand({
      KeyId: k.id, GranteePrincipal: OTHER_ROOT, Operations: ['Encrypt', 'Decrypt', 'DescribeKey'],
      Constraints: { EncryptionContextSubset: { purpose: 'grant-test' } }, Name: 'for-other',
    }));
    assert.equal(again.GrantId, g.GrantId);

    const listed = await kms.send(new ListGrantsCommand({ KeyId: k.id }));
    assert.equal(listed.Grants!.length, 1);
    const entry = listed.Grants![0]!;
    assert.equal(entry.KeyId, k.arn);
    assert.equal(entry.GranteePrincipal, OTHER_ROOT);
    assert.equal(entry.IssuingAccount, `arn:aws:iam::${MGMT_ACCOUNT}:root`);
    assert.deepEqual(entry.Operations, ['Encrypt', 'Decrypt', 'DescribeKey']);
    assert.deepEqual(entry.Constraints, { EncryptionContextSubset: { purpose: 'grant-test' } });
    assert.equal(entry.Name, 'for-other');

    const ctx = { purpose: 'grant-test', extra: 'ok' };
    const e = await other.send(new EncryptCommand({ KeyId: k.arn, Plaintext: bytes('granted'), EncryptionContext: ctx, GrantTokens: [g.GrantToken!] }));
    const d = await other.send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: ctx }));
    assert.equal(new TextDecoder().decode(d.Plaintext), 'granted');
    assert.equal((await other.send(new DescribeKeyCommand({ KeyId: k.arn }))).KeyMetadata!.KeyId, k.id);
    // Outside the constraint, or an operation the grant does not list: denied.
    assert.equal((await failure(other.send(new EncryptCommand({ KeyId: k.arn, Plaintext: bytes('x') })))).name, 'AccessDeniedException');
    assert.equal((await failure(other.send(new EncryptCommand({ KeyId: k.arn, Plaintext: bytes('x'), EncryptionContext: { purpose: 'other' } })))).name, 'AccessDeniedException');
    assert.equal((await failure(other.send(new GenerateDataKeyCommand({ KeyId: k.arn, KeySpec: 'AES_256', EncryptionContext: ctx })))).name, 'AccessDeniedException');
    assert.equal((await failure(other.send(new EncryptCommand({ KeyId: k.arn, Plaintext: bytes('x'), EncryptionContext: ctx, GrantTokens: ['not-a-token'] })))).name, 'InvalidGrantTokenException');

    // The grantee without RetireGrant in the grant cannot retire it.
    assert.equal((await failure(other.send(new RetireGrantCommand({ GrantToken: g.GrantToken })))).name, 'AccessDeniedException');
    await kms.send(new RevokeGrantCommand({ KeyId: k.id, GrantId: g.GrantId }));
    assert.equal((await kms.send(new ListGrantsCommand({ KeyId: k.id }))).Grants!.length, 0);
    assert.equal((await failure(other.send(new EncryptCommand({ KeyId: k.arn, Plaintext: bytes('x'), EncryptionContext: ctx })))).name, 'AccessDeniedException');
    assert.equal((await failure(kms.send(new RevokeGrantCommand({ KeyId: k.id, GrantId: g.GrantId })))).name, 'NotFoundException');
    assert.equal((await failure(kms.send(new RevokeGrantCommand({ KeyId: k.id, GrantId: 'nope' })))).name, 'InvalidGrantIdException');
  });

  test('EncryptionContextEquals, retiring principals and ListRetirableGrants', async () => {
    const k = await newKey();
    const g = await kms.send(new CreateGrantCommand({
      KeyId: k.arn, GranteePrincipal: OTHER_ROOT, RetiringPrincipal: OTHER_ROOT, Operations: ['GenerateDataKey', 'Decrypt'],
      Constraints: { EncryptionContextEquals: { obj: 'a' } },
    }));
    const dk = await other.send(new GenerateDataKeyCommand({ KeyId: k.arn, KeySpec: 'AES_256', EncryptionContext: { obj: 'a' } }));
    assert.equal(dk.Plaintext!.length, 32);
    const superset = await failure(other.send(new GenerateDataKeyCommand({ KeyId: k.arn, KeySpec: 'AES_256', EncryptionContext: { obj: 'a', more: 'b' } })));
    assert.equal(superset.name, 'AccessDeniedException');

    const retirable = await kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: OTHER_ROOT }));
    assert.ok(retirable.Grants!.some((x) => x.GrantId === g.GrantId && x.KeyId === k.arn));
    await other.send(new RetireGrantCommand({ KeyId: k.arn, GrantId: g.GrantId }));
    assert.equal((await kms.send(new ListGrantsCommand({ KeyId: k.id }))).Grants!.length, 0);
    assert.equal((await failure(other.send(new GenerateDataKeyCommand({ KeyId: k.arn, KeySpec: 'AES_256', EncryptionContext: { obj: 'a' } })))).name, 'AccessDeniedException');
  });

  test('CreateGrant validation and key states', async () => {
    const k = await newKey();
    assert.equal((await failure(kms.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: OTHER_ROOT, Operations: [] })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: OTHER_ROOT, Operations: ['Sign'] })))).name, 'ValidationException');
    await kms.send(new DisableKeyCommand({ KeyId: k.id }));
    assert.equal((await failure(kms.send(new CreateGrantCommand({ KeyId: k.id, GranteePrincipal: OTHER_ROOT, Operations: ['Decrypt'] })))).name, 'DisabledException');
  });
});

describe('the AWS managed key aws/s3', () => {
  test('created on first use with AWS\'s key policy; its account cannot change it; S3 uses it via kms:ViaService', async () => {
    const api = srv.running.app.kms!;
    const first = await api.getOrCreateAwsManagedKey(MGMT_ACCOUNT, 'aws/s3');
    const [a, b] = await Promise.all([api.getOrCreateAwsManagedKey(MGMT_ACCOUNT, 'aws/s3'), api.getOrCreateAwsManagedKey(MGMT_ACCOUNT, 'aws/s3')]);
    assert.equal(a.keyId, first.keyId);
    assert.equal(b.keyId, first.keyId);

    const d = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    assert.equal(d.KeyMetadata!.KeyId, first.keyId);
    assert.equal(d.KeyMetadata!.KeyManager, 'AWS');
    const aliases = await kms.send(new ListAliasesCommand({}));
    assert.ok(aliases.Aliases!.some((x) => x.AliasName === 'alias/aws/s3' && x.TargetKeyId === first.keyId));
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: first.keyId }))).Policy!) as { Id: string; Statement: Array<{ Sid: string; Condition?: unknown; Action: string[] }> };
    assert.equal(policy.Id, 'auto-s3-2');
    assert.deepEqual(policy.Statement[0]!.Condition, { StringEquals: { 'kms:CallerAccount': MGMT_ACCOUNT, 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
    assert.deepEqual(policy.Statement[1]!.Action, ['kms:Describe*', 'kms:Get*', 'kms:List*']);

    for (const call of [
      kms.send(new PutKeyPolicyCommand({ KeyId: first.keyId, Policy: JSON.stringify(policy) })),
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: first.keyId })),
      kms.send(new DisableKeyCommand({ KeyId: first.keyId })),
      kms.send(new TagResourceCommand({ KeyId: first.keyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] })),
      kms.send(new EnableKeyRotationCommand({ KeyId: first.keyId })),
      // Direct use, not through S3: the key policy requires kms:ViaService.
      kms.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: bytes('x') })),
    ]) {
      assert.equal((await failure(call)).name, 'AccessDeniedException');
    }

    const root = rootPrincipal(MGMT_ACCOUNT);
    const context = { 'aws:s3:arn': 'arn:aws:s3:::bucket/key' };
    const dk = await api.generateDataKeyAs(root, 'alias/aws/s3', context, { viaService: 's3.us-east-1.amazonaws.com' });
    assert.equal(dk.plaintext.length, 32);
    assert.equal(dk.keyArn, first.arn);
    const back = await api.decryptAs(root, dk.ciphertextBlob, context, { viaService: 's3.us-east-1.amazonaws.com' });
    assert.deepEqual(back.plaintext, dk.plaintext);
    const elsewhere = await failure(api.generateDataKeyAs(root, 'alias/aws/s3', context, { viaService: 'ec2.us-east-1.amazonaws.com' }));
    assert.match(elsewhere.message, /not authorized|Access Denied/);
    // Another account's principals cannot use it even through S3 (kms:CallerAccount).
    const stranger = await failure(api.decryptAs(rootPrincipal(OTHER_ACCOUNT), dk.ciphertextBlob, context, { viaService: 's3.us-east-1.amazonaws.com' }));
    assert.match(stranger.message, /not authorized|Access Denied/);
  });
});
