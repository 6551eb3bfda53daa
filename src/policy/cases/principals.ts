/**
 * Principal and NotPrincipal matching, in resource policies owned by ACCT. Whether a match
 * alone allows also depends on how the caller is named (see flow.ts for the limits).
 */
import { ACCT, OBJ, OTHER, allowAll, anonymous, fedUser, roleSession, root, service, user, type StatementCase } from './helpers.js';

const P = 'AWS JSON policy elements: Principal';
const NP = 'AWS JSON policy elements: NotPrincipal';
const stmt = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 's3:GetObject',
  Resource: OBJ,
  ...extra,
});
const denyExcept = (notPrincipal: unknown) => ({ Effect: 'Deny', NotPrincipal: notPrincipal, Action: 's3:*', Resource: OBJ });

export const principalCases: StatementCase[] = [
  { rule: `${P} — an IAM user ARN names that user`, statement: stmt({ AWS: `arn:aws:iam::${ACCT}:user/alice` }), principal: user('alice'), expect: true },
  { rule: `${P} — another user is not named`, statement: stmt({ AWS: `arn:aws:iam::${ACCT}:user/bob` }), principal: user('alice'), expect: false },
  { rule: `${P} — the user-name part of the ARN is case-sensitive`, statement: stmt({ AWS: `arn:aws:iam::${ACCT}:user/Alice` }), principal: user('alice'), expect: false },
  { rule: `${P} — "*" names every principal`, statement: stmt('*'), principal: user('alice'), expect: true },
  { rule: `${P} — {"AWS": "*"} is equivalent to "*"`, statement: stmt({ AWS: '*' }), principal: roleSession(), expect: true },
  { rule: `${P} — "*" includes anonymous users (public access)`, statement: stmt('*'), principal: anonymous, expect: true },
  { rule: `${P} — {"AWS": "*"} includes anonymous users too`, statement: stmt({ AWS: '*' }), principal: anonymous, expect: true },
  { rule: `${P} — anonymous users match no named principal`, statement: stmt({ AWS: ACCT }), principal: anonymous, expect: false },
  { rule: `${P} — the account id delegates to the account: IAM must still allow its users`, statement: stmt({ AWS: ACCT }), principal: user('alice'), expect: false },
  { rule: `${P} — account id plus an identity-policy allow grants the user`, statement: stmt({ AWS: ACCT }), principal: user('alice'), identity: [allowAll], expect: true },
  { rule: `${P} — the account ARN ("...:root") behaves like the account id`, statement: stmt({ AWS: `arn:aws:iam::${ACCT}:root` }), principal: user('alice'), identity: [allowAll], expect: true },
  { rule: `${P} — the account ARN does not limit the grant to the root user`, statement: stmt({ AWS: `arn:aws:iam::${OTHER}:root` }), principal: roleSession('r', 's', OTHER), identity: [allowAll], expect: true },
  { rule: `${P} — the account principal names the root user itself`, statement: stmt({ AWS: ACCT }), principal: root(), expect: true },
  { rule: `${P} — a role ARN names the role's sessions`, statement: stmt({ AWS: `arn:aws:iam::${ACCT}:role/app` }), principal: roleSession('app'), expect: true },
  { rule: `${P} — the assumed-role session ARN names that session`, statement: stmt({ AWS: `arn:aws:sts::${ACCT}:assumed-role/app/sess` }), principal: roleSession('app', 'sess'), expect: true },
  { rule: `${P} — a session ARN names only that session`, statement: stmt({ AWS: `arn:aws:sts::${ACCT}:assumed-role/app/other` }), principal: roleSession('app', 'sess'), expect: false },
  { rule: `${P} — no wildcard matching inside a principal ARN`, statement: stmt({ AWS: `arn:aws:sts::${ACCT}:assumed-role/app/*` }), principal: roleSession('app', 'sess'), expect: false },
  { rule: `${P} — a federated user session ARN names that session`, statement: stmt({ AWS: `arn:aws:sts::${ACCT}:federated-user/fed` }), principal: fedUser('fed'), expect: true },
  { rule: `${P} — a service principal names the service`, statement: stmt({ Service: 'cloudtrail.amazonaws.com' }), principal: service('cloudtrail.amazonaws.com'), expect: true },
  { rule: `${P} — another service is not named`, statement: stmt({ Service: 'cloudtrail.amazonaws.com' }), principal: service('config.amazonaws.com'), expect: false },
  { rule: `${P} — an array of services is ORed`, statement: stmt({ Service: ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] }), principal: service('elasticloadbalancing.amazonaws.com'), expect: true },
  { rule: `${P} — several principal types in one element are ORed`, statement: stmt({ AWS: `arn:aws:iam::${ACCT}:user/bob`, Service: 'logs.amazonaws.com' }), principal: service('logs.amazonaws.com'), expect: true },
  { rule: `${P} — a list of accounts is ORed`, statement: stmt({ AWS: ['999999999999', OTHER] }), principal: user('carol', OTHER), identity: [allowAll], expect: true },
  { rule: `${P} — a canonical user id names the S3 canonical user`, statement: stmt({ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }), principal: { ...user('alice'), canonicalUserId: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, expect: true },
  { rule: `${NP} — NotPrincipal with Deny denies everyone not listed`, statement: denyExcept({ AWS: [`arn:aws:iam::${ACCT}:user/bob`, `arn:aws:iam::${ACCT}:root`] }), principal: user('alice'), identity: [allowAll], expect: 'ExplicitDeny' },
  { rule: `${NP} — a user listed with its account is exempt`, statement: denyExcept({ AWS: [`arn:aws:iam::${ACCT}:user/alice`, `arn:aws:iam::${ACCT}:root`] }), principal: user('alice'), identity: [allowAll], expect: true },
  { rule: `${NP} — listing the user without its account still denies it through the account`, statement: denyExcept({ AWS: `arn:aws:iam::${ACCT}:user/alice` }), principal: user('alice'), identity: [allowAll], expect: 'ExplicitDeny' },
  { rule: `${NP} — a session is exempt only with its role and account listed`, statement: denyExcept({ AWS: [`arn:aws:sts::${ACCT}:assumed-role/app/sess`, `arn:aws:iam::${ACCT}:role/app`, `arn:aws:iam::${ACCT}:root`] }), principal: roleSession('app', 'sess'), identity: [allowAll], expect: true },
  { rule: `${NP} — missing the role ARN denies the session through the role`, statement: denyExcept({ AWS: [`arn:aws:sts::${ACCT}:assumed-role/app/sess`, `arn:aws:iam::${ACCT}:root`] }), principal: roleSession('app', 'sess'), identity: [allowAll], expect: 'ExplicitDeny' },
  { rule: `${NP} — listing only the account exempts the root user, not its users`, statement: denyExcept({ AWS: ACCT }), principal: root(), expect: true },
  { rule: `${NP} — NotPrincipal {"AWS": "*"} excludes everyone, so the Deny applies to no one`, statement: denyExcept({ AWS: '*' }), principal: user('alice'), identity: [allowAll], expect: true },
  { rule: `${NP} — anonymous callers are never exempted by named principals`, statement: { Effect: 'Deny', NotPrincipal: { AWS: ACCT }, Action: 's3:*', Resource: OBJ }, principal: anonymous, expect: 'ExplicitDeny' },
];
