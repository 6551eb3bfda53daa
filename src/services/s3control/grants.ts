import type { Principal } from '../../auth/principal.js';
import { s3ControlError } from '../../errors/s3control.js';
import type { AccessGrantPermission, AccessGrantRecord, GrantFilter, Tag } from '../../store/meta/sqlite/s3control-types.js';
import { grantArn } from './arns.js';
import type { S3ControlContext } from './context.js';
import { identityCenterUnsupported, requireInstance } from './instances.js';
import { requireLocation } from './locations.js';
import { decodeToken, encodeToken, pageSize } from './pagination.js';
import { grantCovers, grantScope, parseLocationScope, type GrantScope } from './scope.js';
import { checkTags } from './tags.js';

/** Access grants: who (an IAM user or role) may READ, WRITE or READWRITE which scope. */

export interface Grantee { GranteeType: string; GranteeIdentifier: string }

export interface CreateGrantInput {
  AccountId: string;
  AccessGrantsLocationId: string;
  AccessGrantsLocationConfiguration?: { S3SubPrefix?: string };
  Grantee: Grantee;
  Permission: string;
  ApplicationArn?: string;
  S3PrefixType?: string;
  Tags?: Tag[];
  /** The id the grant will get, chosen before authorization (its ARN is the resource). */
  id?: string;
}

export interface GrantOutput {
  CreatedAt: Date;
  AccessGrantId: string;
  AccessGrantArn: string;
  Grantee: Grantee;
  Permission: string;
  AccessGrantsLocationId: string;
  AccessGrantsLocationConfiguration?: { S3SubPrefix?: string };
  GrantScope: string;
  ApplicationArn?: string;
}

const PERMISSIONS = new Set(['READ', 'WRITE', 'READWRITE']);
const IAM_GRANTEE = /^arn:aws:iam::\d{12}:(?:user|role)\/[\w+=,.@/-]+$/;
const APPLICATION_ARN = /^arn:[^:]+:sso::\d{12}:application\/.+$/;

export function checkPermission(p: string | undefined): AccessGrantPermission {
  if (p === undefined || !PERMISSIONS.has(p)) throw s3ControlError('InvalidRequest', `Permission must be one of READ, WRITE, READWRITE, not ${p ?? '(none)'}`);
  return p as AccessGrantPermission;
}

/** The grantee a caller is matched as: an IAM user's ARN, or the role ARN of a role session. */
export function callerGrantee(p: Principal): string | undefined {
  if (p.type === 'User') return p.arn;
  if (p.type === 'AssumedRole') return p.roleArn;
  return undefined;
}

export const grantOutput = (g: AccessGrantRecord): GrantOutput => {
  const o: GrantOutput = {
    CreatedAt: new Date(g.createdAt), AccessGrantId: g.grantId, AccessGrantArn: g.arn,
    Grantee: { GranteeType: g.granteeType, GranteeIdentifier: g.granteeId }, Permission: g.permission,
    AccessGrantsLocationId: g.locationId, GrantScope: g.scope,
  };
  if (g.subPrefix !== undefined) o.AccessGrantsLocationConfiguration = { S3SubPrefix: g.subPrefix };
  if (g.applicationArn !== undefined) o.ApplicationArn = g.applicationArn;
  return o;
};

/** The scope a new grant would have, when its location exists (for s3:AccessGrantScope). */
export function prospectiveScope(i: CreateGrantInput, ctx: S3ControlContext): GrantScope | undefined {
  const l = ctx.store.getLocation(ctx.accountId, ctx.region, i.AccessGrantsLocationId);
  if (!l) return undefined;
  try {
    return grantScope(parseLocationScope(l.scope), i.AccessGrantsLocationConfiguration?.S3SubPrefix, i.S3PrefixType === 'Object');
  } catch {
    return undefined;
  }
}

export function newGrantId(i: CreateGrantInput, ctx: S3ControlContext): string {
  i.id ??= ctx.newId();
  return i.id;
}

export async function createAccessGrant(i: CreateGrantInput, ctx: S3ControlContext): Promise<GrantOutput> {
  const permission = checkPermission(i.Permission);
  const type = i.Grantee?.GranteeType;
  if (type === 'DIRECTORY_USER' || type === 'DIRECTORY_GROUP') identityCenterUnsupported();
  if (type !== 'IAM') throw s3ControlError('InvalidRequest', 'GranteeType must be IAM (DIRECTORY_USER and DIRECTORY_GROUP need IAM Identity Center)');
  const granteeId = i.Grantee.GranteeIdentifier ?? '';
  if (!IAM_GRANTEE.test(granteeId)) throw s3ControlError('InvalidRequest', `GranteeIdentifier must be the ARN of an IAM user or role, not ${granteeId}`);
  if (i.ApplicationArn !== undefined && !APPLICATION_ARN.test(i.ApplicationArn)) throw s3ControlError('InvalidRequest', `Invalid ApplicationArn ${i.ApplicationArn}`);
  if (i.S3PrefixType !== undefined && i.S3PrefixType !== 'Object') throw s3ControlError('InvalidRequest', 'S3PrefixType must be Object');
  const tags = checkTags(i.Tags ?? []);
  const location = requireLocation(ctx, i.AccessGrantsLocationId);
  const subPrefix = i.AccessGrantsLocationConfiguration?.S3SubPrefix;
  const scope = grantScope(parseLocationScope(location.scope), subPrefix, i.S3PrefixType === 'Object');
  const id = newGrantId(i, ctx);
  const rec: AccessGrantRecord = {
    accountId: ctx.accountId, region: ctx.region, grantId: id, arn: grantArn(ctx.region, ctx.accountId, id), locationId: location.locationId,
    scope: scope.scope, scopeKey: scope.scopeKey, object: scope.object, granteeType: 'IAM', granteeId, permission, createdAt: ctx.now().getTime(),
  };
  if (subPrefix !== undefined) rec.subPrefix = subPrefix;
  if (i.ApplicationArn !== undefined) rec.applicationArn = i.ApplicationArn;
  const r = await ctx.store.createGrant(rec, tags, ctx.limits.grants);
  if (r === 'no-instance') throw s3ControlError('AccessGrantsInstanceNotExistsError');
  if (r === 'no-location') throw s3ControlError('NoSuchAccessGrantsLocationError');
  if (r === 'exists') throw s3ControlError('AccessGrantAlreadyExists');
  if (r === 'quota') throw s3ControlError('AccessGrantsQuotaExceededError', `The access grants quota has been exceeded. Access Grants Quota: ${ctx.limits.grants}. Please reach out to S3 if an increase is required.`);
  return grantOutput(rec);
}

export function requireGrant(ctx: S3ControlContext, id: string): AccessGrantRecord {
  requireInstance(ctx);
  const g = ctx.store.getGrant(ctx.accountId, ctx.region, id);
  if (!g) throw s3ControlError('NoSuchAccessGrantError');
  return g;
}

export async function getAccessGrant(i: { AccessGrantId: string }, ctx: S3ControlContext): Promise<GrantOutput> {
  return grantOutput(requireGrant(ctx, i.AccessGrantId));
}

export async function deleteAccessGrant(i: { AccessGrantId: string }, ctx: S3ControlContext): Promise<void> {
  requireInstance(ctx);
  if (!(await ctx.store.deleteGrant(ctx.accountId, ctx.region, i.AccessGrantId))) throw s3ControlError('NoSuchAccessGrantError');
}

export interface ListGrantsInput {
  NextToken?: string;
  MaxResults?: number;
  GranteeType?: string;
  GranteeIdentifier?: string;
  Permission?: string;
  GrantScope?: string;
  ApplicationArn?: string;
}

export async function listAccessGrants(i: ListGrantsInput, ctx: S3ControlContext): Promise<{ NextToken?: string; AccessGrantsList: GrantOutput[] }> {
  requireInstance(ctx);
  const limit = pageSize(i.MaxResults);
  const f: GrantFilter = {};
  if (i.GranteeType !== undefined) f.granteeType = i.GranteeType;
  if (i.GranteeIdentifier !== undefined) f.granteeId = i.GranteeIdentifier;
  if (i.Permission !== undefined) f.permission = checkPermission(i.Permission);
  if (i.GrantScope !== undefined) f.scopePrefix = i.GrantScope;
  if (i.ApplicationArn !== undefined) f.applicationArn = i.ApplicationArn;
  const after = decodeToken<number>(i.NextToken, 'number');
  const rows = ctx.store.listGrants(ctx.accountId, ctx.region, f, { ...(after !== undefined ? { afterSeq: after } : {}), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const out: { NextToken?: string; AccessGrantsList: GrantOutput[] } = { AccessGrantsList: page.map(grantOutput) };
  if (rows.length > limit) out.NextToken = encodeToken(page[page.length - 1]!.seq!);
  return out;
}

export interface CallerGrantEntry { Permission: string; GrantScope: string; ApplicationArn?: string }

/** The caller's own grants; GrantScope keeps those within the fragment or covering it. */
export async function listCallerAccessGrants(i: { NextToken?: string; MaxResults?: number; GrantScope?: string; AllowedByApplication?: boolean }, ctx: S3ControlContext): Promise<{ NextToken?: string; CallerAccessGrantsList: CallerGrantEntry[] }> {
  requireInstance(ctx);
  const limit = pageSize(i.MaxResults);
  const grantee = callerGrantee(ctx.principal);
  if (grantee === undefined) return { CallerAccessGrantsList: [] };
  const frag = i.GrantScope;
  const fragKey = frag?.startsWith('s3://') ? frag.slice(5).replace(/\*$/, '') : undefined;
  const keep = (g: AccessGrantRecord): boolean => {
    if (i.AllowedByApplication === true && g.applicationArn === undefined) return false;
    if (frag === undefined) return true;
    return g.scope.startsWith(frag) || (fragKey !== undefined && grantCovers(g, { key: fragKey, object: false }));
  };
  let after = decodeToken<number>(i.NextToken, 'number') ?? 0;
  const picked: AccessGrantRecord[] = [];
  let more = false;
  for (;;) {
    const rows = ctx.store.listGrants(ctx.accountId, ctx.region, { granteeId: grantee, granteeType: 'IAM' }, { afterSeq: after, limit: 1000 });
    for (const g of rows) {
      if (!keep(g)) continue;
      if (picked.length === limit) {
        more = true;
        break;
      }
      picked.push(g);
    }
    if (more || rows.length < 1000) break;
    after = rows[rows.length - 1]!.seq!;
  }
  const out: { NextToken?: string; CallerAccessGrantsList: CallerGrantEntry[] } = {
    CallerAccessGrantsList: picked.map((g) => ({ Permission: g.permission, GrantScope: g.scope, ...(g.applicationArn !== undefined ? { ApplicationArn: g.applicationArn } : {}) })),
  };
  if (more) out.NextToken = encodeToken(picked[picked.length - 1]!.seq!);
  return out;
}
