import type { Principal } from '../../auth/principal.js';
import { contextFromEntries, simulate, type EvaluationResult, type SimulatedPolicy } from '../../authz/simulate.js';
import { parsePolicy, validatePolicy } from '../../policy/index.js';
import type { LabeledPolicy } from '../../store/meta/iam-types.js';
import { iamOperation } from './context.js';
import { iamError } from './errors.js';
import { paginate, type PageInput } from './pagination.js';

/** SimulatePrincipalPolicy and SimulateCustomPolicy, on the engine that decides real requests. */

interface SimulationInput extends PageInput {
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: Array<{ ContextKeyName?: string; ContextKeyValues?: string[]; ContextKeyType?: string }>;
}

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)\/(?:.*\/)?([\w+=,.@-]+)$/;

function sourceType(label: string): string {
  if (label.startsWith('arn:aws:iam::aws:policy/')) return 'aws-managed';
  if (label.startsWith('arn:aws:iam::')) return 'user-managed';
  return label.slice(0, label.indexOf('/'));
}

function checked(list: string[] | undefined, kind: 'identity' | 'boundary', prefix: string): SimulatedPolicy[] {
  return (list ?? []).map((document, i) => {
    const { document: doc, errors } = parsePolicy(document);
    const v = doc ? validatePolicy(doc, kind) : undefined;
    const problem = errors[0]?.message ?? v?.errors[0]?.message;
    if (problem) throw iamError('MalformedPolicyDocument', problem);
    return { id: `${prefix}.${i + 1}`, type: 'none', document };
  });
}

function resourcePolicyOf(i: SimulationInput): SimulatedPolicy | undefined {
  if (i.ResourcePolicy === undefined) return undefined;
  const { document, errors } = parsePolicy(i.ResourcePolicy);
  if (!document || errors.length) throw iamError('MalformedPolicyDocument', errors[0]?.message ?? 'Syntax errors in policy.');
  return { id: 'ResourcePolicy', type: 'resource', document: i.ResourcePolicy };
}

function callerPrincipal(callerArn: string | undefined, fallbackAccount: string): Principal {
  const arn = callerArn ?? `arn:aws:iam::${fallbackAccount}:user/SimulatedUser`;
  const m = ENTITY_ARN.exec(arn);
  if (!m || m[2] !== 'user') throw iamError('InvalidInput', 'Invalid CallerArn: only IAM user ARNs can be simulated as the caller.');
  return { type: 'User', accountId: m[1]!, arn, userId: arn, userName: m[3]! };
}

function page(results: EvaluationResult[], i: SimulationInput) {
  const keyed = results.map((r, n) => ({ r, k: String(n).padStart(8, '0') }));
  const p = paginate(keyed, (x) => x.k, i);
  return { EvaluationResults: p.items.map((x) => x.r), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

export const simulateCustomPolicy = iamOperation<SimulationInput, unknown>(
  'SimulateCustomPolicy',
  () => '*',
  async (i, ctx) => {
    const results = simulate({
      principal: callerPrincipal(i.CallerArn, ctx.accountId),
      identity: checked(i.PolicyInputList, 'identity', 'PolicyInputList'),
      boundaries: checked(i.PermissionsBoundaryPolicyInputList, 'boundary', 'PermissionsBoundaryPolicyInputList'),
      actions: i.ActionNames,
      resources: i.ResourceArns ?? ['*'],
      ...(resourcePolicyOf(i) ? { resourcePolicy: resourcePolicyOf(i)! } : {}),
      ...(i.ResourceOwner ? { resourceOwner: i.ResourceOwner.replace(/^arn:aws:iam::(\d{12}):root$/, '$1') } : {}),
      context: contextFromEntries(i.ContextEntries),
    });
    return page(results, i);
  },
);

export const simulatePrincipalPolicy = iamOperation<SimulationInput & { PolicySourceArn: string }, unknown>(
  'SimulatePrincipalPolicy',
  (i) => i.PolicySourceArn,
  async (i, ctx) => {
    const m = ENTITY_ARN.exec(i.PolicySourceArn);
    if (!m) throw iamError('InvalidInput', `Invalid ARN for PolicySourceArn: ${i.PolicySourceArn}`);
    const [, accountId, kind, name] = m as unknown as [string, string, 'user' | 'group' | 'role', string];
    let identity: LabeledPolicy[] = [];
    let boundary: LabeledPolicy | undefined;
    let tags: Record<string, string> = {};
    let principal: Principal;
    if (kind === 'user') {
      const pp = await ctx.store.userPolicies(accountId, name);
      const u = await ctx.store.getUser(accountId, name);
      if (!pp || !u) throw iamError('NoSuchEntity', `The user with name ${name} cannot be found.`);
      ({ identity, boundary, tags } = pp);
      principal = { type: 'User', accountId, arn: u.arn, userId: u.userId, userName: u.userName };
    } else if (kind === 'role') {
      const pp = await ctx.store.rolePolicies(accountId, name);
      const r = await ctx.store.getRole(accountId, name);
      if (!pp || !r) throw iamError('NoSuchEntity', `The role with name ${name} cannot be found.`);
      ({ identity, boundary, tags } = pp);
      principal = { type: 'AssumedRole', accountId, arn: r.arn, roleArn: r.arn, userId: r.roleId };
    } else {
      const g = await ctx.store.getGroup(accountId, name);
      if (!g) throw iamError('NoSuchEntity', `The group with name ${name} cannot be found.`);
      identity = await ctx.store.groupPolicies(accountId, name);
      principal = callerPrincipal(i.CallerArn, accountId);
    }
    if (i.CallerArn !== undefined && kind === 'user') principal = { ...principal, ...callerPrincipal(i.CallerArn, accountId) };
    const boundaries = i.PermissionsBoundaryPolicyInputList !== undefined
      ? checked(i.PermissionsBoundaryPolicyInputList, 'boundary', 'PermissionsBoundaryPolicyInputList')
      : boundary ? [{ id: boundary.label, type: sourceType(boundary.label), document: boundary.document }] : [];
    const results = simulate({
      principal,
      identity: [
        ...identity.map((p) => ({ id: p.label, type: sourceType(p.label), document: p.document })),
        ...checked(i.PolicyInputList, 'identity', 'PolicyInputList'),
      ],
      boundaries,
      actions: i.ActionNames,
      resources: i.ResourceArns ?? ['*'],
      ...(resourcePolicyOf(i) ? { resourcePolicy: resourcePolicyOf(i)! } : {}),
      ...(i.ResourceOwner ? { resourceOwner: i.ResourceOwner.replace(/^arn:aws:iam::(\d{12}):root$/, '$1') } : {}),
      context: contextFromEntries(i.ContextEntries),
      principalTags: tags,
    });
    return page(results, i);
  },
);

export const SIMULATE_OPERATIONS = [simulateCustomPolicy, simulatePrincipalPolicy];
