import { strict as assert } from 'node:assert';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand, DisableKeyCommand,
  EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ListAliasesCommand, ListKeyPoliciesCommand, ListKeyRotationsCommand,
  ListKeysCommand, ListResourceTagsCommand, PutKeyPolicyCommand, ReEncryptCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand,
  TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand, type KMSClient,
} from '@aws-sdk/client-kms';
import { rootPrincipal } from '../../src/auth/principal.js';
import { awsCli } from './harness.js';
import { failure, MGMT_ACCOUNT, startKmsServer, type KmsTestServer } from './kms-server.js';

const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_POLICY = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${MGMT_ACCOUNT}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;

let srv: KmsTestServer;
let kms: KMSClient;

before(async () => {
  srv = await startKmsServer();
  kms = srv.client();
});
after(async () => {
  kms.destroy();
  await srv.stop();
});

async function newKey(description = 'test key'): Promise<{ id: string; arn: string }> {
  const r = await kms.send(new CreateKeyCommand({ Description: description }));
  return { id: r.KeyMetadata!.KeyId!, arn: r.KeyMetadata!.Arn! };
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('key lifecycle', () => {
  test('CreateKey returns AWS-shaped metadata and the default key policy', async () => {
    const r = await kms.send(new CreateKeyCommand({ Description: 'lifecycle', Tags: [{ TagKey: 'team', TagValue: 'storage' }] }));
    const m = r.KeyMetadata!;
    assert.match(m.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(m.Arn, `arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:key/${m.KeyId}`);
    assert.equal(m.AWSAccountId, MGMT_ACCOUNT);
    assert.equal(m.KeyState, 'Enabled');
    assert.equal(m.Enabled, true);
    assert.equal(m.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(m.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(m.Origin, 'AWS_KMS');
    assert.equal(m.KeyManager, 'CUSTOMER');
    assert.equal(m.MultiRegion, false);
    assert.deepEqual(m.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.ok(m.CreationDate instanceof Date && Math.abs(m.CreationDate.getTime() - Date.now()) < 60_000);
    const p = await kms.send(new GetKeyPolicyCommand({ KeyId: m.KeyId, PolicyName: 'default' }));
    assert.equal(p.Policy, DEFAULT_POLICY);
    assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: m.KeyId }))).PolicyNames, ['default']);
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: m.KeyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'team', TagValue: 'storage' }]);
  });

  test('DescribeKey accepts key id, key ARN, alias name and alias ARN', async () => {
    const k = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: k.id }));
    for (const id of [k.id, k.arn, 'alias/describe-me', `arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:alias/describe-me`]) {
      const d = await kms.send(new DescribeKeyCommand({ KeyId: id }));
      assert.equal(d.KeyMetadata!.KeyId, k.id, id);
    }
    const missing = await failure(kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-4333-8444-555555555555' })));
    assert.equal(missing.name, 'NotFoundException');
    assert.equal(missing.message, `Key 'arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:key/11111111-2222-4333-8444-555555555555' does not exist`);
    const noAlias = await failure(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })));
    assert.equal(noAlias.name, 'NotFoundException');
    assert.equal(noAlias.message, `Alias arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:alias/nope is not found.`);
    assert.equal((await failure(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' })))).name, 'NotFoundException');
  });

  test('ListKeys pages with Limit and Marker', async () => {
    for (let i = 0; i < 3; i++) await newKey(`page ${i}`);
    const seen = new Set<string>();
    let marker: string | undefined;
    let pages = 0;
    do {
      const r = await kms.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
      assert.ok(r.Keys!.length <= 2);
      for (const k of r.Keys!) {
        assert.equal(k.KeyArn, `arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:key/${k.KeyId}`);
        seen.add(k.KeyId!);
      }
      assert.equal(r.Truncated, r.NextMarker !== undefined);
      marker = r.NextMarker;
      pages++;
    } while (marker);
    assert.ok(seen.size >= 3 && pages >= 2);
    assert.equal((await failure(kms.send(new ListKeysCommand({ Marker: 'garbage' })))).name, 'InvalidMarkerException');
  });

  test('UpdateKeyDescription, TagResource and UntagResource', async () => {
    const k = await newKey('before');
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: k.arn, Description: 'after' }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: k.id }))).KeyMetadata!.Description, 'after');
    await kms.send(new TagResourceCommand({ KeyId: k.id, Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }] }));
    await kms.send(new TagResourceCommand({ KeyId: k.id, Tags: [{ TagKey: 'a', TagValue: '3' }] }));
    await kms.send(new UntagResourceCommand({ KeyId: k.id, TagKeys: ['b'] }));
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: k.id }))).Tags, [{ TagKey: 'a', TagValue: '3' }]);
    const reserved = await failure(kms.send(new TagResourceCommand({ KeyId: k.id, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] })));
    assert.equal(reserved.name, 'TagException');
  });

  test('unsupported key specs and origins are refused clearly', async () => {
    const rsa = await failure(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })));
    assert.equal(rsa.name, 'UnsupportedOperationException');
    assert.match(rsa.message, /RSA_2048/);
    assert.equal((await failure(kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))).name, 'UnsupportedOperationException');
    assert.equal((await failure(kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' })))).name, 'UnsupportedOperationException');
  });
});

describe('encrypt and decrypt', () => {
  let key: { id: string; arn: string };
  before(async () => {
    key = await newKey('crypto');
  });

  test('round trip without and with encryption context; Decrypt needs no KeyId', async () => {
    const plain = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: bytes('hello') }));
    assert.equal(plain.KeyId, key.arn);
    assert.equal(plain.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const d1 = await kms.send(new DecryptCommand({ CiphertextBlob: plain.CiphertextBlob }));
    assert.equal(text(d1.Plaintext), 'hello');
    assert.equal(d1.KeyId, key.arn);

    const ctx = { tenant: 'acme', purpose: 'test' };
    const withCtx = await kms.send(new EncryptCommand({ KeyId: key.arn, Plaintext: bytes('secret'), EncryptionContext: ctx }));
    // The context is canonical: key order does not matter.
    const d2 = await kms.send(new DecryptCommand({ CiphertextBlob: withCtx.CiphertextBlob, EncryptionContext: { purpose: 'test', tenant: 'acme' } }));
    assert.equal(text(d2.Plaintext), 'secret');
    const wrongs: Array<Record<string, string> | undefined> = [undefined, { tenant: 'acme' }, { tenant: 'acme', purpose: 'other' }, { ...ctx, extra: 'x' }];
    for (const wrong of wrongs) {
      const e = await failure(kms.send(new DecryptCommand({ CiphertextBlob: withCtx.CiphertextBlob, EncryptionContext: wrong })));
      assert.equal(e.name, 'InvalidCiphertextException', JSON.stringify(wrong));
    }
    const extraCtx = await failure(kms.send(new DecryptCommand({ CiphertextBlob: plain.CiphertextBlob, EncryptionContext: { a: 'b' } })));
    assert.equal(extraCtx.name, 'InvalidCiphertextException');
  });

  test('a tampered blob is InvalidCiphertextException; a wrong KeyId is IncorrectKeyException', async () => {
    const e = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: bytes('tamper me') }));
    const blob = Buffer.from(e.CiphertextBlob!);
    for (const at of [0, 20, 30, 45, 55, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[at] = bad[at]! ^ 0x01;
      const err = await failure(kms.send(new DecryptCommand({ CiphertextBlob: bad })));
      assert.ok(['InvalidCiphertextException', 'AccessDeniedException'].includes(err.name), `byte ${at}: ${err.name}`);
      if (at !== 1 && at !== 0) assert.equal(err.name, 'InvalidCiphertextException', `byte ${at}`);
    }
    assert.equal((await failure(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a kms blob at all, just bytes') })))).name, 'InvalidCiphertextException');
    const other = await newKey('other');
    const wrongKey = await failure(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: other.id })));
    assert.equal(wrongKey.name, 'IncorrectKeyException');
    const right = await kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: key.arn }));
    assert.equal(text(right.Plaintext), 'tamper me');
  });

  test('ReEncrypt moves a ciphertext to another key and context', async () => {
    const dest = await newKey('dest');
    const e = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: bytes('move me'), EncryptionContext: { a: '1' } }));
    const r = await kms.send(new ReEncryptCommand({
      CiphertextBlob: e.CiphertextBlob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: dest.id, DestinationEncryptionContext: { b: '2' },
    }));
    assert.equal(r.SourceKeyId, key.arn);
    assert.equal(r.KeyId, dest.arn);
    const d = await kms.send(new DecryptCommand({ CiphertextBlob: r.CiphertextBlob, EncryptionContext: { b: '2' } }));
    assert.equal(text(d.Plaintext), 'move me');
    assert.equal(d.KeyId, dest.arn);
    const wrongSource = await failure(kms.send(new ReEncryptCommand({ CiphertextBlob: e.CiphertextBlob, SourceEncryptionContext: { a: 'x' }, DestinationKeyId: dest.id })));
    assert.equal(wrongSource.name, 'InvalidCiphertextException');
  });

  test('data keys: the plaintext is what the ciphertext decrypts to', async () => {
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_256', EncryptionContext: { obj: 'x' } }));
    assert.equal(dk.Plaintext!.length, 32);
    assert.equal(dk.KeyId, key.arn);
    const d = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { obj: 'x' } }));
    assert.deepEqual(Buffer.from(d.Plaintext!), Buffer.from(dk.Plaintext!));
    const dk16 = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_128' }));
    assert.equal(dk16.Plaintext!.length, 16);
    const dk64 = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 64 }));
    assert.equal(dk64.Plaintext!.length, 64);
    const wp = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.id, KeySpec: 'AES_256' }));
    assert.equal((wp as { Plaintext?: unknown }).Plaintext, undefined);
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: wp.CiphertextBlob }))).Plaintext!.length, 32);
    assert.equal((await failure(kms.send(new GenerateDataKeyCommand({ KeyId: key.id })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 1025 })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 16, KeySpec: 'AES_128' })))).name, 'ValidationException');
  });

  test('GenerateRandom and input limits', async () => {
    assert.equal((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext!.length, 1024);
    assert.equal((await failure(kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: new Uint8Array(4097) })))).name, 'ValidationException');
    assert.ok((await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: new Uint8Array(4096) }))).CiphertextBlob);
    const dry = await failure(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: bytes('x'), DryRun: true })));
    assert.equal(dry.name, 'DryRunOperationException');
    const alg = await failure(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: bytes('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })));
    assert.equal(alg.name, 'InvalidKeyUsageException');
  });
});

describe('key states', () => {
  test('disabled keys refuse crypto with DisabledException until enabled', async () => {
    const k = await newKey('states');
    const e = await kms.send(new EncryptCommand({ KeyId: k.id, Plaintext: bytes('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: k.id }));
    const d = await kms.send(new DescribeKeyCommand({ KeyId: k.id }));
    assert.equal(d.KeyMetadata!.KeyState, 'Disabled');
    assert.equal(d.KeyMetadata!.Enabled, false);
    for (const call of [
      kms.send(new EncryptCommand({ KeyId: k.id, Plaintext: bytes('x') })),
      kms.send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob })),
      kms.send(new GenerateDataKeyCommand({ KeyId: k.id, KeySpec: 'AES_256' })),
    ]) {
      const err = await failure(call);
      assert.equal(err.name, 'DisabledException');
      assert.equal(err.message, `${k.arn} is disabled.`);
    }
    await kms.send(new EnableKeyCommand({ KeyId: k.arn }));
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: e.CiphertextBlob }))).Plaintext), 'x');
  });

  test('ScheduleKeyDeletion (7-30 days), PendingDeletion, CancelKeyDeletion back to Disabled', async () => {
    const k = await newKey('doomed');
    assert.equal((await failure(kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.id, PendingWindowInDays: 6 })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.id, PendingWindowInDays: 31 })))).name, 'ValidationException');
    const s = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.id, PendingWindowInDays: 7 }));
    assert.equal(s.KeyId, k.arn);
    assert.equal(s.KeyState, 'PendingDeletion');
    assert.equal(s.PendingWindowInDays, 7);
    assert.ok(Math.abs(s.DeletionDate!.getTime() - (Date.now() + 7 * DAY)) < 60_000);
    const d = await kms.send(new DescribeKeyCommand({ KeyId: k.id }));
    assert.equal(d.KeyMetadata!.KeyState, 'PendingDeletion');
    assert.ok(d.KeyMetadata!.DeletionDate);
    const enc = await failure(kms.send(new EncryptCommand({ KeyId: k.id, Plaintext: bytes('x') })));
    assert.equal(enc.name, 'KMSInvalidStateException');
    assert.equal(enc.message, `${k.arn} is pending deletion.`);
    assert.equal((await failure(kms.send(new EnableKeyCommand({ KeyId: k.id })))).name, 'KMSInvalidStateException');
    assert.equal((await failure(kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.id })))).name, 'KMSInvalidStateException');
    const c = await kms.send(new CancelKeyDeletionCommand({ KeyId: k.id }));
    assert.equal(c.KeyId, k.arn);
    const after = await kms.send(new DescribeKeyCommand({ KeyId: k.id }));
    assert.equal(after.KeyMetadata!.KeyState, 'Disabled');
    assert.equal(after.KeyMetadata!.DeletionDate, undefined);
    const again = await failure(kms.send(new CancelKeyDeletionCommand({ KeyId: k.id })));
    assert.equal(again.name, 'KMSInvalidStateException');
    assert.equal(again.message, `${k.arn} is not pending deletion.`);
  });
});

describe('aliases', () => {
  test('create, duplicate, reserved and invalid names, update, list, delete', async () => {
    const a = await newKey('alias a');
    const b = await newKey('alias b');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/main', TargetKeyId: a.id }));
    const dup = await failure(kms.send(new CreateAliasCommand({ AliasName: 'alias/app/main', TargetKeyId: b.id })));
    assert.equal(dup.name, 'AlreadyExistsException');
    assert.equal(dup.message, `An alias with the name arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:alias/app/main already exists`);
    assert.equal((await failure(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: a.id })))).name, 'NotAuthorizedException');
    assert.equal((await failure(kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: a.id })))).name, 'InvalidAliasNameException');
    assert.equal((await failure(kms.send(new CreateAliasCommand({ AliasName: 'alias/bad name', TargetKeyId: a.id })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: 'alias/app/main' })))).name, 'ValidationException');

    const list = await kms.send(new ListAliasesCommand({ KeyId: a.id }));
    assert.deepEqual(list.Aliases!.map((x) => [x.AliasName, x.TargetKeyId, x.AliasArn]), [
      ['alias/app/main', a.id, `arn:aws:kms:us-east-1:${MGMT_ACCOUNT}:alias/app/main`],
    ]);
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app/main', TargetKeyId: b.arn }));
    const e = await kms.send(new EncryptCommand({ KeyId: 'alias/app/main', Plaintext: bytes('via alias') }));
    assert.equal(e.KeyId, b.arn);
    assert.equal((await kms.send(new ListAliasesCommand({ KeyId: a.id }))).Aliases!.length, 0);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/main' }));
    assert.equal((await failure(kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/main' })))).name, 'NotFoundException');
    assert.equal((await failure(kms.send(new UpdateAliasCommand({ AliasName: 'alias/app/main', TargetKeyId: a.id })))).name, 'NotFoundException');
  });
});

describe('key policies', () => {
  test('PutKeyPolicy validates the document and the policy name', async () => {
    const k = await newKey('policy');
    const bad = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.id, PolicyName: 'default', Policy: '{"Statement": [' })));
    assert.equal(bad.name, 'MalformedPolicyDocumentException');
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
    assert.equal((await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: noPrincipal })))).name, 'MalformedPolicyDocumentException');
    assert.equal((await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.id, PolicyName: 'other', Policy: DEFAULT_POLICY })))).name, 'NotFoundException');
    const mine = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'deny-gdk', Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey', Resource: '*' },
      ],
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: mine }));
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: k.id }))).Policy, mine);
    // The key policy is the authority: its explicit deny refuses the account root.
    assert.equal((await failure(kms.send(new GenerateDataKeyCommand({ KeyId: k.id, KeySpec: 'AES_256' })))).name, 'AccessDeniedException');
    assert.ok((await kms.send(new EncryptCommand({ KeyId: k.id, Plaintext: bytes('still fine') }))).CiphertextBlob);
  });

  test('the lockout safety check refuses a policy that removes the caller\'s PutKeyPolicy right, unless bypassed', async () => {
    const k = await newKey('lockout');
    const lockout = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }],
    });
    const refused = await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: lockout })));
    assert.equal(refused.name, 'MalformedPolicyDocumentException');
    assert.equal(refused.message, 'The new key policy will not allow you to update the key policy in the future.');
    const created = await failure(kms.send(new CreateKeyCommand({ Policy: lockout })));
    assert.equal(created.name, 'MalformedPolicyDocumentException');
    await kms.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    // Locked out indeed: the key policy no longer lets this account manage the key.
    assert.equal((await failure(kms.send(new PutKeyPolicyCommand({ KeyId: k.id, Policy: DEFAULT_POLICY })))).name, 'AccessDeniedException');
    const bypassCreate = await kms.send(new CreateKeyCommand({ Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    assert.equal(bypassCreate.KeyMetadata!.KeyState, 'Enabled');
  });
});

describe('rotation', () => {
  test('on demand: old ciphertexts still decrypt, new ones use the new version, ListKeyRotations', async () => {
    const k = await newKey('rotate');
    const before = await kms.send(new EncryptCommand({ KeyId: k.id, Plaintext: bytes('v1'), EncryptionContext: { r: '1' } }));
    assert.equal(Buffer.from(before.CiphertextBlob!).readUInt32BE(17), 1);
    const r = await kms.send(new RotateKeyOnDemandCommand({ KeyId: k.id }));
    assert.equal(r.KeyId, k.id);
    const afterRotation = await kms.send(new EncryptCommand({ KeyId: k.id, Plaintext: bytes('v2') }));
    assert.equal(Buffer.from(afterRotation.CiphertextBlob!).readUInt32BE(17), 2);
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob, EncryptionContext: { r: '1' } }))).Plaintext), 'v1');
    assert.equal(text((await kms.send(new DecryptCommand({ CiphertextBlob: afterRotation.CiphertextBlob }))).Plaintext), 'v2');
    const list = await kms.send(new ListKeyRotationsCommand({ KeyId: k.id }));
    assert.equal(list.Rotations!.length, 1);
    assert.equal(list.Rotations![0]!.RotationType, 'ON_DEMAND');
    assert.equal(list.Rotations![0]!.KeyId, k.id);
    assert.ok(list.Rotations![0]!.RotationDate instanceof Date);
  });

  test('EnableKeyRotation bounds and status', async () => {
    const k = await newKey('auto');
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: k.id }))).KeyRotationEnabled, false);
    assert.equal((await failure(kms.send(new EnableKeyRotationCommand({ KeyId: k.id, RotationPeriodInDays: 89 })))).name, 'ValidationException');
    assert.equal((await failure(kms.send(new EnableKeyRotationCommand({ KeyId: k.id, RotationPeriodInDays: 2561 })))).name, 'ValidationException');
    await kms.send(new EnableKeyRotationCommand({ KeyId: k.id }));
    const s = await kms.send(new GetKeyRotationStatusCommand({ KeyId: k.id }));
    assert.equal(s.KeyRotationEnabled, true);
    assert.equal(s.RotationPeriodInDays, 365);
    assert.ok(Math.abs(s.NextRotationDate!.getTime() - (Date.now() + 365 * DAY)) < 60_000);
  });
});

describe('the AWS CLI', () => {
  test('create-key, encrypt --plaintext fileb://, decrypt', async () => {
    const created = JSON.parse((await awsCli(srv.endpoint, ['kms', 'create-key', '--description', 'from the cli'])).stdout) as { KeyMetadata: { KeyId: string } };
    const file = join(srv.dataDir, 'plain.bin');
    await writeFile(file, Buffer.from([0, 1, 2, 250, 251, 252]));
    const enc = JSON.parse((await awsCli(srv.endpoint, ['kms', 'encrypt', '--key-id', created.KeyMetadata.KeyId, '--plaintext', `fileb://${file}`,
      '--encryption-context', 'app=cli'])).stdout) as { CiphertextBlob: string };
    const blobFile = join(srv.dataDir, 'blob.bin');
    await writeFile(blobFile, Buffer.from(enc.CiphertextBlob, 'base64'));
    const dec = JSON.parse((await awsCli(srv.endpoint, ['kms', 'decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'app=cli'])).stdout) as { Plaintext: string };
    assert.deepEqual(Buffer.from(dec.Plaintext, 'base64'), Buffer.from([0, 1, 2, 250, 251, 252]));
    const desc = JSON.parse((await awsCli(srv.endpoint, ['kms', 'describe-key', '--key-id', created.KeyMetadata.KeyId])).stdout) as { KeyMetadata: { Description: string } };
    assert.equal(desc.KeyMetadata.Description, 'from the cli');
  });
});

describe('key material at rest', () => {
  test('neither data keys nor key material appear in the data directory or the logs', async () => {
    const k = await newKey('secrets');
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: k.id, KeySpec: 'AES_256' }));
    const material = await srv.running.app.kms!.service.material(k.id, 1);
    assert.ok(material && material.length === 32);
    const needles = [Buffer.from(dk.Plaintext!), Buffer.from(material), Buffer.from(dk.Plaintext!).toString('base64'), material.toString('base64'),
      Buffer.from(dk.Plaintext!).toString('hex'), material.toString('hex')];
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else files.push(p);
      }
    };
    await walk(srv.dataDir);
    assert.ok(files.some((f) => f.endsWith('meta.sqlite')));
    for (const f of files) {
      const data = await readFile(f);
      for (const n of needles) assert.equal(data.indexOf(n), -1, `${f} contains key material`);
    }
    const logs = srv.logs.join('');
    assert.ok(logs.length > 0);
    for (const n of needles.slice(2)) assert.equal(logs.indexOf(n as string), -1, 'the logs contain key material');
  });
});

// Tests that move the clock run last: every client made afterwards signs with the moved clock.
describe('time passing (injected clock)', () => {
  test('automatic rotation happens on use when due; deletion happens when the window ends', async () => {
    const rotating = await newKey('auto rotate');
    await kms.send(new EnableKeyRotationCommand({ KeyId: rotating.id, RotationPeriodInDays: 90 }));
    const old = await kms.send(new EncryptCommand({ KeyId: rotating.id, Plaintext: bytes('before') }));
    const doomed = await newKey('deleted soon');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: doomed.id }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.id, PendingWindowInDays: 7 }));

    // Past the rotation period and the deletion window. The SDK re-syncs its clock from the
    // server's Date header, so calls after the move go through the internal API as the root.
    srv.advance(91 * DAY);
    const root = rootPrincipal(MGMT_ACCOUNT);
    const call = (op: string, input: Record<string, unknown>) => srv.running.app.kms!.invoke(op, input, root, {});
    const fresh = await call('Encrypt', { KeyId: rotating.id, Plaintext: Buffer.from('after').toString('base64') });
    assert.equal((fresh['CiphertextBlob'] as Buffer).readUInt32BE(17), 2);
    const rotations = await call('ListKeyRotations', { KeyId: rotating.id });
    assert.deepEqual((rotations['Rotations'] as Array<{ RotationType: string }>).map((r) => r.RotationType), ['AUTOMATIC']);
    const status = await call('GetKeyRotationStatus', { KeyId: rotating.id });
    assert.ok((status['NextRotationDate'] as number) * 1000 > Date.now() + 180 * DAY);
    const back = await call('Decrypt', { CiphertextBlob: Buffer.from(old.CiphertextBlob!).toString('base64') });
    assert.equal((back['Plaintext'] as Buffer).toString(), 'before');

    assert.equal((await failure(call('DescribeKey', { KeyId: doomed.id }))).name, 'AwsError');
    assert.equal(((await failure(call('DescribeKey', { KeyId: doomed.id }))) as unknown as { code: string }).code, 'NotFoundException');
    assert.equal(((await failure(call('DescribeKey', { KeyId: 'alias/doomed' }))) as unknown as { code: string }).code, 'NotFoundException');
    const keys = await call('ListKeys', {});
    assert.ok(!(keys['Keys'] as Array<{ KeyId: string }>).some((x) => x.KeyId === doomed.id));
  });
});
