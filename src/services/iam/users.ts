import { IamConflict, type IamUser } from '../../store/meta/iam-types.js';
import { userArn } from './arns.js';
import { iamOperation, type IamContext } from './context.js';
import { iamError, noSuchUser } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { boundaryPolicy } from './policies.js';
import { callerUserName, entityResource, mustUser } from './resources.js';
import { checkTagCount, requestTagConditions, tagPairs, type TagInput } from './tags.js';
import { tagsWire, userWire } from './wire.js';

const byName = (u: IamUser) => u.userName.toLowerCase();

export const createUser = iamOperation<{ UserName: string; Path?: string; PermissionsBoundary?: string; Tags?: TagInput[] }, unknown>(
  'CreateUser',
  (i, ctx) => userArn(ctx.accountId, i.Path ?? '/', i.UserName),
  async (i, ctx) => {
    const tags = tagPairs(i.Tags);
    checkTagCount([], tags);
    if (await ctx.store.getUser(ctx.accountId, i.UserName)) throw iamError('EntityAlreadyExists', `User with name ${i.UserName} already exists.`);
    const boundary = i.PermissionsBoundary === undefined ? undefined : (await boundaryPolicy(ctx, i.PermissionsBoundary)).arn;
    const path = i.Path ?? '/';
    const u: IamUser = {
      accountId: ctx.accountId, userName: i.UserName, userId: ctx.ids.uniqueId('AIDA'), path,
      arn: userArn(ctx.accountId, path, i.UserName), createDate: ctx.now(), tags,
    };
    if (boundary) u.permissionsBoundaryArn = boundary;
    try {
      await ctx.store.createUser(u);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'exists') throw iamError('EntityAlreadyExists', `User with name ${i.UserName} already exists.`);
      throw e;
    }
    return { User: userWire(u) };
  },
  (i) => ({ ...requestTagConditions(i.Tags), ...(i.PermissionsBoundary ? { 'iam:PermissionsBoundary': i.PermissionsBoundary } : {}) }),
);

async function rootAsUser(ctx: IamContext) {
  const account = await ctx.meta.getAccount(ctx.accountId);
  return { User: { UserId: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root`, CreateDate: account?.createdAt ?? new Date(0) } };
}

export const getUser = iamOperation<{ UserName?: string }, unknown>(
  'GetUser',
  (i, ctx) => {
    const name = i.UserName ?? callerUserName(ctx);
    return name === undefined ? `arn:aws:iam::${ctx.accountId}:root` : entityResource(ctx, 'user', name);
  },
  async (i, ctx) => {
    const name = i.UserName ?? callerUserName(ctx);
    // Root's own credentials: IAM answers with the account's root identity.
    if (name === undefined) return rootAsUser(ctx);
    return { User: userWire(await mustUser(ctx, name)) };
  },
);

export const listUsers = iamOperation<{ PathPrefix?: string } & PageInput, unknown>(
  'ListUsers',
  () => '*',
  async (i, ctx) => {
    const all = (await ctx.store.listUsers(ctx.accountId)).filter((u) => u.path.startsWith(i.PathPrefix ?? '/'));
    const page = paginate(all, byName, i);
    return { Users: page.items.map((u) => userWire(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const updateUser = iamOperation<{ UserName: string; NewPath?: string; NewUserName?: string }, unknown>(
  'UpdateUser',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    if (i.NewUserName !== undefined && i.NewUserName.toLowerCase() !== u.userName.toLowerCase() && await ctx.store.getUser(ctx.accountId, i.NewUserName)) {
      throw iamError('EntityAlreadyExists', `User with name ${i.NewUserName} already exists.`);
    }
    const changes: { newUserName?: string; newPath?: string } = {};
    if (i.NewUserName !== undefined) changes.newUserName = i.NewUserName;
    if (i.NewPath !== undefined) changes.newPath = i.NewPath;
    await ctx.store.updateUser(ctx.accountId, u.userName, changes);
    return {};
  },
);

export const deleteUser = iamOperation<{ UserName: string }, unknown>(
  'DeleteUser',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    const a = ctx.accountId;
    // IAM refuses while anything hangs off the user, naming the first thing to remove.
    if ((await ctx.store.listAccessKeys(a, u.userName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
    if ((await ctx.store.inlinePolicies('user', a, u.userName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    if ((await ctx.store.attachedPolicies('user', a, u.userName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    if ((await ctx.store.groupsForUser(a, u.userName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must remove user from all groups first.');
    try {
      await ctx.store.deleteUser(a, u.userName);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'not-empty') throw iamError('DeleteConflict', 'Cannot delete entity, must delete access keys and policies first.');
      if (e instanceof IamConflict && e.reason === 'not-found') throw noSuchUser(i.UserName);
      throw e;
    }
    return {};
  },
);

export const tagUser = iamOperation<{ UserName: string; Tags: TagInput[] }, unknown>(
  'TagUser',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    const tags = tagPairs(i.Tags);
    checkTagCount(u.tags, tags);
    await ctx.store.tag({ kind: 'user', accountId: ctx.accountId, name: u.userName }, tags);
    return {};
  },
  (i) => requestTagConditions(i.Tags),
);

export const untagUser = iamOperation<{ UserName: string; TagKeys: string[] }, unknown>(
  'UntagUser',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    await ctx.store.tag({ kind: 'user', accountId: ctx.accountId, name: u.userName }, [], i.TagKeys);
    return {};
  },
  (i) => ({ 'aws:TagKeys': i.TagKeys }),
);

export const listUserTags = iamOperation<{ UserName: string } & PageInput, unknown>(
  'ListUserTags',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    const page = paginate(u.tags, ([k]) => k.toLowerCase(), i);
    return { Tags: tagsWire(page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const putUserPermissionsBoundary = iamOperation<{ UserName: string; PermissionsBoundary: string }, unknown>(
  'PutUserPermissionsBoundary',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    const p = await boundaryPolicy(ctx, i.PermissionsBoundary);
    await ctx.store.setPermissionsBoundary('user', ctx.accountId, u.userName, p.arn);
    return {};
  },
  (i) => ({ 'iam:PermissionsBoundary': i.PermissionsBoundary }),
);

export const deleteUserPermissionsBoundary = iamOperation<{ UserName: string }, unknown>(
  'DeleteUserPermissionsBoundary',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    await ctx.store.setPermissionsBoundary('user', ctx.accountId, u.userName, undefined);
    return {};
  },
);

export const USER_OPERATIONS = [createUser, getUser, listUsers, updateUser, deleteUser, tagUser, untagUser, listUserTags, putUserPermissionsBoundary, deleteUserPermissionsBoundary];
