import type { EntityKind } from '../../store/meta/iam-types.js';
import { groupArn, roleArn, userArn } from './arns.js';
import type { IamContext } from './context.js';
import { iamError, noSuchGroup, noSuchRole, noSuchUser } from './errors.js';

/** The ARN authorization checks an operation on a named entity against: its real path if it exists. */
export async function entityResource(ctx: IamContext, kind: EntityKind, name: string): Promise<string> {
  const a = ctx.accountId;
  switch (kind) {
    case 'user': {
      const u = await ctx.store.getUser(a, name);
      return userArn(a, u?.path ?? '/', u?.userName ?? name);
    }
    case 'group': {
      const g = await ctx.store.getGroup(a, name);
      return groupArn(a, g?.path ?? '/', g?.groupName ?? name);
    }
    case 'role': {
      const r = await ctx.store.getRole(a, name);
      return roleArn(a, r?.path ?? '/', r?.roleName ?? name);
    }
  }
}

export async function mustUser(ctx: IamContext, name: string) {
  const u = await ctx.store.getUser(ctx.accountId, name);
  if (!u) throw noSuchUser(name);
  return u;
}

export async function mustGroup(ctx: IamContext, name: string) {
  const g = await ctx.store.getGroup(ctx.accountId, name);
  if (!g) throw noSuchGroup(name);
  return g;
}

export async function mustRole(ctx: IamContext, name: string) {
  const r = await ctx.store.getRole(ctx.accountId, name);
  if (!r) throw noSuchRole(name);
  return r;
}

export async function mustEntity(ctx: IamContext, kind: EntityKind, name: string): Promise<string> {
  switch (kind) {
    case 'user': return (await mustUser(ctx, name)).userName;
    case 'group': return (await mustGroup(ctx, name)).groupName;
    case 'role': return (await mustRole(ctx, name)).roleName;
  }
}

/** The user an operation without UserName acts on: the calling IAM user (root has none). */
export function callerUserName(ctx: IamContext): string | undefined {
  const p = ctx.principal;
  if (p.type === 'User') return p.userName;
  if (p.type === 'Account') return undefined;
  throw iamError('ValidationError', 'Must specify userName when calling with non-User credentials');
}
