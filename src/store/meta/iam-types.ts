/**
 * The IAM store: users, groups, roles, managed and inline policies, boundaries, OIDC
 * providers, sessions. Policy documents are kept as the JSON text the caller sent (AWS
 * returns them URL-encoded, the encoders do that). Each method is one atomic unit.
 */

export interface IamUser {
  accountId: string;
  userName: string;
  /** AIDA… */
  userId: string;
  path: string;
  arn: string;
  createDate: Date;
  permissionsBoundaryArn?: string;
  tags: Array<[string, string]>;
}

export interface IamGroup {
  accountId: string;
  groupName: string;
  /** AGPA… */
  groupId: string;
  path: string;
  arn: string;
  createDate: Date;
}

export interface IamRole {
  accountId: string;
  roleName: string;
  /** AROA… */
  roleId: string;
  path: string;
  arn: string;
  createDate: Date;
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600..43200. */
  maxSessionDuration: number;
  permissionsBoundaryArn?: string;
  tags: Array<[string, string]>;
}

export interface ManagedPolicy {
  /** `aws` for AWS-managed policies. */
  accountId: string;
  policyName: string;
  /** ANPA… */
  policyId: string;
  path: string;
  arn: string;
  description?: string;
  defaultVersionId: string;
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  isAttachable: boolean;
  createDate: Date;
  updateDate: Date;
  tags: Array<[string, string]>;
}

export interface PolicyVersion {
  policyArn: string;
  versionId: string;
  document: string;
  isDefaultVersion: boolean;
  createDate: Date;
}

export type PrincipalEntity = { kind: 'user' | 'group' | 'role'; accountId: string; name: string };

export interface OidcProvider {
  accountId: string;
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  /** JWKS (JSON text) the tokens' signatures are checked against. */
  jwks?: string;
  createDate: Date;
  tags: Array<[string, string]>;
}

/** A policy as authorization consumes it: its text and a label for traces (ARN or `user/alice/inline-name`). */
export interface LabeledPolicy {
  label: string;
  document: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque marker for the next page, absent on the last one. */
  marker?: string;
}

/** The policies that apply to one principal entity (DESIGN: authz gathers them, the engine decides). */
export interface PrincipalPolicies {
  /** Inline and attached policies (for users also those of their groups). */
  identity: LabeledPolicy[];
  boundary?: LabeledPolicy;
  tags: Record<string, string>;
}

/** What authorization and STS read from IAM. */
export interface IdentityReader {
  getUser(accountId: string, userName: string): Promise<IamUser | undefined>;
  getUserByAccessKey?(accessKeyId: string): Promise<IamUser | undefined>;
  getRole(accountId: string, roleName: string): Promise<IamRole | undefined>;
  userPolicies(accountId: string, userName: string): Promise<PrincipalPolicies | undefined>;
  rolePolicies(accountId: string, roleName: string): Promise<PrincipalPolicies | undefined>;
  /** The default version's document of a managed policy (customer or AWS-managed). */
  managedPolicyDocument(arn: string): Promise<string | undefined>;
  getOidcProvider(arn: string): Promise<OidcProvider | undefined>;
}

// ---- the writable store behind IAM's operations (IdentityReader is its read side)

export type EntityKind = 'user' | 'group' | 'role';
/** Entities that carry tags: users and roles by name, policies and OIDC providers by ARN. */
export type TaggedEntity = { kind: 'user' | 'role'; accountId: string; name: string } | { kind: 'policy' | 'oidc'; arn: string };

/** An access key as IAM lists it (the secret stays in the credential table). */
export interface IamAccessKey {
  accessKeyId: string;
  /** Empty for the root user's keys. */
  userName: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

export interface InlinePolicy {
  policyName: string;
  document: string;
}

export interface RoleChanges {
  description?: string;
  maxSessionDuration?: number;
  assumeRolePolicyDocument?: string;
}

/**
 * Faults a write found inside its transaction: the services turn them into AWS errors
 * (they check first for the message; this keeps a racing write from breaking the rules).
 */
export class IamConflict extends Error {
  constructor(readonly reason: 'exists' | 'not-found' | 'not-empty' | 'limit', detail = '') {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/**
 * Names of users, groups, roles and policies are unique within an account regardless of
 * case and keep the case they were created with; lookups by name ignore case, as IAM's do.
 * Lists come back in the order of their lower-cased names (policy versions newest first).
 */
export interface IamStore extends IdentityReader {
  /** A group's inline and attached policies (the simulator evaluates groups on their own). */
  groupPolicies(accountId: string, groupName: string): Promise<LabeledPolicy[]>;
  createUser(u: IamUser): Promise<void>;
  listUsers(accountId: string): Promise<IamUser[]>;
  /** Renames (and re-paths) a user; its keys, memberships, policies follow. */
  updateUser(accountId: string, userName: string, changes: { newUserName?: string; newPath?: string }): Promise<void>;
  /** Throws IamConflict('not-empty') while keys, policies or memberships remain. */
  deleteUser(accountId: string, userName: string): Promise<void>;

  createGroup(g: IamGroup): Promise<void>;
  getGroup(accountId: string, groupName: string): Promise<IamGroup | undefined>;
  listGroups(accountId: string): Promise<IamGroup[]>;
  deleteGroup(accountId: string, groupName: string): Promise<void>;
  addUserToGroup(accountId: string, groupName: string, userName: string): Promise<void>;
  /** False when the user was not a member. */
  removeUserFromGroup(accountId: string, groupName: string, userName: string): Promise<boolean>;
  groupMembers(accountId: string, groupName: string): Promise<IamUser[]>;
  groupsForUser(accountId: string, userName: string): Promise<IamGroup[]>;

  createRole(r: IamRole): Promise<void>;
  listRoles(accountId: string): Promise<IamRole[]>;
  updateRole(accountId: string, roleName: string, changes: RoleChanges): Promise<void>;
  deleteRole(accountId: string, roleName: string): Promise<void>;

  setPermissionsBoundary(kind: 'user' | 'role', accountId: string, name: string, policyArn: string | undefined): Promise<void>;
  /** Adds or replaces tags (keys compare without case), then removes `remove`. */
  tag(entity: TaggedEntity, set: Array<[string, string]>, remove?: string[]): Promise<void>;
  tagsOf(entity: TaggedEntity): Promise<Array<[string, string]>>;

  /** Creates the policy and its version v1 (the default). */
  createPolicy(p: ManagedPolicy, document: string): Promise<void>;
  /** Customer-managed or AWS-managed; counts are those of `countsFor`'s account. */
  getPolicy(arn: string, countsFor: string): Promise<ManagedPolicy | undefined>;
  /** The account's own policies and every AWS-managed policy, with that account's counts. */
  listPolicies(accountId: string): Promise<ManagedPolicy[]>;
  /** Throws IamConflict('not-empty') while attached or with versions besides the default. */
  deletePolicy(arn: string): Promise<void>;
  /** Throws IamConflict('limit') at five versions. */
  createPolicyVersion(arn: string, document: string, setAsDefault: boolean, now: Date): Promise<PolicyVersion>;
  getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersion | undefined>;
  listPolicyVersions(arn: string): Promise<PolicyVersion[]>;
  setDefaultPolicyVersion(arn: string, versionId: string, now: Date): Promise<void>;
  deletePolicyVersion(arn: string, versionId: string): Promise<void>;

  attachPolicy(kind: EntityKind, accountId: string, name: string, policyArn: string): Promise<void>;
  /** False when it was not attached. */
  detachPolicy(kind: EntityKind, accountId: string, name: string, policyArn: string): Promise<boolean>;
  attachedPolicies(kind: EntityKind, accountId: string, name: string): Promise<ManagedPolicy[]>;
  /** The entities a policy is attached to, within one account. */
  entitiesForPolicy(accountId: string, policyArn: string): Promise<PrincipalEntity[]>;

  putInlinePolicy(kind: EntityKind, accountId: string, name: string, policy: InlinePolicy): Promise<void>;
  getInlinePolicy(kind: EntityKind, accountId: string, name: string, policyName: string): Promise<InlinePolicy | undefined>;
  deleteInlinePolicy(kind: EntityKind, accountId: string, name: string, policyName: string): Promise<boolean>;
  inlinePolicies(kind: EntityKind, accountId: string, name: string): Promise<InlinePolicy[]>;

  /**
   * Stores a user's (or, with an empty user name, the root user's) long-term key in the
   * credential table; throws IamConflict('limit') when the principal already has `limit`.
   */
  createAccessKey(accountId: string, userName: string, key: { accessKeyId: string; secretAccessKey: string; createDate: Date }, limit: number): Promise<void>;
  listAccessKeys(accountId: string, userName: string): Promise<IamAccessKey[]>;
  /** False when the key is not that principal's. */
  updateAccessKey(accountId: string, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<boolean>;
  deleteAccessKey(accountId: string, userName: string, accessKeyId: string): Promise<boolean>;

  createOidcProvider(p: OidcProvider): Promise<void>;
  listOidcProviders(accountId: string): Promise<OidcProvider[]>;
  updateOidcProvider(arn: string, changes: { clientIds?: string[]; thumbprints?: string[]; jwks?: string | null }): Promise<void>;
  deleteOidcProvider(arn: string): Promise<boolean>;
}

/** `arn:aws:iam::<acct>:policy<path><name>` → its parts; the path keeps both slashes. */
export function splitPolicyArn(arn: string): { accountId: string; path: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:.*\/)?)([^/]+)$/.exec(arn);
  return m ? { accountId: m[1]!, path: m[2]!, name: m[3]! } : undefined;
}
