import type { IamGroup, IamRole, IamUser, OidcProvider, PolicyVersion } from '../iam-types.js';

/** Rows of the IAM tables as the store's records; ARNs are derived from path and name. */
export type Row = Record<string, string | number | null>;
type Tags = (entity: string) => Array<[string, string]>;

export function userOf(r: Row, tags: Tags): IamUser {
  const u: IamUser = {
    accountId: r.account_id as string,
    userName: r.name as string,
    userId: r.user_id as string,
    path: r.path as string,
    arn: `arn:aws:iam::${r.account_id}:user${r.path}${r.name}`,
    createDate: new Date(r.created_at as number),
    tags: tags(`user:${r.account_id}:${r.name_lc}`),
  };
  if (r.boundary_arn) u.permissionsBoundaryArn = r.boundary_arn as string;
  return u;
}

export function groupOf(r: Row): IamGroup {
  return {
    accountId: r.account_id as string,
    groupName: r.name as string,
    groupId: r.group_id as string,
    path: r.path as string,
    arn: `arn:aws:iam::${r.account_id}:group${r.path}${r.name}`,
    createDate: new Date(r.created_at as number),
  };
}

export function roleOf(r: Row, tags: Tags): IamRole {
  const role: IamRole = {
    accountId: r.account_id as string,
    roleName: r.name as string,
    roleId: r.role_id as string,
    path: r.path as string,
    arn: `arn:aws:iam::${r.account_id}:role${r.path}${r.name}`,
    createDate: new Date(r.created_at as number),
    assumeRolePolicyDocument: r.trust_policy as string,
    maxSessionDuration: r.max_session_duration as number,
    tags: tags(`role:${r.account_id}:${r.name_lc}`),
  };
  if (r.description !== null) role.description = r.description as string;
  if (r.boundary_arn) role.permissionsBoundaryArn = r.boundary_arn as string;
  return role;
}

export function versionOf(r: Row, defaultVersion: string): PolicyVersion {
  const versionId = `v${r.version_no}`;
  return {
    policyArn: r.policy_arn as string,
    versionId,
    document: r.document as string,
    isDefaultVersion: versionId === defaultVersion,
    createDate: new Date(r.created_at as number),
  };
}

export function oidcOf(r: Row, tags: Tags): OidcProvider {
  const p: OidcProvider = {
    accountId: r.account_id as string,
    arn: r.arn as string,
    url: r.url as string,
    clientIds: JSON.parse(r.client_ids as string) as string[],
    thumbprints: JSON.parse(r.thumbprints as string) as string[],
    createDate: new Date(r.created_at as number),
    tags: tags(`oidc:${r.arn}`),
  };
  if (r.jwks) p.jwks = r.jwks as string;
  return p;
}
