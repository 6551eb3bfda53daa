import { IamConflict, type ManagedPolicy } from '../../store/meta/iam-types.js';
import { policyArn, splitPolicyArn } from './arns.js';
import { iamOperation, type IamContext } from './context.js';
import { iamError, noSuchPolicy, notAttachable } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { checkManagedPolicy } from './policy-documents.js';
import { checkTagCount, requestTagConditions, tagPairs, type TagInput } from './tags.js';
import { policyWire, tagsWire, versionWire } from './wire.js';

/** A policy the caller's account can see: its own, or AWS-managed. */
export async function visiblePolicy(ctx: IamContext, arn: string): Promise<ManagedPolicy | undefined> {
  const p = await ctx.store.getPolicy(arn, ctx.accountId);
  return p && (p.accountId === ctx.accountId || p.accountId === 'aws') ? p : undefined;
}

export async function mustPolicy(ctx: IamContext, arn: string): Promise<ManagedPolicy> {
  const p = await visiblePolicy(ctx, arn);
  if (!p) throw noSuchPolicy(arn);
  return p;
}

/** The policy named as a permissions boundary: any managed policy the account can see. */
export async function boundaryPolicy(ctx: IamContext, arn: string): Promise<ManagedPolicy> {
  const p = await visiblePolicy(ctx, arn);
  if (!p) throw iamError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`);
  return p;
}

/** The account's own policy, for operations that change it (AWS-managed ones cannot be). */
async function ownPolicy(ctx: IamContext, arn: string): Promise<ManagedPolicy> {
  const p = await mustPolicy(ctx, arn);
  if (p.accountId === 'aws') throw iamError('AccessDenied', `Cannot modify the AWS managed policy ${p.arn}.`);
  return p;
}

function mustVersionId(v: string): string {
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(v)) throw iamError('ValidationError', `The specified value for versionId is invalid. It must be 'v' followed by a number.`);
  return v;
}

export const createPolicy = iamOperation<{ PolicyName: string; Path?: string; PolicyDocument: string; Description?: string; Tags?: TagInput[] }, unknown>(
  'CreatePolicy',
  (i, ctx) => policyArn(ctx.accountId, i.Path ?? '/', i.PolicyName),
  async (i, ctx) => {
    const tags = tagPairs(i.Tags);
    checkTagCount([], tags);
    checkManagedPolicy(i.PolicyDocument);
    const exists = (await ctx.store.listPolicies(ctx.accountId)).some((p) => p.accountId === ctx.accountId && p.policyName.toLowerCase() === i.PolicyName.toLowerCase());
    const duplicate = () => iamError('EntityAlreadyExists', `A policy called ${i.PolicyName} already exists. Duplicate names are not allowed.`);
    if (exists) throw duplicate();
    const now = ctx.now();
    const path = i.Path ?? '/';
    const p: ManagedPolicy = {
      accountId: ctx.accountId, policyName: i.PolicyName, policyId: ctx.ids.uniqueId('ANPA'), path, arn: policyArn(ctx.accountId, path, i.PolicyName),
      defaultVersionId: 'v1', attachmentCount: 0, permissionsBoundaryUsageCount: 0, isAttachable: true, createDate: now, updateDate: now, tags,
    };
    if (i.Description !== undefined) p.description = i.Description;
    try {
      await ctx.store.createPolicy(p, i.PolicyDocument);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'exists') throw duplicate();
      throw e;
    }
    return { Policy: policyWire(p) };
  },
  (i) => requestTagConditions(i.Tags),
);

export const getPolicy = iamOperation<{ PolicyArn: string }, unknown>(
  'GetPolicy',
  (i) => i.PolicyArn,
  async (i, ctx) => ({ Policy: policyWire(await mustPolicy(ctx, i.PolicyArn)) }),
);

export const listPolicies = iamOperation<{ Scope?: 'All' | 'AWS' | 'Local'; OnlyAttached?: boolean; PathPrefix?: string; PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary' } & PageInput, unknown>(
  'ListPolicies',
  () => '*',
  async (i, ctx) => {
    const scope = i.Scope ?? 'All';
    const prefix = i.PathPrefix ?? '/';
    const all = (await ctx.store.listPolicies(ctx.accountId)).filter((p) => {
      if (scope === 'AWS' && p.accountId !== 'aws') return false;
      if (scope === 'Local' && p.accountId === 'aws') return false;
      if (!p.path.startsWith(prefix)) return false;
      const asPolicy = p.attachmentCount > 0;
      const asBoundary = p.permissionsBoundaryUsageCount > 0;
      if (i.PolicyUsageFilter === 'PermissionsPolicy' && i.OnlyAttached && !asPolicy) return false;
      if (i.PolicyUsageFilter === 'PermissionsBoundary' && i.OnlyAttached && !asBoundary) return false;
      if (i.OnlyAttached && !i.PolicyUsageFilter && !asPolicy && !asBoundary) return false;
      return true;
    });
    const page = paginate(all, (p) => `${p.policyName.toLowerCase()}\u0000${p.accountId}`, i);
    return { Policies: page.items.map((p) => policyWire(p, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const deletePolicy = iamOperation<{ PolicyArn: string }, unknown>(
  'DeletePolicy',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await ownPolicy(ctx, i.PolicyArn);
    if (p.attachmentCount > 0 || p.permissionsBoundaryUsageCount > 0) throw iamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
    if ((await ctx.store.listPolicyVersions(p.arn)).length > 1) {
      throw iamError('DeleteConflict', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    try {
      await ctx.store.deletePolicy(p.arn);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'not-empty') throw iamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
      if (e instanceof IamConflict && e.reason === 'not-found') throw noSuchPolicy(i.PolicyArn);
      throw e;
    }
    return {};
  },
);

export const createPolicyVersion = iamOperation<{ PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }, unknown>(
  'CreatePolicyVersion',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await ownPolicy(ctx, i.PolicyArn);
    checkManagedPolicy(i.PolicyDocument);
    const tooMany = () => iamError('LimitExceeded', 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
    if ((await ctx.store.listPolicyVersions(p.arn)).length >= 5) throw tooMany();
    try {
      const v = await ctx.store.createPolicyVersion(p.arn, i.PolicyDocument, i.SetAsDefault ?? false, ctx.now());
      return { PolicyVersion: versionWire(v, false) };
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'limit') throw tooMany();
      throw e;
    }
  },
);

export const getPolicyVersion = iamOperation<{ PolicyArn: string; VersionId: string }, unknown>(
  'GetPolicyVersion',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await mustPolicy(ctx, i.PolicyArn);
    const v = await ctx.store.getPolicyVersion(p.arn, mustVersionId(i.VersionId));
    if (!v) throw iamError('NoSuchEntity', `Policy ${i.PolicyArn} version ${i.VersionId} does not exist or is not attachable.`);
    return { PolicyVersion: versionWire(v) };
  },
);

export const listPolicyVersions = iamOperation<{ PolicyArn: string } & PageInput, unknown>(
  'ListPolicyVersions',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await mustPolicy(ctx, i.PolicyArn);
    const all = await ctx.store.listPolicyVersions(p.arn);
    const page = paginate(all, (v) => v.versionId, i);
    return { Versions: page.items.map((v) => versionWire(v, false)), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const setDefaultPolicyVersion = iamOperation<{ PolicyArn: string; VersionId: string }, unknown>(
  'SetDefaultPolicyVersion',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await ownPolicy(ctx, i.PolicyArn);
    if (!(await ctx.store.getPolicyVersion(p.arn, mustVersionId(i.VersionId)))) {
      throw iamError('NoSuchEntity', `Policy ${i.PolicyArn} version ${i.VersionId} does not exist or is not attachable.`);
    }
    await ctx.store.setDefaultPolicyVersion(p.arn, i.VersionId, ctx.now());
    return {};
  },
);

export const deletePolicyVersion = iamOperation<{ PolicyArn: string; VersionId: string }, unknown>(
  'DeletePolicyVersion',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await ownPolicy(ctx, i.PolicyArn);
    const v = await ctx.store.getPolicyVersion(p.arn, mustVersionId(i.VersionId));
    if (!v) throw iamError('NoSuchEntity', `Policy ${i.PolicyArn} version ${i.VersionId} does not exist or is not attachable.`);
    if (v.isDefaultVersion) throw iamError('DeleteConflict', 'Cannot delete the default version of a policy.');
    await ctx.store.deletePolicyVersion(p.arn, v.versionId);
    return {};
  },
);

export const tagPolicy = iamOperation<{ PolicyArn: string; Tags: TagInput[] }, unknown>(
  'TagPolicy',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await ownPolicy(ctx, i.PolicyArn);
    const tags = tagPairs(i.Tags);
    checkTagCount(p.tags, tags);
    await ctx.store.tag({ kind: 'policy', arn: p.arn }, tags);
    return {};
  },
  (i) => requestTagConditions(i.Tags),
);

export const untagPolicy = iamOperation<{ PolicyArn: string; TagKeys: string[] }, unknown>(
  'UntagPolicy',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await ownPolicy(ctx, i.PolicyArn);
    await ctx.store.tag({ kind: 'policy', arn: p.arn }, [], i.TagKeys);
    return {};
  },
  (i) => ({ 'aws:TagKeys': i.TagKeys }),
);

export const listPolicyTags = iamOperation<{ PolicyArn: string } & PageInput, unknown>(
  'ListPolicyTags',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await mustPolicy(ctx, i.PolicyArn);
    const page = paginate(p.tags, ([k]) => k.toLowerCase(), i);
    return { Tags: tagsWire(page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const listEntitiesForPolicy = iamOperation<{ PolicyArn: string; EntityFilter?: string; PathPrefix?: string } & PageInput, unknown>(
  'ListEntitiesForPolicy',
  (i) => i.PolicyArn,
  async (i, ctx) => {
    const p = await mustPolicy(ctx, i.PolicyArn);
    const entities = await ctx.store.entitiesForPolicy(ctx.accountId, p.arn);
    const want = i.EntityFilter?.toLowerCase();
    const rows: Array<{ kind: string; name: string; id: string; path: string }> = [];
    for (const e of entities) {
      if (want && want !== e.kind) continue;
      const ent = e.kind === 'user' ? await ctx.store.getUser(ctx.accountId, e.name)
        : e.kind === 'group' ? await ctx.store.getGroup(ctx.accountId, e.name) : await ctx.store.getRole(ctx.accountId, e.name);
      if (!ent) continue;
      const id = 'userId' in ent ? ent.userId : 'groupId' in ent ? ent.groupId : ent.roleId;
      if (!ent.path.startsWith(i.PathPrefix ?? '/')) continue;
      rows.push({ kind: e.kind, name: e.name, id, path: ent.path });
    }
    const page = paginate(rows, (r) => `${r.kind}\u0000${r.name.toLowerCase()}`, i);
    return {
      PolicyGroups: page.items.filter((r) => r.kind === 'group').map((r) => ({ GroupName: r.name, GroupId: r.id })),
      PolicyUsers: page.items.filter((r) => r.kind === 'user').map((r) => ({ UserName: r.name, UserId: r.id })),
      PolicyRoles: page.items.filter((r) => r.kind === 'role').map((r) => ({ RoleName: r.name, RoleId: r.id })),
      IsTruncated: page.IsTruncated,
      Marker: page.Marker,
    };
  },
);

/** The policy an Attach*Policy names, or NoSuchEntity as IAM words it for attachments. */
export async function attachablePolicy(ctx: IamContext, arn: string): Promise<ManagedPolicy> {
  if (!splitPolicyArn(arn)) throw iamError('InvalidInput', `ARN ${arn} is not valid.`);
  const p = await visiblePolicy(ctx, arn);
  if (!p) throw notAttachable(arn);
  return p;
}

export const POLICY_OPERATIONS = [
  createPolicy, getPolicy, listPolicies, deletePolicy, createPolicyVersion, getPolicyVersion, listPolicyVersions,
  setDefaultPolicyVersion, deletePolicyVersion, tagPolicy, untagPolicy, listPolicyTags, listEntitiesForPolicy,
];
