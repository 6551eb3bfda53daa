// Key policies: PutKeyPolicy, GetKeyPolicy, ListKeyPolicies. A key has one policy, `default`.
import { kmsError } from '../../errors/kms.js';
import { onKey } from './conditions.js';
import { optBool, optString, paging, reqString } from './input.js';
import { checkKeyPolicy, lockoutSafetyCheck } from './key-policy.js';
import { defineOperation, keyInput, resolved, type KeyInput } from './operation.js';

const POLICY_NAME = /^[\w]+$/;

function policyName(raw: Record<string, unknown>): string {
  const name = optString(raw, 'PolicyName', { min: 1, max: 128, pattern: POLICY_NAME }) ?? 'default';
  if (name !== 'default') throw kmsError('NotFoundException', 'No such policy exists');
  return name;
}

interface PutKeyPolicyInput extends KeyInput {
  policy: string;
  bypass: boolean;
}

export const PutKeyPolicy = defineOperation<PutKeyPolicyInput, unknown>({
  name: 'PutKeyPolicy',
  validate(raw) {
    policyName(raw);
    return {
      ...keyInput(raw),
      policy: reqString(raw, 'Policy', { min: 1, max: 131072 }),
      bypass: optBool(raw, 'BypassPolicyLockoutSafetyCheck') ?? false,
    };
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:PutKeyPolicy', await resolved(input, ctx, 'ownKey'), {
    'kms:BypassPolicyLockoutSafetyCheck': String(input.bypass),
  })],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    checkKeyPolicy(input.policy);
    if (!input.bypass) await lockoutSafetyCheck(kms.putKeyPolicyCheck, input.policy, ctx.principal, { arn: kms.keyArn(key), accountId: key.accountId });
    await kms.store.transact((s) => {
      if (!s.getKey(key.id)) throw kmsError('NotFoundException', `Key '${kms.keyArn(key)}' does not exist`);
      s.updateKey(key.id, { policy: input.policy });
    });
    return {};
  },
});

export const GetKeyPolicy = defineOperation<KeyInput & { name: string }, unknown>({
  name: 'GetKeyPolicy',
  validate: (raw) => ({ ...keyInput(raw), name: policyName(raw) }),
  access: async (input, ctx) => [onKey(ctx, 'kms:GetKeyPolicy', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx, 'ownKey');
    return { Policy: key.policy, PolicyName: input.name };
  },
});

export const ListKeyPolicies = defineOperation<KeyInput, unknown>({
  name: 'ListKeyPolicies',
  validate(raw) {
    paging(raw, 100, 1000);
    return keyInput(raw);
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:ListKeyPolicies', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    await resolved(input, ctx, 'ownKey');
    return { PolicyNames: ['default'], Truncated: false };
  },
});
