import { IamConflict, type IamGroup } from '../../store/meta/iam-types.js';
import { groupArn } from './arns.js';
import { iamOperation } from './context.js';
import { iamError, noSuchGroup } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { entityResource, mustGroup, mustUser } from './resources.js';
import { groupWire, userWire } from './wire.js';

const byName = (g: IamGroup) => g.groupName.toLowerCase();

export const createGroup = iamOperation<{ GroupName: string; Path?: string }, unknown>(
  'CreateGroup',
  (i, ctx) => groupArn(ctx.accountId, i.Path ?? '/', i.GroupName),
  async (i, ctx) => {
    const exists = () => iamError('EntityAlreadyExists', `Group with name ${i.GroupName} already exists.`);
    if (await ctx.store.getGroup(ctx.accountId, i.GroupName)) throw exists();
    const path = i.Path ?? '/';
    const g: IamGroup = { accountId: ctx.accountId, groupName: i.GroupName, groupId: ctx.ids.uniqueId('AGPA'), path, arn: groupArn(ctx.accountId, path, i.GroupName), createDate: ctx.now() };
    try {
      await ctx.store.createGroup(g);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'exists') throw exists();
      throw e;
    }
    return { Group: groupWire(g) };
  },
);

export const getGroup = iamOperation<{ GroupName: string } & PageInput, unknown>(
  'GetGroup',
  (i, ctx) => entityResource(ctx, 'group', i.GroupName),
  async (i, ctx) => {
    const g = await mustGroup(ctx, i.GroupName);
    const page = paginate(await ctx.store.groupMembers(ctx.accountId, g.groupName), (u) => u.userName.toLowerCase(), i);
    return { Group: groupWire(g), Users: page.items.map((u) => userWire(u, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const listGroups = iamOperation<{ PathPrefix?: string } & PageInput, unknown>(
  'ListGroups',
  () => '*',
  async (i, ctx) => {
    const all = (await ctx.store.listGroups(ctx.accountId)).filter((g) => g.path.startsWith(i.PathPrefix ?? '/'));
    const page = paginate(all, byName, i);
    return { Groups: page.items.map(groupWire), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const deleteGroup = iamOperation<{ GroupName: string }, unknown>(
  'DeleteGroup',
  (i, ctx) => entityResource(ctx, 'group', i.GroupName),
  async (i, ctx) => {
    const g = await mustGroup(ctx, i.GroupName);
    const a = ctx.accountId;
    if ((await ctx.store.groupMembers(a, g.groupName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
    if ((await ctx.store.inlinePolicies('group', a, g.groupName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
    if ((await ctx.store.attachedPolicies('group', a, g.groupName)).length > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
    try {
      await ctx.store.deleteGroup(a, g.groupName);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'not-empty') throw iamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
      if (e instanceof IamConflict && e.reason === 'not-found') throw noSuchGroup(i.GroupName);
      throw e;
    }
    return {};
  },
);

export const addUserToGroup = iamOperation<{ GroupName: string; UserName: string }, unknown>(
  'AddUserToGroup',
  (i, ctx) => entityResource(ctx, 'group', i.GroupName),
  async (i, ctx) => {
    const g = await mustGroup(ctx, i.GroupName);
    const u = await mustUser(ctx, i.UserName);
    await ctx.store.addUserToGroup(ctx.accountId, g.groupName, u.userName);
    return {};
  },
);

export const removeUserFromGroup = iamOperation<{ GroupName: string; UserName: string }, unknown>(
  'RemoveUserFromGroup',
  (i, ctx) => entityResource(ctx, 'group', i.GroupName),
  async (i, ctx) => {
    const g = await mustGroup(ctx, i.GroupName);
    const u = await mustUser(ctx, i.UserName);
    if (!(await ctx.store.removeUserFromGroup(ctx.accountId, g.groupName, u.userName))) {
      throw iamError('NoSuchEntity', `User ${u.userName} is not in group ${g.groupName}.`);
    }
    return {};
  },
);

export const listGroupsForUser = iamOperation<{ UserName: string } & PageInput, unknown>(
  'ListGroupsForUser',
  (i, ctx) => entityResource(ctx, 'user', i.UserName),
  async (i, ctx) => {
    const u = await mustUser(ctx, i.UserName);
    const page = paginate(await ctx.store.groupsForUser(ctx.accountId, u.userName), byName, i);
    return { Groups: page.items.map(groupWire), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const GROUP_OPERATIONS = [createGroup, getGroup, listGroups, deleteGroup, addUserToGroup, removeUserFromGroup, listGroupsForUser];
