import type { Principal } from '../../auth/principal.js';
import type { SessionRecord } from '../../store/meta/types.js';
import type { StsContext } from './context.js';
import { issueCredentials } from './credentials.js';
import { stsError } from './errors.js';
import { checkSessionPolicy, packedPolicySize, resolvePolicyArns, sessionTags, type TagInput } from './session-inputs.js';

/** GetCallerIdentity, GetSessionToken and GetFederationToken: credentials for the caller itself. */

function isSession(p: Principal): boolean {
  return p.type === 'AssumedRole' || p.type === 'FederatedUser' || p.session?.expiresAt !== undefined;
}

export async function getCallerIdentity(_i: unknown, ctx: StsContext) {
  const p = ctx.principal;
  return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
}

function durationFor(p: Principal, requested: number | undefined): number {
  const d = requested ?? 43200;
  // The root user's sessions are limited to one hour.
  if (p.type === 'Account' && d > 3600) throw stsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for the root user.');
  return d;
}

export async function getSessionToken(i: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string }, ctx: StsContext) {
  const p = ctx.principal;
  if (isSession(p)) throw stsError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
  if (i.SerialNumber !== undefined || i.TokenCode !== undefined) throw stsError('AccessDenied', 'MFA devices are not supported by Coffer: SerialNumber and TokenCode cannot be verified.');
  const duration = durationFor(p, i.DurationSeconds);
  const session: SessionRecord = { kind: p.type === 'Account' ? 'Root' : 'User', arn: p.arn, userId: p.userId, issuedAt: ctx.now().toISOString() };
  if (p.userName) session.userName = p.userName;
  return { Credentials: await issueCredentials(ctx, p.accountId, session, duration) };
}

export interface GetFederationTokenInput {
  Name: string;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  DurationSeconds?: number;
  Tags?: TagInput[];
}

export const federatedUserArn = (accountId: string, name: string): string => `arn:aws:sts::${accountId}:federated-user/${name}`;

export async function getFederationToken(i: GetFederationTokenInput, ctx: StsContext) {
  const p = ctx.principal;
  if (isSession(p)) throw stsError('AccessDenied', 'Cannot call GetFederationToken with session credentials');
  const duration = durationFor(p, i.DurationSeconds);
  checkSessionPolicy(i.Policy);
  const policyArns = await resolvePolicyArns(ctx, i.PolicyArns);
  const { tags } = sessionTags(p, i.Tags ?? [], []);
  const packed = packedPolicySize(i.Policy, policyArns, i.Tags ?? []);
  const arn = federatedUserArn(p.accountId, i.Name);
  const session: SessionRecord = {
    kind: 'FederatedUser',
    arn,
    userId: `${p.accountId}:${i.Name}`,
    parentUserArn: p.arn,
    sessionName: i.Name,
    issuedAt: ctx.now().toISOString(),
  };
  if (p.userName) session.userName = p.userName;
  if (Object.keys(tags).length) session.tags = tags;
  // With no session policy the federated user can do nothing (except what resource policies grant it).
  session.policies = i.Policy !== undefined ? [i.Policy] : [];
  if (policyArns.length) session.policyArns = policyArns;
  return {
    Credentials: await issueCredentials(ctx, p.accountId, session, duration),
    FederatedUser: { FederatedUserId: session.userId, Arn: arn },
    PackedPolicySize: packed,
  };
}
