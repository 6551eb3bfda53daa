// Key lifecycle: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey,
// DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, and tags.
import { kmsError } from '../../errors/kms.js';
import type { KmsKeyRecord } from '../../store/meta/sqlite/kms-store.js';
import { onAll, onKey, tagConditions } from './conditions.js';
import { optBool, optEnum, optInt, optString, optStringList, optTags, page, paging, reqString, type Tag } from './input.js';
import { checkKeyPolicy, defaultKeyPolicy, lockoutSafetyCheck } from './key-policy.js';
import { defineOperation, keyInput, resolved, type KeyInput } from './operation.js';
import { DAY_MS, keyMetadata, type KmsContext } from './service.js';

const KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2'] as const;
const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
const MAX_TAGS = 50;

/** Tag rules shared by CreateKey and TagResource. */
function checkTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw kmsError('TagException', 'Tags beginning with aws: are reserved.');
    if (seen.has(t.TagKey)) throw kmsError('TagException', `Duplicate tag key ${t.TagKey}.`);
    seen.add(t.TagKey);
  }
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const out = new Map(existing.map((t) => [t.TagKey, t.TagValue]));
  for (const t of added) out.set(t.TagKey, t.TagValue);
  if (out.size > MAX_TAGS) throw kmsError('LimitExceededException', `A KMS key can have at most ${MAX_TAGS} tags.`);
  return [...out].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

interface CreateKeyInput {
  policy?: string;
  description: string;
  keySpec: string;
  keyUsage: string;
  bypass: boolean;
  tags: Tag[];
  origin: string;
}

export const CreateKey = defineOperation<CreateKeyInput, unknown>({
  name: 'CreateKey',
  validate(raw) {
    const policy = optString(raw, 'Policy', { min: 1, max: 131072 });
    const description = optString(raw, 'Description', { min: 0, max: 8192 }) ?? '';
    const keySpec = optEnum(raw, 'KeySpec', KEY_SPECS);
    const cmkSpec = optEnum(raw, 'CustomerMasterKeySpec', KEY_SPECS);
    if (keySpec && cmkSpec) throw kmsError('ValidationException', 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
    const spec = keySpec ?? cmkSpec ?? 'SYMMETRIC_DEFAULT';
    const keyUsage = optEnum(raw, 'KeyUsage', KEY_USAGES) ?? 'ENCRYPT_DECRYPT';
    const origin = optEnum(raw, 'Origin', ORIGINS) ?? 'AWS_KMS';
    if (spec !== 'SYMMETRIC_DEFAULT') {
      throw kmsError('UnsupportedOperationException', `KeySpec ${spec} is not supported by Coffer: only SYMMETRIC_DEFAULT (AES-256-GCM) keys for ENCRYPT_DECRYPT are available.`);
    }
    if (keyUsage !== 'ENCRYPT_DECRYPT') {
      throw kmsError('ValidationException', `KeyUsage ${keyUsage} is not compatible with KeySpec SYMMETRIC_DEFAULT.`);
    }
    if (origin !== 'AWS_KMS') throw kmsError('UnsupportedOperationException', `Origin ${origin} is not supported by Coffer: only AWS_KMS key material is available.`);
    if (optString(raw, 'CustomKeyStoreId') !== undefined) throw kmsError('CustomKeyStoreNotFoundException');
    if (optBool(raw, 'MultiRegion')) throw kmsError('UnsupportedOperationException', 'Multi-Region keys are not supported by Coffer.');
    const tags = optTags(raw) ?? [];
    checkTags(tags);
    if (tags.length > MAX_TAGS) throw kmsError('LimitExceededException', `A KMS key can have at most ${MAX_TAGS} tags.`);
    const input: CreateKeyInput = { description, keySpec: spec, keyUsage, bypass: optBool(raw, 'BypassPolicyLockoutSafetyCheck') ?? false, tags, origin };
    if (policy !== undefined) input.policy = policy;
    return input;
  },
  access: (input, ctx) => {
    const c = tagConditions(input.tags, {
      'kms:KeySpec': input.keySpec,
      'kms:KeyUsage': input.keyUsage,
      'kms:KeyOrigin': input.origin,
      'kms:MultiRegion': 'false',
      'kms:BypassPolicyLockoutSafetyCheck': String(input.bypass),
    });
    // A Policy needs no kms:PutKeyPolicy permission; Tags need kms:TagResource (KMS API Reference, CreateKey).
    const requests = [onAll(ctx, 'kms:CreateKey', c)];
    if (input.tags.length > 0) requests.push(onAll(ctx, 'kms:TagResource', tagConditions(input.tags)));
    return requests;
  },
  async handler(input, ctx) {
    const { kms } = ctx;
    const accountId = ctx.principal.accountId;
    const id = kms.newKeyId();
    const arn = kms.keyArn({ accountId, region: kms.region, id });
    const policy = input.policy ?? defaultKeyPolicy(accountId);
    if (input.policy !== undefined) {
      checkKeyPolicy(input.policy);
      if (!input.bypass) await lockoutSafetyCheck(kms.putKeyPolicyCheck, input.policy, ctx.principal, { arn, accountId });
    }
    const { wrapped } = await kms.newMaterial(id, 1);
    const record: KmsKeyRecord = {
      id, accountId, region: kms.region, description: input.description, keyUsage: input.keyUsage, keySpec: input.keySpec,
      keyState: 'Enabled', origin: input.origin, keyManager: 'CUSTOMER', multiRegion: false, createdAt: kms.now(), policy,
      rotationEnabled: false, currentVersion: 1, tags: input.tags,
    };
    await kms.store.transact((s) => s.insertKey(record, wrapped));
    return { KeyMetadata: keyMetadata(kms, record) };
  },
});

interface DescribeKeyInput extends KeyInput {
  grantTokens?: string[];
}

export const DescribeKey = defineOperation<DescribeKeyInput, unknown>({
  name: 'DescribeKey',
  validate(raw) {
    const input: DescribeKeyInput = keyInput(raw);
    const tokens = optStringList(raw, 'GrantTokens', 10, { min: 1, max: 8192 });
    if (tokens) input.grantTokens = tokens;
    return input;
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:DescribeKey', await resolved(input, ctx))],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx);
    return { KeyMetadata: keyMetadata(ctx.kms, await ctx.kms.withDueRotation(key)) };
  },
});

export const ListKeys = defineOperation<{ limit: number; after: string }, unknown>({
  name: 'ListKeys',
  validate: (raw) => paging(raw, 100, 1000),
  access: (_input, ctx) => [onAll(ctx, 'kms:ListKeys')],
  async handler(input, ctx) {
    const { kms } = ctx;
    await kms.sweepDeletedKeys();
    const rows = kms.store.listKeys(ctx.principal.accountId, kms.region, input.after, input.limit + 1);
    const p = page(rows, input.limit, (k) => k.id);
    const out: Record<string, unknown> = { Keys: p.items.map((k) => ({ KeyId: k.id, KeyArn: kms.keyArn(k) })), Truncated: p.Truncated };
    if (p.NextMarker) out['NextMarker'] = p.NextMarker;
    return out;
  },
});

/**
 * A read-check-write on one key inside one transaction, so concurrent calls cannot
 * interleave between the state check and the update.
 */
async function mutateKey(ctx: KmsContext, id: string, fn: (k: KmsKeyRecord) => Partial<KmsKeyRecord> | undefined): Promise<KmsKeyRecord> {
  const { kms } = ctx;
  return kms.store.transact((s) => {
    const k = s.getKey(id);
    if (!k) throw kmsError('NotFoundException', `Key '${kms.keyArn({ accountId: ctx.principal.accountId, region: kms.region, id })}' does not exist`);
    const patch = fn(k);
    if (patch) s.updateKey(id, patch);
    return { ...k, ...patch };
  });
}

export const UpdateKeyDescription = defineOperation<KeyInput & { description: string }, unknown>({
  name: 'UpdateKeyDescription',
  validate: (raw) => ({ ...keyInput(raw), description: reqString(raw, 'Description', { min: 0, max: 8192 }) }),
  access: async (input, ctx) => [onKey(ctx, 'kms:UpdateKeyDescription', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx, 'ownKey');
    await mutateKey(ctx, key.id, (k) => {
      ctx.kms.requireNotPendingDeletion(k);
      return { description: input.description };
    });
    return {};
  },
});

function stateChange(name: 'EnableKey' | 'DisableKey', to: 'Enabled' | 'Disabled') {
  return defineOperation<KeyInput, unknown>({
    name,
    validate: (raw) => keyInput(raw),
    access: async (input, ctx) => [onKey(ctx, `kms:${name}`, await resolved(input, ctx, 'ownKey'))],
    async handler(input, ctx) {
      const { key } = await resolved(input, ctx, 'ownKey');
      await mutateKey(ctx, key.id, (k) => {
        ctx.kms.requireNotPendingDeletion(k);
        return k.keyState === to ? undefined : { keyState: to };
      });
      return {};
    },
  });
}

export const EnableKey = stateChange('EnableKey', 'Enabled');
export const DisableKey = stateChange('DisableKey', 'Disabled');

export const ScheduleKeyDeletion = defineOperation<KeyInput & { days: number }, unknown>({
  name: 'ScheduleKeyDeletion',
  validate: (raw) => ({ ...keyInput(raw), days: optInt(raw, 'PendingWindowInDays', 7, 30) ?? 30 }),
  access: async (input, ctx) => [onKey(ctx, 'kms:ScheduleKeyDeletion', await resolved(input, ctx, 'ownKey'), {
    'kms:ScheduleKeyDeletionPendingWindowInDays': String(input.days),
  })],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    const deletionAt = kms.now() + input.days * DAY_MS;
    const k = await mutateKey(ctx, key.id, (cur) => {
      kms.requireNotPendingDeletion(cur);
      return { keyState: 'PendingDeletion', deletionAt, pendingWindowDays: input.days };
    });
    return { KeyId: kms.keyArn(k), DeletionDate: deletionAt / 1000, KeyState: 'PendingDeletion', PendingWindowInDays: input.days };
  },
});

export const CancelKeyDeletion = defineOperation<KeyInput, unknown>({
  name: 'CancelKeyDeletion',
  validate: (raw) => keyInput(raw),
  access: async (input, ctx) => [onKey(ctx, 'kms:CancelKeyDeletion', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    const k = await mutateKey(ctx, key.id, (cur) => {
      if (cur.keyState !== 'PendingDeletion') throw kmsError('KMSInvalidStateException', `${kms.keyArn(cur)} is not pending deletion.`);
      return { keyState: 'Disabled', deletionAt: undefined, pendingWindowDays: undefined };
    });
    return { KeyId: kms.keyArn(k) };
  },
});

export const TagResource = defineOperation<KeyInput & { tags: Tag[] }, unknown>({
  name: 'TagResource',
  validate(raw) {
    const tags = optTags(raw);
    if (!tags) throw kmsError('ValidationException', "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    checkTags(tags);
    return { ...keyInput(raw), tags };
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:TagResource', await resolved(input, ctx, 'ownKey'), tagConditions(input.tags))],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx, 'ownKey');
    await mutateKey(ctx, key.id, (k) => {
      ctx.kms.requireNotPendingDeletion(k);
      return { tags: mergeTags(k.tags, input.tags) };
    });
    return {};
  },
});

export const UntagResource = defineOperation<KeyInput & { tagKeys: string[] }, unknown>({
  name: 'UntagResource',
  validate(raw) {
    const tagKeys = optStringList(raw, 'TagKeys', 50, { min: 1, max: 128 });
    if (!tagKeys) throw kmsError('ValidationException', "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    return { ...keyInput(raw), tagKeys };
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:UntagResource', await resolved(input, ctx, 'ownKey'), { 'aws:TagKeys': input.tagKeys })],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx, 'ownKey');
    await mutateKey(ctx, key.id, (k) => {
      ctx.kms.requireNotPendingDeletion(k);
      return { tags: k.tags.filter((t) => !input.tagKeys.includes(t.TagKey)) };
    });
    return {};
  },
});

export const ListResourceTags = defineOperation<KeyInput & { limit: number; after: string }, unknown>({
  name: 'ListResourceTags',
  validate: (raw) => ({ ...keyInput(raw), ...paging(raw, 50, 50) }),
  access: async (input, ctx) => [onKey(ctx, 'kms:ListResourceTags', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx, 'ownKey');
    const sorted = [...key.tags].sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
    const p = page(sorted.filter((t) => t.TagKey > input.after), input.limit, (t) => t.TagKey);
    const out: Record<string, unknown> = { Tags: p.items, Truncated: p.Truncated };
    if (p.NextMarker) out['NextMarker'] = p.NextMarker;
    return out;
  },
});
