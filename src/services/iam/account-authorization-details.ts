import type { ManagedPolicy } from '../../store/meta/iam-types.js';
import { iamOperation, type IamContext } from './context.js';
import { paginate, type PageInput } from './pagination.js';
import { attachedWire, groupWire, tagsWire } from './wire.js';

type Filter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

const boundaryWire = (arn: string | undefined) => (arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined);
const inlineWire = (ps: Array<{ policyName: string; document: string }>) => ps.map((p) => ({ PolicyName: p.policyName, PolicyDocument: p.document }));

async function policyDetail(ctx: IamContext, p: ManagedPolicy) {
  const versions = await ctx.store.listPolicyVersions(p.arn);
  return {
    PolicyName: p.policyName, PolicyId: p.policyId, Arn: p.arn, Path: p.path, DefaultVersionId: p.defaultVersionId,
    AttachmentCount: p.attachmentCount, PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount, IsAttachable: p.isAttachable,
    Description: p.description, CreateDate: p.createDate, UpdateDate: p.updateDate,
    PolicyVersionList: versions.map((v) => ({ Document: v.document, VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: v.createDate })),
  };
}

type Item = { key: string; kind: 'user' | 'group' | 'role' | 'policy'; build: () => Promise<unknown> };

/**
 * Everything about the account's identities in one listing: users, groups, roles and the
 * managed policies (the account's own, and AWS-managed ones in use), paged together.
 */
export const getAccountAuthorizationDetails = iamOperation<{ Filter?: Filter[] } & PageInput, unknown>(
  'GetAccountAuthorizationDetails',
  () => '*',
  async (i, ctx) => {
    const want = new Set<Filter>(i.Filter && i.Filter.length > 0 ? i.Filter : ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
    const a = ctx.accountId;
    const s = ctx.store;
    const items: Item[] = [];
    if (want.has('User')) {
      for (const u of await s.listUsers(a)) {
        items.push({ key: `1${u.userName.toLowerCase()}`, kind: 'user', build: async () => ({
          Path: u.path, UserName: u.userName, UserId: u.userId, Arn: u.arn, CreateDate: u.createDate,
          UserPolicyList: inlineWire(await s.inlinePolicies('user', a, u.userName)),
          GroupList: (await s.groupsForUser(a, u.userName)).map((g) => g.groupName),
          AttachedManagedPolicies: (await s.attachedPolicies('user', a, u.userName)).map(attachedWire),
          PermissionsBoundary: boundaryWire(u.permissionsBoundaryArn),
          Tags: u.tags.length > 0 ? tagsWire(u.tags) : undefined,
        }) });
      }
    }
    if (want.has('Group')) {
      for (const g of await s.listGroups(a)) {
        items.push({ key: `2${g.groupName.toLowerCase()}`, kind: 'group', build: async () => ({
          ...groupWire(g),
          GroupPolicyList: inlineWire(await s.inlinePolicies('group', a, g.groupName)),
          AttachedManagedPolicies: (await s.attachedPolicies('group', a, g.groupName)).map(attachedWire),
        }) });
      }
    }
    if (want.has('Role')) {
      for (const r of await s.listRoles(a)) {
        items.push({ key: `3${r.roleName.toLowerCase()}`, kind: 'role', build: async () => ({
          Path: r.path, RoleName: r.roleName, RoleId: r.roleId, Arn: r.arn, CreateDate: r.createDate,
          AssumeRolePolicyDocument: r.assumeRolePolicyDocument, InstanceProfileList: [],
          RolePolicyList: inlineWire(await s.inlinePolicies('role', a, r.roleName)),
          AttachedManagedPolicies: (await s.attachedPolicies('role', a, r.roleName)).map(attachedWire),
          PermissionsBoundary: boundaryWire(r.permissionsBoundaryArn),
          Tags: r.tags.length > 0 ? tagsWire(r.tags) : undefined,
          RoleLastUsed: {},
        }) });
      }
    }
    if (want.has('LocalManagedPolicy') || want.has('AWSManagedPolicy')) {
      for (const p of await s.listPolicies(a)) {
        const aws = p.accountId === 'aws';
        // AWS-managed policies appear once the account uses them, as in IAM.
        if (aws ? !want.has('AWSManagedPolicy') || (p.attachmentCount === 0 && p.permissionsBoundaryUsageCount === 0) : !want.has('LocalManagedPolicy')) continue;
        items.push({ key: `4${p.policyName.toLowerCase()}\u0000${p.accountId}`, kind: 'policy', build: () => policyDetail(ctx, p) });
      }
    }
    const page = paginate(items, (x) => x.key, i);
    const out = { UserDetailList: [] as unknown[], GroupDetailList: [] as unknown[], RoleDetailList: [] as unknown[], Policies: [] as unknown[] };
    for (const x of page.items) {
      const v = await x.build();
      if (x.kind === 'user') out.UserDetailList.push(v);
      else if (x.kind === 'group') out.GroupDetailList.push(v);
      else if (x.kind === 'role') out.RoleDetailList.push(v);
      else out.Policies.push(v);
    }
    return { ...out, IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const ACCOUNT_AUTHORIZATION_OPERATIONS = [getAccountAuthorizationDetails];
