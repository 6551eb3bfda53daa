import type { Principal } from '../auth/principal.js';
import { s3Error } from '../errors/s3.js';
import type { AccessKeyRecord } from '../store/meta/types.js';

/**
 * Temporary credentials: the session token must be the one STS issued with the key, and
 * the session must not have expired (`ExpiredToken`, exactly at its expiry).
 */
export function checkSessionToken(k: AccessKeyRecord, presented: string | undefined, now: Date): void {
  if (k.sessionToken === undefined) {
    if (presented !== undefined) throw s3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
    return;
  }
  if (presented === undefined) throw s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: k.accessKeyId });
  if (presented !== k.sessionToken) throw s3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
  if (k.expiresAt && now.getTime() >= k.expiresAt.getTime()) throw s3Error('ExpiredToken', 'The provided token has expired.');
}

/** The principal an STS session acts as. */
export function sessionPrincipal(k: AccessKeyRecord): Principal {
  const s = k.session!;
  const p: Principal = {
    type: s.kind === 'Root' ? 'Account' : s.kind,
    accountId: k.accountId,
    arn: s.arn,
    userId: s.userId,
    accessKeyId: k.accessKeyId,
    session: {},
  };
  if (s.roleArn) p.roleArn = s.roleArn;
  if (s.sessionName) p.sessionName = s.sessionName;
  if (s.parentUserArn) p.parentUserArn = s.parentUserArn;
  if (s.userName) p.userName = s.userName;
  const session = p.session!;
  if (k.expiresAt) session.expiresAt = k.expiresAt;
  if (s.tags) session.tags = s.tags;
  if (s.transitiveTagKeys) session.transitiveTagKeys = s.transitiveTagKeys;
  if (s.sourceIdentity) session.sourceIdentity = s.sourceIdentity;
  if (s.policies) session.policies = s.policies;
  if (s.policyArns) session.policyArns = s.policyArns;
  session.issuedAt = new Date(s.issuedAt);
  if (s.chained) session.chained = true;
  return p;
}
