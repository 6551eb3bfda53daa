import type { Principal } from '../../auth/principal.js';
import type { AccessRequest } from '../../authz/access.js';
import { isAwsError } from '../../errors/aws-error.js';
import { s3ControlError } from '../../errors/s3control.js';
import type { AccessGrantPermission, AccessGrantRecord } from '../../store/meta/sqlite/s3control-types.js';
import { parseRoleArn, startRoleSession } from '../sts/assume-role.js';
import type { CredentialsWire } from '../sts/credentials.js';
import type { StsContext } from '../sts/context.js';
import type { S3ControlContext } from './context.js';
import { callerGrantee, checkPermission, type Grantee } from './grants.js';
import { requireInstance } from './instances.js';
import { candidateKeys, grantCovers, parseTarget, permissionCovers } from './scope.js';
import { grantSessionPolicy } from './session-policy.js';

/**
 * GetDataAccess: finds the caller's grant that covers the target with the permission asked
 * for, assumes the grant's location role as the service principal
 * `access-grants.s3.amazonaws.com` (the role's trust policy decides), and vends that role's
 * session narrowed by a session policy to the grant's scope (Privilege Default) or to the
 * target itself (Minimal). Deleting a grant stops new calls at once; credentials already
 * vended live until they expire.
 */

export const ACCESS_GRANTS_SERVICE = 'access-grants.s3.amazonaws.com';

export const SERVICE_PRINCIPAL: Principal = Object.freeze({ type: 'Service', accountId: '', arn: ACCESS_GRANTS_SERVICE, userId: ACCESS_GRANTS_SERVICE });

export interface GetDataAccessInput {
  AccountId: string;
  Target: string;
  Permission: string;
  DurationSeconds?: number;
  Privilege?: string;
  TargetType?: string;
}

export interface GetDataAccessOutput {
  Credentials: CredentialsWire;
  MatchedGrantTarget: string;
  Grantee: Grantee;
}

/** The most specific grant of `grantee` covering the target with the permission (longest scope wins). */
export function matchGrant(ctx: S3ControlContext, grantee: string, target: ReturnType<typeof parseTarget>, permission: AccessGrantPermission): (AccessGrantRecord & { roleArn: string }) | undefined {
  let best: (AccessGrantRecord & { roleArn: string }) | undefined;
  for (const g of ctx.store.grantsForTarget(ctx.accountId, ctx.region, grantee, candidateKeys(target))) {
    // Grants for an IAM Identity Center application are usable only through that application.
    if (g.applicationArn !== undefined) continue;
    if (!grantCovers(g, target) || !permissionCovers(g.permission, permission)) continue;
    if (!best || g.scopeKey.length > best.scopeKey.length || (g.scopeKey.length === best.scopeKey.length && g.object && !best.object)) best = g;
  }
  return best;
}

/** What the trust policy of the location role must allow the service principal (S3 API reference, GetDataAccess). */
export function assumeAccess(roleArn: string, sessionName: string, sourceIdentity: string, accountId: string, instanceArn: string): AccessRequest[] {
  const conditions = {
    'sts:RoleSessionName': sessionName,
    'sts:SourceIdentity': sourceIdentity,
    'aws:SourceAccount': accountId,
    'aws:SourceArn': instanceArn,
  };
  return [
    { action: 'sts:AssumeRole', resource: roleArn, conditions },
    { action: 'sts:SetSourceIdentity', resource: roleArn, conditions },
  ];
}

export async function getDataAccess(i: GetDataAccessInput, ctx: S3ControlContext): Promise<GetDataAccessOutput> {
  const instance = requireInstance(ctx);
  const permission = checkPermission(i.Permission);
  const duration = i.DurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) throw s3ControlError('InvalidRequest', 'DurationSeconds must be between 900 and 43200');
  if (i.Privilege !== undefined && i.Privilege !== 'Default' && i.Privilege !== 'Minimal') throw s3ControlError('InvalidRequest', 'Privilege must be Default or Minimal');
  if (i.TargetType !== undefined && i.TargetType !== 'Object') throw s3ControlError('InvalidRequest', 'TargetType must be Object');
  const target = parseTarget(i.Target, i.TargetType);
  const grantee = callerGrantee(ctx.principal);
  const denied = (why: string) => s3ControlError('AccessDenied', `You do not have ${permission} permissions to the requested S3 Prefix: ${i.Target} (${why})`);
  if (grantee === undefined) throw denied(`S3 Access Grants matches IAM users and roles; ${ctx.principal.arn} is neither`);
  const grant = matchGrant(ctx, grantee, target, permission);
  if (!grant) throw denied(`no access grant of ${grantee} in ${instance.arn} covers it with ${permission}`);

  const { accountId, roleName } = parseRoleArn(grant.roleArn);
  const role = await ctx.iam.getRole(accountId, roleName);
  const sessionName = `access-grants-${grant.grantId}`.slice(0, 64);
  // Role session ids (AROA…:name) hold a colon, which a source identity cannot.
  const sourceIdentity = ctx.principal.userId.split(':')[0]!.slice(0, 64);
  const notAuthorized = (action: string) => s3ControlError('StsNotAuthorizedError', `User: ${ACCESS_GRANTS_SERVICE} is not authorized to perform: ${action} on resource: ${grant.roleArn}`);
  if (!role || role.arn !== grant.roleArn) throw notAuthorized('sts:AssumeRole');
  for (const r of assumeAccess(grant.roleArn, sessionName, sourceIdentity, ctx.accountId, instance.arn)) {
    try {
      await ctx.authorizeAs(SERVICE_PRINCIPAL, 'GetDataAccess', [r]);
    } catch (e) {
      if (isAwsError(e) && e.code === 'AccessDenied') {
        const err = notAuthorized(r.action);
        throw s3ControlError('StsNotAuthorizedError', `${err.message}. The location role's trust policy must allow ${ACCESS_GRANTS_SERVICE} sts:AssumeRole and sts:SetSourceIdentity. ${e.message}`);
      }
      throw e;
    }
  }
  if (duration > role.maxSessionDuration) throw s3ControlError('StsValidationError', `The requested DurationSeconds (${duration}) exceeds the MaxSessionDuration (${role.maxSessionDuration}) set for the role ${role.arn}.`);

  const scope = i.Privilege === 'Minimal' ? target : { key: grant.scopeKey, object: grant.object };
  const policy = grantSessionPolicy(scope, permission);
  const sts: StsContext = { principal: SERVICE_PRINCIPAL, requestId: ctx.requestId, now: ctx.now, region: ctx.region, iam: ctx.iam, meta: ctx.meta, ids: ctx.stsIds };
  let session: Awaited<ReturnType<typeof startRoleSession>>;
  try {
    session = await startRoleSession(sts, role, undefined, { RoleSessionName: sessionName, DurationSeconds: duration, Policy: policy, SourceIdentity: sourceIdentity });
  } catch (e) {
    if (isAwsError(e) && e.code === 'PackedPolicyTooLarge') throw s3ControlError('StsPackedPolicyTooLargeError', `Serialized token too large for session: ${e.message}`);
    if (isAwsError(e) && e.status < 500) throw s3ControlError('StsValidationError', e.message);
    throw e;
  }
  return {
    Credentials: session.Credentials as CredentialsWire,
    MatchedGrantTarget: grant.scope,
    Grantee: { GranteeType: 'IAM', GranteeIdentifier: grantee },
  };
}
