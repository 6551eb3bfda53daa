// The AccessRequests KMS operations declare: the action, the key ARN (or `*`), and the KMS
// condition keys the request supplies (Service Authorization Reference, "AWS Key
// Management Service": kms:CallerAccount, kms:ViaService, kms:EncryptionContext:<key>, ...).
import type { AccessRequest } from '../../authz/access.js';
import type { KmsContext, ResolvedKey } from './service.js';

export type Conditions = Record<string, string | string[]>;

/** Keys every KMS request carries. */
export function callerConditions(ctx: KmsContext): Conditions {
  const c: Conditions = { 'kms:CallerAccount': ctx.principal.accountId };
  if (ctx.viaService) c['kms:ViaService'] = ctx.viaService;
  return c;
}

/** kms:EncryptionContext:<key> for each pair and kms:EncryptionContextKeys. */
export function contextConditions(ec: Readonly<Record<string, string>> | undefined, c: Conditions = {}): Conditions {
  const keys = Object.keys(ec ?? {});
  for (const k of keys) c[`kms:EncryptionContext:${k}`] = ec![k]!;
  if (keys.length > 0) c['kms:EncryptionContextKeys'] = keys;
  return c;
}

/** The encryption context a request's conditions carry (what grant constraints are checked against). */
export function contextFromConditions(c: Conditions | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c ?? {})) {
    if (k.startsWith('kms:EncryptionContext:') && typeof v === 'string') out[k.slice('kms:EncryptionContext:'.length)] = v;
  }
  return out;
}

export function onKey(ctx: KmsContext, action: string, r: ResolvedKey, extra: Conditions = {}): AccessRequest {
  const conditions = { ...callerConditions(ctx), ...extra };
  if (r.alias) conditions['kms:RequestAlias'] = r.alias;
  return { action, resource: ctx.kms.keyArn(r.key), conditions };
}

export function onAlias(ctx: KmsContext, action: string, aliasName: string): AccessRequest {
  return { action, resource: ctx.kms.aliasArn(ctx.principal.accountId, aliasName), conditions: callerConditions(ctx) };
}

export function onAll(ctx: KmsContext, action: string, extra: Conditions = {}): AccessRequest {
  return { action, resource: '*', conditions: { ...callerConditions(ctx), ...extra } };
}

/** aws:RequestTag/<key> and aws:TagKeys for operations that set tags. */
export function tagConditions(tags: ReadonlyArray<{ TagKey: string; TagValue: string }> | undefined, c: Conditions = {}): Conditions {
  if (!tags || tags.length === 0) return c;
  for (const t of tags) c[`aws:RequestTag/${t.TagKey}`] = t.TagValue;
  c['aws:TagKeys'] = tags.map((t) => t.TagKey);
  return c;
}
