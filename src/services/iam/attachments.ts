import type { EntityKind } from '../../store/meta/iam-types.js';
import { iamOperation, type IamOperation } from './context.js';
import { iamError, noSuchPolicy } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { attachablePolicy } from './policies.js';
import { entityResource, mustEntity } from './resources.js';
import { attachedWire } from './wire.js';

/** Managed policies attached to one user, group or role: 10 by default, as in IAM. */
export const MAX_ATTACHED_POLICIES = 10;

const KINDS: Array<{ kind: EntityKind; noun: 'User' | 'Group' | 'Role' }> = [
  { kind: 'user', noun: 'User' }, { kind: 'group', noun: 'Group' }, { kind: 'role', noun: 'Role' },
];

type Named = Record<string, string>;

function operationsFor(kind: EntityKind, noun: 'User' | 'Group' | 'Role'): IamOperation[] {
  const nameOf = (i: Named) => i[`${noun}Name`]!;
  const attach = iamOperation<Named & { PolicyArn: string }, unknown>(
    `Attach${noun}Policy`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      const p = await attachablePolicy(ctx, i.PolicyArn);
      const attached = await ctx.store.attachedPolicies(kind, ctx.accountId, name);
      if (!attached.some((a) => a.arn === p.arn) && attached.length >= MAX_ATTACHED_POLICIES) {
        throw iamError('LimitExceeded', `Cannot exceed quota for PoliciesPer${noun}: ${MAX_ATTACHED_POLICIES}`);
      }
      await ctx.store.attachPolicy(kind, ctx.accountId, name, p.arn);
      return {};
    },
    (i) => ({ 'iam:PolicyARN': i.PolicyArn }),
  );
  const detach = iamOperation<Named & { PolicyArn: string }, unknown>(
    `Detach${noun}Policy`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      if (!(await ctx.store.detachPolicy(kind, ctx.accountId, name, i.PolicyArn))) throw noSuchPolicy(i.PolicyArn);
      return {};
    },
    (i) => ({ 'iam:PolicyARN': i.PolicyArn }),
  );
  const list = iamOperation<Named & PageInput & { PathPrefix?: string }, unknown>(
    `ListAttached${noun}Policies`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      const all = (await ctx.store.attachedPolicies(kind, ctx.accountId, name)).filter((p) => p.path.startsWith(i.PathPrefix ?? '/'));
      const page = paginate(all, (p) => `${p.policyName.toLowerCase()}\u0000${p.accountId}`, i);
      return { AttachedPolicies: page.items.map(attachedWire), IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  );
  return [attach, detach, list];
}

export const ATTACHMENT_OPERATIONS = KINDS.flatMap(({ kind, noun }) => operationsFor(kind, noun));
