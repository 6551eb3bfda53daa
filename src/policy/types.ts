/**
 * Public data types of the policy engine. Everything here is plain data so that a
 * decision can be logged, audited, serialised or rendered by the CLI unchanged.
 */
import type { PolicyDocument } from './parse.js';

/** The kinds of documents `validatePolicy` knows the rules of. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp' | 'session' | 'key' | 'boundary';

/** One validation or parse finding, located by a JSON path such as `Statement[1].Condition.StringLike`. */
export interface Issue {
  /** JSON path of the offending element; `''` for the document itself. */
  readonly path: string;
  /** Stable machine code, e.g. `UnknownField`, `InvalidPrincipal`. */
  readonly code: string;
  /** The message AWS returns for this fault (MalformedPolicyDocument / MalformedPolicy text). */
  readonly message: string;
  /** A more precise, human explanation when AWS's own message is generic. */
  readonly detail?: string;
}

/** The policy types that take part in a decision. */
export type PolicyType = 'scp' | 'rcp' | 'resource' | 'identity' | 'boundary' | 'session';

/** `aws:PrincipalType`-like classification of the caller. */
export type PrincipalType =
  | 'Account' // the account root user
  | 'User' // IAM user
  | 'AssumedRole' // role session (AssumeRole*, including web identity and SAML sessions)
  | 'FederatedUser' // GetFederationToken session
  | 'Anonymous' // unsigned request
  | 'Service' // AWS service principal, e.g. cloudtrail.amazonaws.com
  | 'Federated'; // an external IdP identity asking AssumeRoleWithWebIdentity/SAML (trust policies)

export interface RequestPrincipal {
  readonly type: PrincipalType;
  /** The caller's ARN: user, root, `arn:aws:sts::acct:assumed-role/name/session`, `...:federated-user/name`. */
  readonly arn?: string;
  /** The account the caller belongs to (absent for Anonymous, Service, Federated). */
  readonly accountId?: string;
  /** For AssumedRole: the ARN of the role the session belongs to. */
  readonly roleArn?: string;
  /** For FederatedUser: the ARN of the IAM user (or root) who called GetFederationToken. */
  readonly userArn?: string;
  /** Unique id (`AIDA...`, `AROA...:session`); used only by `principalContextKeys`. */
  readonly userId?: string;
  /** For Service: the service principal name. */
  readonly service?: string;
  /** For Federated: the IdP name or SAML provider ARN matched by `{"Federated": ...}`. */
  readonly federatedProvider?: string;
  /** S3 canonical user id matched by `{"CanonicalUser": ...}`. */
  readonly canonicalUserId?: string;
}

/** Request context keys. Values are strings; multivalued keys are string arrays. Keys are matched case-insensitively. */
export type ContextValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface AuthorizationRequest {
  readonly principal: RequestPrincipal;
  /** `service:Action`, e.g. `s3:GetObject`. */
  readonly action: string;
  /** Resource ARN, or `*` for actions without a resource. */
  readonly resource: string;
  /** Owner of the resource; defaults to the resource policy's owner, then to the principal's account. */
  readonly resourceAccountId?: string;
  /** All context keys, including `aws:CurrentTime`/`aws:EpochTime`: the engine reads no clock. */
  readonly context: ContextValues;
}

/** A policy as the caller labelled it (name, ARN, "inline:foo"): the label is echoed in traces. */
export interface Policy {
  readonly document: PolicyDocument;
  readonly label?: string;
}

/** The policies of one level of the organization path (root, each OU, the account): one of them must allow. */
export type PolicySet = readonly Policy[];

export interface ResourcePolicyInput {
  readonly policy: Policy;
  readonly ownerAccountId: string;
  /**
   * True when the resource policy itself must allow (role trust policies, KMS key policies):
   * an identity-policy allow alone is then not enough, even within one account.
   */
  readonly required?: boolean;
}

export interface PoliciesByType {
  /** Service control policies, one set per level of the principal account's OU path; omit when SCPs do not apply. */
  readonly scps?: readonly PolicySet[];
  /** Resource control policies, one set per level of the resource account's OU path; omit when RCPs do not apply. */
  readonly rcps?: readonly PolicySet[];
  readonly resourcePolicy?: ResourcePolicyInput;
  /** Identity-based policies of the user (including its groups) or role. */
  readonly identity?: readonly Policy[];
  readonly boundary?: Policy;
  /** Inline and managed session policies passed when the session was created (together they form the session policy). */
  readonly sessionPolicies?: readonly Policy[];
}

export interface EvaluateOptions {
  /** Record per-statement match details (default true). Turn off on hot paths: the result is the same. */
  readonly trace?: boolean;
}

export type DecisionResult = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export type DecisionReason =
  | 'allowed-by-identity-policy'
  | 'allowed-by-resource-policy'
  | 'allowed-as-account-root'
  | 'explicit-deny-in-rcp'
  | 'explicit-deny-in-scp'
  | 'explicit-deny-in-resource-policy'
  | 'explicit-deny-in-identity-policy'
  | 'explicit-deny-in-boundary'
  | 'explicit-deny-in-session-policy'
  | 'no-rcp-allows'
  | 'no-scp-allows'
  | 'no-resource-policy-allows'
  | 'cross-account-resource-policy-does-not-allow'
  | 'no-identity-policy-allows'
  | 'boundary-does-not-allow'
  | 'session-policy-does-not-allow';

/** Why a statement did not apply to the request. */
export type Mismatch =
  | { readonly element: 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Principal' | 'NotPrincipal' }
  | {
      readonly element: 'Condition';
      readonly operator: string;
      readonly key: string;
      readonly values: readonly string[];
      /** The request's values for the key; absent when the key was missing. */
      readonly contextValues?: readonly string[];
    }
  | { readonly element: 'Effect' };

/** How a resource-policy statement named the caller; decides which implicit denies still count. */
export type GrantKind = 'direct' | 'role' | 'account';

export interface StatementTrace {
  readonly index: number;
  readonly sid?: string;
  readonly effect: string;
  readonly matched: boolean;
  readonly why?: Mismatch;
  /** Resource policies only: how the matching Principal entry named the caller. */
  readonly grant?: GrantKind;
}

export interface PolicyTrace {
  readonly type: PolicyType;
  readonly label?: string;
  /** For SCPs and RCPs: index of the OU-path level the policy belongs to. */
  readonly level?: number;
  readonly allows: boolean;
  readonly denies: boolean;
  readonly statements: readonly StatementTrace[];
}

export interface Decision {
  readonly result: DecisionResult;
  readonly reason: DecisionReason;
  /** Policy types that explicitly denied (ExplicitDeny) or did not allow (ImplicitDeny); empty on Allow. */
  readonly deniedBy: readonly PolicyType[];
  readonly trace: readonly PolicyTrace[];
  /** Context keys that conditions or variables asked for and the request did not have. */
  readonly missingContextKeys: readonly string[];
}
