// Key rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// RotateKeyOnDemand, ListKeyRotations. Rotation adds a material version; ciphertexts name
// the version they were sealed with, so older ones keep decrypting.
import { kmsError } from '../../errors/kms.js';
import { onKey } from './conditions.js';
import { optInt, page, paging } from './input.js';
import { defineOperation, keyInput, resolved, type KeyInput } from './operation.js';
import { DAY_MS, DEFAULT_ROTATION_DAYS } from './service.js';

const MAX_ON_DEMAND = 10;

export const EnableKeyRotation = defineOperation<KeyInput & { days: number }, unknown>({
  name: 'EnableKeyRotation',
  validate: (raw) => ({ ...keyInput(raw), days: optInt(raw, 'RotationPeriodInDays', 90, 2560) ?? DEFAULT_ROTATION_DAYS }),
  access: async (input, ctx) => [onKey(ctx, 'kms:EnableKeyRotation', await resolved(input, ctx, 'ownKey'), {
    'kms:RotationPeriodInDays': String(input.days),
  })],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    await kms.store.transact((s) => {
      const k = s.getKey(key.id);
      if (!k) throw kmsError('NotFoundException', `Key '${kms.keyArn(key)}' does not exist`);
      kms.requireEnabled(k);
      if (k.rotationEnabled && k.rotationPeriodDays === input.days) return;
      s.updateKey(k.id, { rotationEnabled: true, rotationPeriodDays: input.days, nextRotationAt: kms.now() + input.days * DAY_MS });
    });
    return {};
  },
});

export const DisableKeyRotation = defineOperation<KeyInput, unknown>({
  name: 'DisableKeyRotation',
  validate: (raw) => keyInput(raw),
  access: async (input, ctx) => [onKey(ctx, 'kms:DisableKeyRotation', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    await kms.store.transact((s) => {
      const k = s.getKey(key.id);
      if (!k) throw kmsError('NotFoundException', `Key '${kms.keyArn(key)}' does not exist`);
      kms.requireEnabled(k);
      s.updateKey(k.id, { rotationEnabled: false, rotationPeriodDays: undefined, nextRotationAt: undefined });
    });
    return {};
  },
});

export const GetKeyRotationStatus = defineOperation<KeyInput, unknown>({
  name: 'GetKeyRotationStatus',
  validate: (raw) => keyInput(raw),
  access: async (input, ctx) => [onKey(ctx, 'kms:GetKeyRotationStatus', await resolved(input, ctx, 'keyOnly'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key: stored } = await resolved(input, ctx, 'keyOnly');
    const key = await kms.withDueRotation(stored);
    // A key pending deletion reports rotation off: none happens while it waits.
    const enabled = key.rotationEnabled && key.keyState !== 'PendingDeletion';
    const out: Record<string, unknown> = { KeyRotationEnabled: enabled, KeyId: kms.keyArn(key) };
    if (enabled) {
      out['RotationPeriodInDays'] = key.rotationPeriodDays;
      if (key.nextRotationAt !== undefined) out['NextRotationDate'] = key.nextRotationAt / 1000;
    }
    return out;
  },
});

export const RotateKeyOnDemand = defineOperation<KeyInput, unknown>({
  name: 'RotateKeyOnDemand',
  validate: (raw) => keyInput(raw),
  access: async (input, ctx) => [onKey(ctx, 'kms:RotateKeyOnDemand', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    kms.requireEnabled(key);
    if (kms.store.countRotations(key.id, 'ON_DEMAND') >= MAX_ON_DEMAND) {
      throw kmsError('LimitExceededException', `The KMS key ${kms.keyArn(key)} has reached the limit of ${MAX_ON_DEMAND} on-demand rotations.`);
    }
    await kms.rotate(key, 'ON_DEMAND');
    return { KeyId: key.id };
  },
});

export const ListKeyRotations = defineOperation<KeyInput & { limit: number; after: string }, unknown>({
  name: 'ListKeyRotations',
  validate: (raw) => ({ ...keyInput(raw), ...paging(raw, 100, 1000) }),
  access: async (input, ctx) => [onKey(ctx, 'kms:ListKeyRotations', await resolved(input, ctx, 'ownKey'))],
  async handler(input, ctx) {
    const { kms } = ctx;
    const { key } = await resolved(input, ctx, 'ownKey');
    const after = input.after === '' ? 0 : Number(input.after);
    if (!Number.isInteger(after)) throw kmsError('InvalidMarkerException', 'The marker that specifies where to start is not valid.');
    const rows = kms.store.listRotations(key.id, after, input.limit + 1);
    const p = page(rows, input.limit, (r) => String(r.version));
    const out: Record<string, unknown> = {
      Rotations: p.items.map((r) => ({ KeyId: key.id, RotationDate: r.rotatedAt / 1000, RotationType: r.rotationType })),
      Truncated: p.Truncated,
    };
    if (p.NextMarker) out['NextMarker'] = p.NextMarker;
    return out;
  },
});
