import { IamConflict } from '../../store/meta/iam-types.js';
import { iamOperation, type IamContext } from './context.js';
import { iamError } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { callerUserName, entityResource, mustUser } from './resources.js';
import { accessKeyWire } from './wire.js';

/** Long-term access keys per user (and per root user): two, active or not. */
export const MAX_ACCESS_KEYS = 2;

/** The user a key operation is about: the named one, else the caller ('' for root). */
async function keyOwner(ctx: IamContext, userName: string | undefined): Promise<string> {
  const name = userName ?? callerUserName(ctx);
  if (name === undefined) return '';
  return (await mustUser(ctx, name)).userName;
}

async function keyResource(ctx: IamContext, userName: string | undefined): Promise<string> {
  const name = userName ?? callerUserName(ctx);
  return name === undefined ? `arn:aws:iam::${ctx.accountId}:root` : entityResource(ctx, 'user', name);
}

const noSuchKey = (id: string) => iamError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`);

export const createAccessKey = iamOperation<{ UserName?: string }, unknown>(
  'CreateAccessKey',
  (i, ctx) => keyResource(ctx, i.UserName),
  async (i, ctx) => {
    const owner = await keyOwner(ctx, i.UserName);
    const quota = () => iamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`);
    if ((await ctx.store.listAccessKeys(ctx.accountId, owner)).length >= MAX_ACCESS_KEYS) throw quota();
    const key = { accessKeyId: ctx.ids.accessKeyId(), secretAccessKey: ctx.ids.secretAccessKey(), createDate: ctx.now() };
    try {
      await ctx.store.createAccessKey(ctx.accountId, owner, key, MAX_ACCESS_KEYS);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'limit') throw quota();
      throw e;
    }
    return { AccessKey: { UserName: owner || undefined, AccessKeyId: key.accessKeyId, Status: 'Active', SecretAccessKey: key.secretAccessKey, CreateDate: key.createDate } };
  },
);

export const listAccessKeys = iamOperation<{ UserName?: string } & PageInput, unknown>(
  'ListAccessKeys',
  (i, ctx) => keyResource(ctx, i.UserName),
  async (i, ctx) => {
    const owner = await keyOwner(ctx, i.UserName);
    const page = paginate(await ctx.store.listAccessKeys(ctx.accountId, owner), (k) => k.accessKeyId, i);
    return { AccessKeyMetadata: page.items.map(accessKeyWire), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const updateAccessKey = iamOperation<{ UserName?: string; AccessKeyId: string; Status: 'Active' | 'Inactive' }, unknown>(
  'UpdateAccessKey',
  (i, ctx) => keyResource(ctx, i.UserName),
  async (i, ctx) => {
    const owner = await keyOwner(ctx, i.UserName);
    if (!(await ctx.store.updateAccessKey(ctx.accountId, owner, i.AccessKeyId, i.Status))) throw noSuchKey(i.AccessKeyId);
    return {};
  },
);

export const deleteAccessKey = iamOperation<{ UserName?: string; AccessKeyId: string }, unknown>(
  'DeleteAccessKey',
  (i, ctx) => keyResource(ctx, i.UserName),
  async (i, ctx) => {
    const owner = await keyOwner(ctx, i.UserName);
    if (!(await ctx.store.deleteAccessKey(ctx.accountId, owner, i.AccessKeyId))) throw noSuchKey(i.AccessKeyId);
    return {};
  },
);

/** Coffer does not record key use yet: every key reads as never used, as IAM reports it. */
export const getAccessKeyLastUsed = iamOperation<{ AccessKeyId: string }, unknown>(
  'GetAccessKeyLastUsed',
  async (i, ctx) => {
    const user = await ctx.store.getUserByAccessKey?.(i.AccessKeyId);
    return user && user.accountId === ctx.accountId ? user.arn : `arn:aws:iam::${ctx.accountId}:root`;
  },
  async (i, ctx) => {
    const user = await ctx.store.getUserByAccessKey?.(i.AccessKeyId);
    if (user && user.accountId !== ctx.accountId) throw iamError('AccessDenied', 'Access Denied');
    if (!user) {
      const own = (await ctx.store.listAccessKeys(ctx.accountId, '')).some((k) => k.accessKeyId === i.AccessKeyId);
      if (!own) throw iamError('AccessDenied', 'Access Denied');
    }
    // Never used: AWS answers N/A for both, with no date.
    const used = (await ctx.meta.getAccessKey(i.AccessKeyId))?.lastUsed;
    const lastUsed = used ? { LastUsedDate: used.at, ServiceName: used.service, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' };
    return { UserName: user?.userName, AccessKeyLastUsed: lastUsed };
  },
);

export const ACCESS_KEY_OPERATIONS = [createAccessKey, listAccessKeys, updateAccessKey, deleteAccessKey, getAccessKeyLastUsed];
