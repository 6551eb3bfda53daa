import { s3ControlError } from '../../errors/s3control.js';
import { parsePolicy, validatePolicy } from '../../policy/index.js';
import type { AccessGrantsInstanceRecord, Tag } from '../../store/meta/sqlite/s3control-types.js';
import { INSTANCE_ID, instanceArn } from './arns.js';
import type { S3ControlContext } from './context.js';
import { locationCovers, parseLocationScope } from './scope.js';
import { checkTags } from './tags.js';

/** Access Grants instances: one per account and region, and its resource policy. */

export interface AccountInput { AccountId: string }
export interface InstanceOutput {
  AccessGrantsInstanceId: string;
  AccessGrantsInstanceArn: string;
  CreatedAt: Date;
}

export function identityCenterUnsupported(): never {
  throw s3ControlError('NotImplemented', 'IAM Identity Center is not supported by Coffer: grant access to IAM users and roles (GranteeType IAM) instead.');
}

export function requireInstance(ctx: S3ControlContext): AccessGrantsInstanceRecord {
  const i = ctx.store.getInstance(ctx.accountId, ctx.region);
  if (!i) throw s3ControlError('AccessGrantsInstanceNotExistsError');
  return i;
}

const instanceOutput = (i: AccessGrantsInstanceRecord): InstanceOutput => ({
  AccessGrantsInstanceId: i.instanceId, AccessGrantsInstanceArn: i.arn, CreatedAt: new Date(i.createdAt),
});

export async function createAccessGrantsInstance(i: AccountInput & { IdentityCenterArn?: string; Tags?: Tag[] }, ctx: S3ControlContext): Promise<InstanceOutput> {
  if (i.IdentityCenterArn !== undefined) identityCenterUnsupported();
  const tags = checkTags(i.Tags ?? []);
  const rec: AccessGrantsInstanceRecord = {
    accountId: ctx.accountId, region: ctx.region, instanceId: INSTANCE_ID, arn: instanceArn(ctx.region, ctx.accountId),
    createdAt: ctx.now().getTime(), grantCount: 0, locationCount: 0,
  };
  if (await ctx.store.createInstance(rec, tags) === 'exists') throw s3ControlError('AccessGrantsInstanceAlreadyExists');
  return instanceOutput(rec);
}

export async function getAccessGrantsInstance(_i: AccountInput, ctx: S3ControlContext): Promise<InstanceOutput> {
  return instanceOutput(requireInstance(ctx));
}

export async function deleteAccessGrantsInstance(_i: AccountInput, ctx: S3ControlContext): Promise<void> {
  const r = await ctx.store.deleteInstance(ctx.accountId, ctx.region);
  if (r === 'missing') throw s3ControlError('AccessGrantsInstanceNotExistsError');
  if (r === 'not-empty') throw s3ControlError('AccessGrantsInstanceNotEmptyError');
}

export async function listAccessGrantsInstances(_i: AccountInput & { NextToken?: string; MaxResults?: number }, ctx: S3ControlContext): Promise<{ AccessGrantsInstancesList: InstanceOutput[] }> {
  const inst = ctx.store.getInstance(ctx.accountId, ctx.region);
  return { AccessGrantsInstancesList: inst ? [instanceOutput(inst)] : [] };
}

export async function getAccessGrantsInstanceForPrefix(i: AccountInput & { S3Prefix: string }, ctx: S3ControlContext): Promise<{ AccessGrantsInstanceArn: string; AccessGrantsInstanceId: string }> {
  const inst = requireInstance(ctx);
  if (!i.S3Prefix.startsWith('s3://')) throw s3ControlError('InvalidRequest', 'S3Prefix must start with s3://');
  const key = i.S3Prefix.slice(5).replace(/\*$/, '');
  const covered = ctx.store.listLocations(ctx.accountId, ctx.region, { limit: 1000 }).some((l) => locationCovers(parseLocationScope(l.scope), key));
  if (!covered) throw s3ControlError('AccessGrantsInstanceNotExistsError', `No Access Grants location of this instance covers ${i.S3Prefix}`);
  return { AccessGrantsInstanceArn: inst.arn, AccessGrantsInstanceId: inst.instanceId };
}

export interface PolicyOutput { Policy: string; Organization?: string; CreatedAt: Date }

export async function putAccessGrantsInstanceResourcePolicy(i: AccountInput & { Policy: string; Organization?: string }, ctx: S3ControlContext): Promise<PolicyOutput> {
  requireInstance(ctx);
  const { document, errors } = parsePolicy(i.Policy);
  if (!document || errors.length) throw s3ControlError('InvalidResourcePolicy', `The specified Resource Policy is invalid: ${errors[0]?.message ?? 'not a JSON policy document'}`);
  const v = validatePolicy(document, 'resource');
  if (v.errors.length) throw s3ControlError('InvalidResourcePolicy', `The specified Resource Policy is invalid: ${v.errors[0]!.path}: ${v.errors[0]!.message}`);
  const at = ctx.now().getTime();
  await ctx.store.putInstancePolicy(ctx.accountId, ctx.region, i.Policy, i.Organization, at);
  const out: PolicyOutput = { Policy: i.Policy, CreatedAt: new Date(at) };
  if (i.Organization !== undefined) out.Organization = i.Organization;
  return out;
}

export async function getAccessGrantsInstanceResourcePolicy(_i: AccountInput, ctx: S3ControlContext): Promise<PolicyOutput> {
  const inst = requireInstance(ctx);
  if (inst.policy === undefined) throw s3ControlError('AccessGrantsInstanceResourcePolicyNotExists');
  const out: PolicyOutput = { Policy: inst.policy, CreatedAt: new Date(inst.policyCreatedAt ?? inst.createdAt) };
  if (inst.policyOrganization !== undefined) out.Organization = inst.policyOrganization;
  return out;
}

export async function deleteAccessGrantsInstanceResourcePolicy(_i: AccountInput, ctx: S3ControlContext): Promise<void> {
  const inst = requireInstance(ctx);
  if (inst.policy === undefined) throw s3ControlError('AccessGrantsInstanceResourcePolicyNotExists');
  await ctx.store.putInstancePolicy(ctx.accountId, ctx.region, undefined, undefined, ctx.now().getTime());
}
