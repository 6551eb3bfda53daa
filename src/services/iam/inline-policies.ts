import type { EntityKind } from '../../store/meta/iam-types.js';
import { iamOperation, type IamOperation } from './context.js';
import { iamError } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { checkInlinePolicies } from './policy-documents.js';
import { entityResource, mustEntity } from './resources.js';

type Named = Record<string, string>;

function operationsFor(kind: EntityKind, noun: 'User' | 'Group' | 'Role'): IamOperation[] {
  const nameOf = (i: Named) => i[`${noun}Name`]!;
  const missing = (policyName: string) => iamError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
  const put = iamOperation<Named & { PolicyName: string; PolicyDocument: string }, unknown>(
    `Put${noun}Policy`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      const others = (await ctx.store.inlinePolicies(kind, ctx.accountId, name))
        .filter((p) => p.policyName.toLowerCase() !== i.PolicyName.toLowerCase()).map((p) => p.document);
      checkInlinePolicies(kind, name, i.PolicyDocument, others);
      await ctx.store.putInlinePolicy(kind, ctx.accountId, name, { policyName: i.PolicyName, document: i.PolicyDocument });
      return {};
    },
  );
  const get = iamOperation<Named & { PolicyName: string }, unknown>(
    `Get${noun}Policy`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      const p = await ctx.store.getInlinePolicy(kind, ctx.accountId, name, i.PolicyName);
      if (!p) throw missing(i.PolicyName);
      return { [`${noun}Name`]: name, PolicyName: p.policyName, PolicyDocument: p.document };
    },
  );
  const del = iamOperation<Named & { PolicyName: string }, unknown>(
    `Delete${noun}Policy`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      if (!(await ctx.store.deleteInlinePolicy(kind, ctx.accountId, name, i.PolicyName))) throw missing(i.PolicyName);
      return {};
    },
  );
  const list = iamOperation<Named & PageInput, unknown>(
    `List${noun}Policies`,
    (i, ctx) => entityResource(ctx, kind, nameOf(i)),
    async (i, ctx) => {
      const name = await mustEntity(ctx, kind, nameOf(i));
      const page = paginate((await ctx.store.inlinePolicies(kind, ctx.accountId, name)).map((p) => p.policyName), (n) => n.toLowerCase(), i);
      return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
    },
  );
  return [put, get, del, list];
}

export const INLINE_POLICY_OPERATIONS = [
  ...operationsFor('user', 'User'), ...operationsFor('group', 'Group'), ...operationsFor('role', 'Role'),
];
