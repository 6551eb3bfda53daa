// Attachments: AttachPolicy, DetachPolicy, ListPoliciesForTarget, ListTargetsForPolicy.
// While SCPs are enabled every root, OU and account keeps at least one SCP, and at most five.
import { constraintViolation, organizationsError } from '../../errors/organizations.js';
import { MAX_SCPS_PER_TARGET, SCP } from '../../store/meta/sqlite/organizations-store.js';
import { page, paging, policyType, reqString, PATTERNS, type Paging, type PolicyTypeName } from './input.js';
import { withConflicts } from './conflicts.js';
import { orgOperation } from './operation.js';
import { mustPolicy, policyResource, requireScp } from './policies.js';
import type { OrgContext } from './service.js';

interface AttachInput { policyId: string; targetId: string }

const attachInput = (raw: Record<string, unknown>): AttachInput => ({
  policyId: reqString(raw, 'PolicyId', { max: 130, pattern: PATTERNS.policyId, patternReason: 'INVALID_SYNTAX_POLICY_ID' }),
  targetId: reqString(raw, 'TargetId', { max: 100, pattern: PATTERNS.targetId, patternReason: 'INVALID_PATTERN_TARGET_ID' }),
});

const targetId = (raw: Record<string, unknown>): string => reqString(raw, 'TargetId', { max: 100, pattern: PATTERNS.targetId, patternReason: 'INVALID_PATTERN_TARGET_ID' });

const policyTypeOf = (input: { policyId: string }, ctx: OrgContext) => ({ 'organizations:PolicyType': ctx.orgs.store.policy(input.policyId)?.type ?? SCP });

async function checked(input: AttachInput, ctx: OrgContext): Promise<void> {
  const { orgs } = ctx;
  const org = orgs.requireManagement(ctx.principal);
  const p = mustPolicy(ctx, input.policyId);
  if (!(await orgs.target(org, input.targetId))) throw organizationsError('TargetNotFoundException');
  if (!orgs.store.root()?.scpEnabled || p.type !== SCP) throw organizationsError('PolicyTypeNotEnabledException');
}

export const AttachPolicy = orgOperation<AttachInput>({
  name: 'AttachPolicy',
  validate: attachInput,
  resources: (input, ctx) => [policyResource(ctx, input.policyId), ctx.orgs.targetArn(input.targetId)],
  conditions: policyTypeOf,
  async handler(input, ctx) {
    await checked(input, ctx);
    await withConflicts(ctx.orgs.store.attach(input.policyId, input.targetId), {
      attached: () => organizationsError('DuplicatePolicyAttachmentException'),
      'too-many': () => constraintViolation('MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', `You have attached the maximum number of policies of this type (${MAX_SCPS_PER_TARGET}) to the target.`),
      'not-found': () => organizationsError('PolicyNotFoundException'),
    });
    return {};
  },
});

export const DetachPolicy = orgOperation<AttachInput>({
  name: 'DetachPolicy',
  validate: attachInput,
  resources: (input, ctx) => [policyResource(ctx, input.policyId), ctx.orgs.targetArn(input.targetId)],
  conditions: policyTypeOf,
  async handler(input, ctx) {
    await checked(input, ctx);
    await withConflicts(ctx.orgs.store.detach(input.policyId, input.targetId), {
      'not-attached': () => organizationsError('PolicyNotAttachedException'),
      'last-policy': () => constraintViolation('MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', 'You attempted to detach the last policy of this type from the target; every root, OU and account must keep at least one.'),
      'not-found': () => organizationsError('PolicyNotFoundException'),
    });
    return {};
  },
});

export const ListPoliciesForTarget = orgOperation<Paging & { targetId: string; filter: PolicyTypeName }>({
  name: 'ListPoliciesForTarget',
  validate: (raw) => ({ ...paging(raw), targetId: targetId(raw), filter: policyType(raw, 'Filter') }),
  resources: (input, ctx) => [ctx.orgs.targetArn(input.targetId)],
  conditions: (input) => ({ 'organizations:PolicyType': input.filter }),
  async handler(input, ctx) {
    const { orgs } = ctx;
    const org = orgs.requireManagement(ctx.principal);
    if (!(await orgs.target(org, input.targetId))) throw organizationsError('TargetNotFoundException');
    requireScp(input.filter);
    return page(orgs.store.policiesFor(input.targetId, input.filter).map((p) => orgs.policySummary(org, p)), input, 'Policies');
  },
});

export const ListTargetsForPolicy = orgOperation<Paging & { policyId: string }>({
  name: 'ListTargetsForPolicy',
  validate: (raw) => ({
    ...paging(raw),
    policyId: reqString(raw, 'PolicyId', { max: 130, pattern: PATTERNS.policyId, patternReason: 'INVALID_SYNTAX_POLICY_ID' }),
  }),
  resources: (input, ctx) => [policyResource(ctx, input.policyId)],
  conditions: policyTypeOf,
  async handler(input, ctx) {
    const { orgs } = ctx;
    const org = orgs.requireManagement(ctx.principal);
    mustPolicy(ctx, input.policyId);
    const p = page(orgs.store.targetsFor(input.policyId), input, 'Targets');
    const targets = [];
    for (const id of p.Targets) {
      const t = await orgs.target(org, id);
      if (t) targets.push({ TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.type });
    }
    return { ...p, Targets: targets };
  },
});

export const ATTACHMENT_OPERATIONS = [AttachPolicy, DetachPolicy, ListPoliciesForTarget, ListTargetsForPolicy];
