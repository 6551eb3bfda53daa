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
