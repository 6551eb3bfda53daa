import type { Principal } from '../../auth/principal.js';
import type { AccessRequest } from '../../authz/access.js';
import type { IamRole } from '../../store/meta/iam-types.js';
import type { SessionRecord } from '../../store/meta/types.js';
import type { StsContext } from './context.js';
import { issueCredentials } from './credentials.js';
import { stsError } from './errors.js';
import { checkSessionPolicy, packedPolicySize, resolvePolicyArns, sessionTags, tagConditions, type TagInput } from './session-inputs.js';

export interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  ExternalId?: string;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  Tags?: TagInput[];
  TransitiveTagKeys?: string[];
  SourceIdentity?: string;
  SerialNumber?: string;
  TokenCode?: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]{1,64})$/;
const CHAIN_LIMIT = 3600;

export function parseRoleArn(arn: string): { accountId: string; roleName: string } {
  const m = ROLE_ARN.exec(arn);
  if (!m) throw stsError('ValidationError', `${arn} is invalid`);
  return { accountId: m[1]!, roleName: m[2]! };
}

/** Trust and identity permissions AssumeRole needs (IAM User Guide, "Permissions for AssumeRole"). */
export function assumeRoleAccess(i: AssumeRoleInput, caller: Principal): AccessRequest[] {
  const tags = i.Tags ?? [];
  const conditions: Record<string, string | string[]> = {
    'sts:RoleSessionName': i.RoleSessionName,
    ...tagConditions(tags, i.TransitiveTagKeys ?? []),
  };
  if (i.ExternalId !== undefined) conditions['sts:ExternalId'] = i.ExternalId;
  const source = i.SourceIdentity ?? caller.session?.sourceIdentity;
  if (source !== undefined) conditions['sts:SourceIdentity'] = source;
  const requests: AccessRequest[] = [{ action: 'sts:AssumeRole', resource: i.RoleArn, conditions }];
  const inherited = caller.type === 'AssumedRole' && (caller.session?.transitiveTagKeys?.length ?? 0) > 0;
  if (tags.length > 0 || inherited) requests.push({ action: 'sts:TagSession', resource: i.RoleArn, conditions });
  if (i.SourceIdentity !== undefined) requests.push({ action: 'sts:SetSourceIdentity', resource: i.RoleArn, conditions });
  return requests;
}

export async function requireRole(ctx: StsContext, roleArn: string, callerArn: string, action = 'sts:AssumeRole'): Promise<IamRole> {
  const { accountId, roleName } = parseRoleArn(roleArn);
  const role = await ctx.iam.getRole(accountId, roleName);
  if (!role || role.arn !== roleArn) {
    // A role that does not exist is reported exactly as one the caller may not assume.
    throw stsError('AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${roleArn}`);
  }
  return role;
}

/** The role session an assumption produces, and its credentials. */
export async function startRoleSession(
  ctx: StsContext,
  role: IamRole,
  caller: Principal | undefined,
  i: { RoleSessionName: string; DurationSeconds?: number; Policy?: string; PolicyArns?: Array<{ arn?: string }>; Tags?: TagInput[]; TransitiveTagKeys?: string[]; SourceIdentity?: string },
): Promise<{ Credentials: unknown; AssumedRoleUser: { AssumedRoleId: string; Arn: string }; PackedPolicySize?: number; SourceIdentity?: string }> {
  const chained = caller?.type === 'AssumedRole';
  const duration = i.DurationSeconds ?? 3600;
  if (chained && duration > CHAIN_LIMIT) {
    throw stsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > role.maxSessionDuration) throw stsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  checkSessionPolicy(i.Policy);
  const policyArns = await resolvePolicyArns(ctx, i.PolicyArns);
  const { tags, transitiveKeys } = caller ? sessionTags(caller, i.Tags ?? [], i.TransitiveTagKeys ?? []) : { tags: {}, transitiveKeys: [] };
  const packed = packedPolicySize(i.Policy, policyArns, i.Tags ?? []);
  const inheritedSource = caller?.session?.sourceIdentity;
  if (inheritedSource !== undefined && i.SourceIdentity !== undefined && i.SourceIdentity !== inheritedSource) {
    throw stsError('InvalidParameterValue', 'The source identity of a role session cannot be changed by role chaining.');
  }
  const sourceIdentity = i.SourceIdentity ?? inheritedSource;
  const arn = `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${i.RoleSessionName}`;
  const session: SessionRecord = {
    kind: 'AssumedRole',
    arn,
    userId: `${role.roleId}:${i.RoleSessionName}`,
    roleArn: role.arn,
    roleName: role.roleName,
    sessionName: i.RoleSessionName,
    issuedAt: ctx.now().toISOString(),
  };
  if (Object.keys(tags).length) session.tags = tags;
  if (transitiveKeys.length) session.transitiveTagKeys = transitiveKeys;
  if (sourceIdentity !== undefined) session.sourceIdentity = sourceIdentity;
  if (i.Policy !== undefined) session.policies = [i.Policy];
  if (policyArns.length) session.policyArns = policyArns;
  if (chained) session.chained = true;
  const Credentials = await issueCredentials(ctx, role.accountId, session, duration);
  const out: { Credentials: unknown; AssumedRoleUser: { AssumedRoleId: string; Arn: string }; PackedPolicySize?: number; SourceIdentity?: string } = {
    Credentials,
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: arn },
  };
  if (i.Policy !== undefined || policyArns.length || (i.Tags?.length ?? 0) > 0) out.PackedPolicySize = packed;
  if (sourceIdentity !== undefined) out.SourceIdentity = sourceIdentity;
  return out;
}

export async function assumeRole(i: AssumeRoleInput, ctx: StsContext) {
  if (i.SerialNumber !== undefined || i.TokenCode !== undefined) {
    throw stsError('AccessDenied', 'MFA devices are not supported by Coffer: SerialNumber and TokenCode cannot be verified.');
  }
  const role = await requireRole(ctx, i.RoleArn, ctx.principal.arn);
  return startRoleSession(ctx, role, ctx.principal, i);
}
