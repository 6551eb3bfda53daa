import type { IamAccessKey, IamGroup, IamRole, IamUser, ManagedPolicy, PolicyVersion } from '../../store/meta/iam-types.js';

/** Store records in the member names of AWS's output shapes (User, Role, Policy, …). */
export const tagsWire = (tags: Array<[string, string]>) => tags.map(([Key, Value]) => ({ Key, Value }));

const boundaryWire = (arn: string | undefined) => (arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined);

/** `full`: GetUser and CreateUser carry the boundary and tags; ListUsers does not. */
export function userWire(u: IamUser, full = true) {
  return {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: u.createDate,
    PermissionsBoundary: full ? boundaryWire(u.permissionsBoundaryArn) : undefined,
    Tags: full && u.tags.length > 0 ? tagsWire(u.tags) : undefined,
  };
}

export function groupWire(g: IamGroup) {
  return { Path: g.path, GroupName: g.groupName, GroupId: g.groupId, Arn: g.arn, CreateDate: g.createDate };
}

export function roleWire(r: IamRole, full = true) {
  return {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createDate,
    AssumeRolePolicyDocument: r.assumeRolePolicyDocument,
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    PermissionsBoundary: full ? boundaryWire(r.permissionsBoundaryArn) : undefined,
    Tags: full && r.tags.length > 0 ? tagsWire(r.tags) : undefined,
    RoleLastUsed: full ? {} : undefined,
  };
}

export function policyWire(p: ManagedPolicy, withTags = true) {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: p.attachmentCount,
    PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
    IsAttachable: p.isAttachable,
    Description: p.description,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
    Tags: withTags && p.tags.length > 0 ? tagsWire(p.tags) : undefined,
  };
}

export function versionWire(v: PolicyVersion, withDocument = true) {
  return { Document: withDocument ? v.document : undefined, VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: v.createDate };
}

export function accessKeyWire(k: IamAccessKey) {
  return { UserName: k.userName || undefined, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate };
}

export const attachedWire = (p: ManagedPolicy) => ({ PolicyName: p.policyName, PolicyArn: p.arn });
