/**
 * Who is making a request, as authentication established it. Every later stage
 * (authorization, audit, ownership) reads only this.
 */
/** `WebIdentity`: an OpenID Connect provider's user, before any session exists (AssumeRoleWithWebIdentity). */
export type PrincipalType = 'Anonymous' | 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Service' | 'WebIdentity';

export interface SessionContext {
  expiresAt?: Date;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  /** Session policies (inline documents) that intersect the principal's permissions. */
  policies?: string[];
  policyArns?: string[];
  issuedAt?: Date;
  /** A role session obtained with another role session's credentials. */
  chained?: boolean;
}

export interface Principal {
  type: PrincipalType;
  /** Empty for anonymous callers. */
  accountId: string;
  /** `arn:aws:iam::<acct>:root`, a user or assumed-role ARN; `*` for anonymous. */
  arn: string;
  /** aws:userid: the account id for root, AIDA… for users, AROA…:session for roles. */
  userId: string;
  /** aws:username for IAM users. */
  userName?: string;
  /** For role sessions, the role's own ARN (what trust and resource policies name). */
  roleArn?: string;
  /** For federated users: the IAM user (or root) who called GetFederationToken. */
  parentUserArn?: string;
  sessionName?: string;
  accessKeyId?: string;
  session?: SessionContext;
}

export const ANONYMOUS: Principal = Object.freeze({ type: 'Anonymous', accountId: '', arn: '*', userId: 'anonymous' });

export function rootPrincipal(accountId: string, accessKeyId?: string): Principal {
  const p: Principal = { type: 'Account', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId };
  if (accessKeyId) p.accessKeyId = accessKeyId;
  return p;
}
