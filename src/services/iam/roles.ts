import { IamConflict, type IamRole, type RoleChanges } from '../../store/meta/iam-types.js';
import { roleArn } from './arns.js';
import { iamOperation } from './context.js';
import { iamError, noSuchRole } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { boundaryPolicy } from './policies.js';
import { checkTrustPolicy } from './policy-documents.js';
import { entityResource, mustRole } from './resources.js';
import { checkTagCount, requestTagConditions, tagPairs, type TagInput } from './tags.js';
import { roleWire, tagsWire } from './wire.js';

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: TagInput[];
}

export const createRole = iamOperation<CreateRoleInput, unknown>(
  'CreateRole',
  (i, ctx) => roleArn(ctx.accountId, i.Path ?? '/', i.RoleName),
  async (i, ctx) => {
    const tags = tagPairs(i.Tags);
    checkTagCount([], tags);
    checkTrustPolicy(i.AssumeRolePolicyDocument);
    const exists = () => iamError('EntityAlreadyExists', `Role with name ${i.RoleName} already exists.`);
    if (await ctx.store.getRole(ctx.accountId, i.RoleName)) throw exists();
    const boundary = i.PermissionsBoundary === undefined ? undefined : (await boundaryPolicy(ctx, i.PermissionsBoundary)).arn;
    const path = i.Path ?? '/';
    const r: IamRole = {
      accountId: ctx.accountId, roleName: i.RoleName, roleId: ctx.ids.uniqueId('AROA'), path, arn: roleArn(ctx.accountId, path, i.RoleName),
      createDate: ctx.now(), assumeRolePolicyDocument: i.AssumeRolePolicyDocument, maxSessionDuration: i.MaxSessionDuration ?? 3600, tags,
    };
    if (i.Description !== undefined) r.description = i.Description;
    if (boundary) r.permissionsBoundaryArn = boundary;
    try {
      await ctx.store.createRole(r);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'exists') throw exists();
      throw e;
    }
    const out = roleWire(r);
    return { Role: { ...out, RoleLastUsed: undefined } };
  },
  (i) => ({ ...requestTagConditions(i.Tags), ...(i.PermissionsBoundary ? { 'iam:PermissionsBoundary': i.PermissionsBoundary } : {}) }),
);

export const getRole = iamOperation<{ RoleName: string }, unknown>(
  'GetRole',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => ({ Role: roleWire(await mustRole(ctx, i.RoleName)) }),
);

export const listRoles = iamOperation<{ PathPrefix?: string } & PageInput, unknown>(
  'ListRoles',
  () => '*',
  async (i, ctx) => {
    const all = (await ctx.store.listRoles(ctx.accountId)).filter((r) => r.path.startsWith(i.PathPrefix ?? '/'));
    const page = paginate(all, (r) => r.roleName.toLowerCase(), i);
    return { Roles: page.items.map((r) => roleWire(r, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const updateRole = iamOperation<{ RoleName: string; Description?: string; MaxSessionDuration?: number }, unknown>(
  'UpdateRole',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    const changes: RoleChanges = {};
    if (i.Description !== undefined) changes.description = i.Description;
    if (i.MaxSessionDuration !== undefined) changes.maxSessionDuration = i.MaxSessionDuration;
    await ctx.store.updateRole(ctx.accountId, r.roleName, changes);
    return {};
  },
);

export const updateRoleDescription = iamOperation<{ RoleName: string; Description: string }, unknown>(
  'UpdateRoleDescription',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    await ctx.store.updateRole(ctx.accountId, r.roleName, { description: i.Description });
    return { Role: roleWire((await mustRole(ctx, r.roleName))) };
  },
);

export const updateAssumeRolePolicy = iamOperation<{ RoleName: string; PolicyDocument: string }, unknown>(
  'UpdateAssumeRolePolicy',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    checkTrustPolicy(i.PolicyDocument);
    await ctx.store.updateRole(ctx.accountId, r.roleName, { assumeRolePolicyDocument: i.PolicyDocument });
    return {};
  },
);

export const deleteRole = iamOperation<{ RoleName: string }, unknown>(
  'DeleteRole',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    const a = ctx.accountId;
    if ((await ctx.store.inlinePolicies('role', a, r.roleName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    if ((await ctx.store.attachedPolicies('role', a, r.roleName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    try {
      await ctx.store.deleteRole(a, r.roleName);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'not-empty') throw iamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      if (e instanceof IamConflict && e.reason === 'not-found') throw noSuchRole(i.RoleName);
      throw e;
    }
    return {};
  },
);

export const tagRole = iamOperation<{ RoleName: string; Tags: TagInput[] }, unknown>(
  'TagRole',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    const tags = tagPairs(i.Tags);
    checkTagCount(r.tags, tags);
    await ctx.store.tag({ kind: 'role', accountId: ctx.accountId, name: r.roleName }, tags);
    return {};
  },
  (i) => requestTagConditions(i.Tags),
);

export const untagRole = iamOperation<{ RoleName: string; TagKeys: string[] }, unknown>(
  'UntagRole',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    await ctx.store.tag({ kind: 'role', accountId: ctx.accountId, name: r.roleName }, [], i.TagKeys);
    return {};
  },
  (i) => ({ 'aws:TagKeys': i.TagKeys }),
);

export const listRoleTags = iamOperation<{ RoleName: string } & PageInput, unknown>(
  'ListRoleTags',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    const page = paginate(r.tags, ([k]) => k.toLowerCase(), i);
    return { Tags: tagsWire(page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const putRolePermissionsBoundary = iamOperation<{ RoleName: string; PermissionsBoundary: string }, unknown>(
  'PutRolePermissionsBoundary',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    const p = await boundaryPolicy(ctx, i.PermissionsBoundary);
    await ctx.store.setPermissionsBoundary('role', ctx.accountId, r.roleName, p.arn);
    return {};
  },
  (i) => ({ 'iam:PermissionsBoundary': i.PermissionsBoundary }),
);

export const deleteRolePermissionsBoundary = iamOperation<{ RoleName: string }, unknown>(
  'DeleteRolePermissionsBoundary',
  (i, ctx) => entityResource(ctx, 'role', i.RoleName),
  async (i, ctx) => {
    const r = await mustRole(ctx, i.RoleName);
    await ctx.store.setPermissionsBoundary('role', ctx.accountId, r.roleName, undefined);
    return {};
  },
);

export const ROLE_OPERATIONS = [
  createRole, getRole, listRoles, updateRole, updateRoleDescription, updateAssumeRolePolicy, deleteRole,
  tagRole, untagRole, listRoleTags, putRolePermissionsBoundary, deleteRolePermissionsBoundary,
];
