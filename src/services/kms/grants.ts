// Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, and the
// rule the authorizer applies through the resolver's extraAllow (a grant whose grantee is
// the caller allows its operations, within its encryption context constraints).
import type { Principal } from '../../auth/principal.js';
import type { AccessRequest } from '../../authz/access.js';
import { kmsError } from '../../errors/kms.js';
import type { KmsGrantConstraints, KmsGrantRecord } from '../../store/meta/sqlite/kms-store.js';
import { contextFromConditions, onAll, onKey } from './conditions.js';
import { checkGrantTokens, grantIdOfToken, isGrantId, newGrantId, newGrantToken } from './grant-tokens.js';
import { constraintError, optBool, optContext, optString, optStringList, page, paging, reqString } from './input.js';
import { defineOperation, keyInput, resolved, stopIfDryRun, type KeyInput } from './operation.js';
import { GRANT_OPERATIONS, type GrantOperation } from './operation-names.js';
import type { KmsService } from './service.js';

const PRINCIPAL = /^[\w+=,.@:/-]+$/;
const NAME = /^[a-zA-Z0-9:/_-]+$/;
/** Grant operations a SYMMETRIC_DEFAULT key cannot perform. */
const NOT_FOR_SYMMETRIC = new Set<string>(['Sign', 'Verify', 'GetPublicKey', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret']);
/** Operations whose requests carry an encryption context; constraints apply to these. */
const WITH_CONTEXT = new Set<string>(['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']);

/** Whether the caller is the principal a grant names: its own ARN, or for a role session the role's ARN. */
export function principalMatches(p: Principal, named: string | undefined): boolean {
  if (!named) return false;
  return named === p.arn || (p.roleArn !== undefined && named === p.roleArn);
}

function constraintsHold(c: KmsGrantConstraints | undefined, ec: Record<string, string>): boolean {
  if (!c) return true;
  if (c.EncryptionContextEquals) {
    const want = c.EncryptionContextEquals;
    const wk = Object.keys(want);
    if (wk.length !== Object.keys(ec).length || wk.some((k) => ec[k] !== want[k])) return false;
  }
  if (c.EncryptionContextSubset) {
    for (const [k, v] of Object.entries(c.EncryptionContextSubset)) if (ec[k] !== v) return false;
  }
  return true;
}

/** The grant (if any) that allows `request` for `principal`. */
export function grantAllowing(grants: readonly KmsGrantRecord[], principal: Principal, request: AccessRequest): KmsGrantRecord | undefined {
  const action = request.action.toLowerCase();
  if (!action.startsWith('kms:')) return undefined;
  const op = GRANT_OPERATIONS.find((o) => o.toLowerCase() === action.slice(4));
  if (!op) return undefined;
  const ec = contextFromConditions(request.conditions);
  return grants.find((g) => {
    if (!principalMatches(principal, g.grantee) || !g.operations.includes(op)) return false;
    if (op === 'CreateGrant') {
      // A grant may pass on only operations it has itself.
      const asked = request.conditions?.['kms:GrantOperations'];
      const list = Array.isArray(asked) ? asked : asked ? [asked] : [];
      return list.every((o) => g.operations.includes(o));
    }
    return !WITH_CONTEXT.has(op) || constraintsHold(g.constraints, ec);
  });
}

function grantEntry(kms: KmsService, keyArn: string, g: KmsGrantRecord): Record<string, unknown> {
  const e: Record<string, unknown> = {
    KeyId: keyArn,
    GrantId: g.id,
    CreationDate: g.createdAt / 1000,
    GranteePrincipal: g.grantee,
    IssuingAccount: `arn:aws:iam::${g.issuingAccount}:root`,
    Operations: g.operations,
  };
  if (g.name !== undefined) e['Name'] = g.name;
  if (g.retiring !== undefined) e['RetiringPrincipal'] = g.retiring;
  if (g.constraints) e['Constraints'] = g.constraints;
  void kms;
  return e;
}

interface CreateGrantInput extends KeyInput {
  grantee: string;
  retiring?: string;
  operations: GrantOperation[];
  constraints?: KmsGrantConstraints;
  name?: string;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export const CreateGrant = defineOperation<CreateGrantInput, unknown>({
  name: 'CreateGrant',
  validate(raw) {
    const input: CreateGrantInput = {
      ...keyInput(raw),
      grantee: reqString(raw, 'GranteePrincipal', { min: 1, max: 256, pattern: PRINCIPAL }),
      operations: [],
    };
    const retiring = optString(raw, 'RetiringPrincipal', { min: 1, max: 256, pattern: PRINCIPAL });
    if (retiring !== undefined) input.retiring = retiring;
    const ops = optStringList(raw, 'Operations', GRANT_OPERATIONS.length * 2);
    if (!ops || ops.length === 0) throw constraintError('Operations', undefined, 'Member must not be null');
    for (const o of ops) {
      if (!(GRANT_OPERATIONS as readonly string[]).includes(o)) throw constraintError('Operations', ops, `Member must satisfy constraint: [Member must satisfy enum value set: [${GRANT_OPERATIONS.join(', ')}]]`);
      if (NOT_FOR_SYMMETRIC.has(o)) throw kmsError('ValidationException', `Grant operation ${o} is not valid for a SYMMETRIC_DEFAULT KMS key.`);
    }
    input.operations = [...new Set(ops)] as GrantOperation[];
    const c = raw['Constraints'];
    if (c !== undefined && c !== null) {
      if (typeof c !== 'object' || Array.isArray(c)) throw kmsError('SerializationException', 'Constraints: expected a structure');
      const subset = optContext(c as Record<string, unknown>, 'EncryptionContextSubset');
      const equals = optContext(c as Record<string, unknown>, 'EncryptionContextEquals');
      const constraints: KmsGrantConstraints = {};
      if (subset) constraints.EncryptionContextSubset = subset;
      if (equals) constraints.EncryptionContextEquals = equals;
      if (subset || equals) input.constraints = constraints;
    }
    const name = optString(raw, 'Name', { min: 1, max: 256, pattern: NAME });
    if (name !== undefined) input.name = name;
    const tokens = optStringList(raw, 'GrantTokens', 10, { min: 1, max: 8192 });
    if (tokens) checkGrantTokens(tokens);
    return input;
  },
  async access(input, ctx) {
    const c: Record<string, string | string[]> = {
      'kms:GrantOperations': input.operations,
      'kms:GranteePrincipal': input.grantee,
      'kms:GrantIsForAWSResource': String(ctx.viaService !== undefined),
    };
    if (input.retiring) c['kms:RetiringPrincipal'] = input.retiring;
    const types = Object.keys(input.constraints ?? {});
    if (types.length > 0) c['kms:GrantConstraintType'] = types;
    return [onKey(ctx, 'kms:CreateGrant', await resolved(input, ctx, 'keyOnly'), c)];
  },
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'keyOnly');
    kms.requireEnabled(key);
    stopIfDryRun(input);
    const id = newGrantId(kms.random);
    const record: KmsGrantRecord = {
      id, keyId: key.id, token: newGrantToken(id, kms.random), grantee: input.grantee, operations: input.operations,
      issuingAccount: ctx.principal.accountId, createdAt: kms.now(),
    };
    if (input.retiring) record.retiring = input.retiring;
    if (input.constraints) record.constraints = input.constraints;
    if (input.name) record.name = input.name;
    const g = await kms.store.transact((s) => {
      // CreateGrant is idempotent for a repeated request with the same Name and parameters.
      if (record.name !== undefined) {
        const same = s.grantsOfKey(key.id).find((x) => x.name === record.name && x.grantee === record.grantee && x.retiring === record.retiring
          && sameJson([...x.operations].sort(), [...record.operations].sort()) && sameJson(x.constraints, record.constraints));
        if (same) return same;
      }
      if (s.countGrantsOfKey(key.id) >= 50000) throw kmsError('LimitExceededException', 'The KMS key has reached its limit of 50000 grants.');
      s.insertGrant(record);
      return record;
    });
    return { GrantId: g.id, GrantToken: g.token };
  },
});

export const ListGrants = defineOperation<KeyInput & { limit: number; after: string; grantId?: string; grantee?: string }, unknown>({
  name: 'ListGrants',
  validate(raw) {
    const input: KeyInput & { limit: number; after: string; grantId?: string; grantee?: string } = { ...keyInput(raw), ...paging(raw, 50, 100) };
    const grantId = optString(raw, 'GrantId', { min: 1, max: 128 });
    if (grantId !== undefined) input.grantId = grantId;
    const grantee = optString(raw, 'GranteePrincipal', { min: 1, max: 256, pattern: PRINCIPAL });
    if (grantee !== undefined) input.grantee = grantee;
    return input;
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:ListGrants', await resolved(input, ctx, 'keyOnly'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'keyOnly');
    const all = kms.store.grantsOfKey(key.id, input.after)
      .filter((g) => (input.grantId === undefined || g.id === input.grantId) && (input.grantee === undefined || g.grantee === input.grantee));
    const p = page(all, input.limit, (g) => g.id);
    const out: Record<string, unknown> = { Grants: p.items.map((g) => grantEntry(kms, kms.keyArn(key), g)), Truncated: p.Truncated };
    if (p.NextMarker) out['NextMarker'] = p.NextMarker;
    return out;
  },
});

export const ListRetirableGrants = defineOperation<{ retiring: string; limit: number; after: string }, unknown>({
  name: 'ListRetirableGrants',
  validate: (raw) => ({ retiring: reqString(raw, 'RetiringPrincipal', { min: 1, max: 256, pattern: PRINCIPAL }), ...paging(raw, 50, 100) }),
  access: (_input, ctx) => [onAll(ctx, 'kms:ListRetirableGrants')],
  async handler(input, ctx) {
    const { kms } = ctx;
    const rows = kms.store.retirableGrants(input.retiring, input.after, input.limit + 1);
    const p = page(rows, input.limit, (g) => g.id);
    const grants = p.items.map((g) => {
      const k = kms.store.getKey(g.keyId);
      return grantEntry(kms, k ? kms.keyArn(k) : g.keyId, g);
    });
    const out: Record<string, unknown> = { Grants: grants, Truncated: p.Truncated };
    if (p.NextMarker) out['NextMarker'] = p.NextMarker;
    return out;
  },
});

interface RetireGrantInput {
  token?: string;
  key?: KeyInput;
  grantId?: string;
  dryRun: boolean;
}

function checkGrantId(id: string): void {
  if (!isGrantId(id)) throw kmsError('InvalidGrantIdException', `Invalid grant ID ${id}.`);
}

export const RetireGrant = defineOperation<RetireGrantInput, unknown>({
  name: 'RetireGrant',
  validate(raw) {
    const input: RetireGrantInput = { dryRun: optBool(raw, 'DryRun') ?? false };
    const token = optString(raw, 'GrantToken', { min: 1, max: 8192 });
    const keyId = optString(raw, 'KeyId', { min: 1, max: 2048 });
    const grantId = optString(raw, 'GrantId', { min: 1, max: 128 });
    if (token !== undefined) {
      if (grantIdOfToken(token) === undefined) throw kmsError('InvalidGrantTokenException', 'The grant token is not valid.');
      input.token = token;
    } else if (keyId !== undefined && grantId !== undefined) {
      checkGrantId(grantId);
      input.key = { keyId };
      input.grantId = grantId;
    } else {
      throw kmsError('ValidationException', 'Specify either GrantToken, or both KeyId and GrantId.');
    }
    return input;
  },
  // Who may retire a grant is written in the grant itself (retiring principal, grantee with
  // the RetireGrant operation): KMS does not control RetireGrant with policies.
  access: () => [],
  async handler(input, ctx) {
    const { kms } = ctx;
    let g: KmsGrantRecord | undefined;
    if (input.token !== undefined) {
      g = kms.store.getGrantByToken(input.token);
      if (!g) throw kmsError('NotFoundException', 'Grant token not found.');
    } else {
      const { key } = await resolved(input.key!, ctx, 'keyOnly');
      g = kms.store.getGrant(input.grantId!);
      if (!g || g.keyId !== key.id) throw kmsError('NotFoundException', `Grant ID ${input.grantId} not found.`);
    }
    const key = kms.store.getKey(g.keyId);
    const p = ctx.principal;
    const may = principalMatches(p, g.retiring)
      || (principalMatches(p, g.grantee) && g.operations.includes('RetireGrant'))
      || (p.type === 'Account' && key !== undefined && p.accountId === key.accountId);
    if (!may) {
      throw kmsError('AccessDeniedException', `User: ${p.arn} is not authorized to perform: kms:RetireGrant on resource: ${key ? kms.keyArn(key) : g.keyId} because the grant does not name it as a retiring principal`);
    }
    stopIfDryRun(input);
    const id = g.id;
    await kms.store.transact((s) => s.deleteGrant(id));
    return {};
  },
});

export const RevokeGrant = defineOperation<KeyInput & { grantId: string }, unknown>({
  name: 'RevokeGrant',
  validate(raw) {
    const grantId = reqString(raw, 'GrantId', { min: 1, max: 128 });
    checkGrantId(grantId);
    return { ...keyInput(raw), grantId };
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:RevokeGrant', await resolved(input, ctx, 'keyOnly'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'keyOnly');
    stopIfDryRun(input);
    await kms.store.transact((s) => {
      const g = s.getGrant(input.grantId);
      if (!g || g.keyId !== key.id) throw kmsError('NotFoundException', `Grant ID ${input.grantId} not found.`);
      s.deleteGrant(g.id);
    });
    return {};
  },
});
