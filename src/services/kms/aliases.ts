// Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. Names start with `alias/`;
// `alias/aws/` is reserved for AWS managed keys.
import { kmsError } from '../../errors/kms.js';
import type { KmsKeyRecord } from '../../store/meta/sqlite/kms-store.js';
import { onAlias, onAll, onKey } from './conditions.js';
import { optString, page, paging, reqString } from './input.js';
import { defineOperation, resolved, type KeyInput } from './operation.js';
import type { KmsContext } from './service.js';

const PATTERN = /^[a-zA-Z0-9:/_-]+$/;

function aliasName(raw: Record<string, unknown>): string {
  const name = reqString(raw, 'AliasName', { min: 1, max: 256, pattern: PATTERN });
  if (!name.startsWith('alias/') || name.length === 'alias/'.length) throw kmsError('InvalidAliasNameException');
  if (name.includes(':')) throw kmsError('ValidationException', `${name} contains invalid characters for an alias`);
  return name;
}

function notReserved(name: string): void {
  if (name.startsWith('alias/aws/')) throw kmsError('NotAuthorizedException');
}

function targetInput(raw: Record<string, unknown>): KeyInput {
  const keyId = reqString(raw, 'TargetKeyId', { min: 1, max: 2048 });
  if (keyId.startsWith('alias/') || /^arn:[^:]*:kms:[^:]*:\d*:alias\//.test(keyId)) {
    throw kmsError('ValidationException', 'Aliases must refer to keys. Not aliases');
  }
  return { keyId };
}

function checkTarget(ctx: KmsContext, k: KmsKeyRecord): void {
  if (k.keyManager === 'AWS') throw kmsError('NotAuthorizedException', '');
  ctx.kms.requireNotPendingDeletion(k);
}

function aliasNotFound(ctx: KmsContext, name: string) {
  return kmsError('NotFoundException', `Alias ${ctx.kms.aliasArn(ctx.principal.accountId, name)} is not found.`);
}

interface AliasTargetInput {
  name: string;
  target: KeyInput;
}

export const CreateAlias = defineOperation<AliasTargetInput, unknown>({
  name: 'CreateAlias',
  validate(raw) {
    const name = aliasName(raw);
    notReserved(name);
    return { name, target: targetInput(raw) };
  },
  access: async (input, ctx) => [
    onAlias(ctx, 'kms:CreateAlias', input.name),
    onKey(ctx, 'kms:CreateAlias', await resolved(input.target, ctx, 'ownKey')),
  ],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input.target, ctx, 'ownKey');
    checkTarget(ctx, key);
    const accountId = ctx.principal.accountId;
    const at = kms.now();
    await kms.store.transact((s) => {
      const existing = s.getAlias(accountId, kms.region, input.name);
      if (existing && s.getKey(existing.targetKeyId)) {
        throw kmsError('AlreadyExistsException', `An alias with the name ${kms.aliasArn(accountId, input.name)} already exists`);
      }
      if (existing) s.deleteAlias(accountId, kms.region, input.name);
      s.insertAlias({ accountId, region: kms.region, name: input.name, targetKeyId: key.id, createdAt: at, updatedAt: at });
    });
    return {};
  },
});

interface UpdateAliasInput extends AliasTargetInput {
  currentKeyId?: string;
}

export const UpdateAlias = defineOperation<UpdateAliasInput, unknown>({
  name: 'UpdateAlias',
  validate(raw) {
    const name = aliasName(raw);
    notReserved(name);
    return { name, target: targetInput(raw) };
  },
  async access(input, ctx) {
    const { kms } = ctx;
    const alias = kms.store.getAlias(ctx.principal.accountId, kms.region, input.name);
    const current = alias ? await kms.loadKey(alias.targetKeyId) : undefined;
    if (!alias || !current) throw aliasNotFound(ctx, input.name);
    input.currentKeyId = current.id;
    return [
      onAlias(ctx, 'kms:UpdateAlias', input.name),
      onKey(ctx, 'kms:UpdateAlias', { key: current }),
      onKey(ctx, 'kms:UpdateAlias', await resolved(input.target, ctx, 'ownKey')),
    ];
  },
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input.target, ctx, 'ownKey');
    checkTarget(ctx, key);
    const accountId = ctx.principal.accountId;
    await kms.store.transact((s) => {
      const alias = s.getAlias(accountId, kms.region, input.name);
      if (!alias || !s.getKey(alias.targetKeyId)) throw aliasNotFound(ctx, input.name);
      s.retargetAlias(accountId, kms.region, input.name, key.id, kms.now());
    });
    return {};
  },
});

export const DeleteAlias = defineOperation<{ name: string; keyId?: string }, unknown>({
  name: 'DeleteAlias',
  validate(raw) {
    const name = aliasName(raw);
    notReserved(name);
    return { name };
  },
  async access(input, ctx) {
    const { kms } = ctx;
    const alias = kms.store.getAlias(ctx.principal.accountId, kms.region, input.name);
    const key = alias ? await kms.loadKey(alias.targetKeyId) : undefined;
    if (!alias || !key) throw aliasNotFound(ctx, input.name);
    return [onAlias(ctx, 'kms:DeleteAlias', input.name), onKey(ctx, 'kms:DeleteAlias', { key })];
  },
  async handler(input, ctx) {
    const { kms } = ctx;
    const accountId = ctx.principal.accountId;
    await kms.store.transact((s) => {
      if (!s.getAlias(accountId, kms.region, input.name)) throw aliasNotFound(ctx, input.name);
      s.deleteAlias(accountId, kms.region, input.name);
    });
    return {};
  },
});

export const ListAliases = defineOperation<{ key?: KeyInput; limit: number; after: string }, unknown>({
  name: 'ListAliases',
  validate(raw) {
    const input: { key?: KeyInput; limit: number; after: string } = paging(raw, 50, 100);
    const keyId = optString(raw, 'KeyId', { min: 1, max: 2048 });
    if (keyId !== undefined) input.key = { keyId };
    return input;
  },
  access: (_input, ctx) => [onAll(ctx, 'kms:ListAliases')],
  async handler(input, ctx) {
    const { kms } = ctx;
    const accountId = ctx.principal.accountId;
    const keyId = input.key ? (await resolved(input.key, ctx, 'ownKey')).key.id : undefined;
    const rows = kms.store.listAliases(accountId, kms.region, input.after, input.limit + 1, keyId);
    const p = page(rows, input.limit, (a) => a.name);
    const out: Record<string, unknown> = {
      Aliases: p.items.map((a) => ({
        AliasName: a.name,
        AliasArn: kms.aliasArn(accountId, a.name),
        TargetKeyId: a.targetKeyId,
        CreationDate: a.createdAt / 1000,
        LastUpdatedDate: a.updatedAt / 1000,
      })),
      Truncated: p.Truncated,
    };
    if (p.NextMarker) out['NextMarker'] = p.NextMarker;
    return out;
  },
});
