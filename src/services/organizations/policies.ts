// Policies: CreatePolicy, UpdatePolicy, DescribePolicy, ListPolicies, DeletePolicy. Coffer
// enforces service control policies only; their content is checked as an SCP (size first,
// 5,120 characters, then the grammar) before it is stored.
import { constraintViolation, invalidInput, organizationsError } from '../../errors/organizations.js';
import { checkPolicySize, validatePolicy } from '../../policy/index.js';
import { SCP, type OrganizationRecord, type OrgPolicyRecord } from '../../store/meta/sqlite/organizations-store.js';
import { policyArn } from './arns.js';
import { optString, page, paging, policyType, reqString, PATTERNS, type Paging, type PolicyTypeName, refuseTags } from './input.js';
import { withConflicts } from './conflicts.js';
import { orgOperation } from './operation.js';
import type { OrgContext } from './service.js';

/** Content of an SCP: within the size quota and valid by the SCP grammar. */
export function checkScpContent(content: string): void {
  if (!checkPolicySize(content, 'scp').ok) {
    throw constraintViolation('POLICY_CONTENT_LIMIT_EXCEEDED', 'You provided a policy document that exceeds the maximum size of 5120 characters.');
  }
  const v = validatePolicy(content, 'scp');
  if (v.errors.length > 0) {
    const first = v.errors[0]!;
    // AWS's message, then where the document fails (Coffer's addition, for the reader).
    throw organizationsError('MalformedPolicyDocumentException',
      `The provided policy document does not meet the requirements of the specified policy type. (${first.path || 'document'}: ${first.detail ?? first.code})`);
  }
}

/** Coffer stores and enforces SCPs; other policy types are refused as unavailable. */
export function requireScp(type: PolicyTypeName): void {
  if (type !== SCP) throw organizationsError('PolicyTypeNotAvailableForOrganizationException', `Coffer enforces only ${SCP} policies, not ${type}.`);
}

export function policyShape(org: OrganizationRecord, ctx: OrgContext, p: OrgPolicyRecord): Record<string, unknown> {
  return { PolicySummary: ctx.orgs.policySummary(org, p), Content: p.content };
}

/** The policy's ARN for authorization; an unknown id is named as a customer SCP would be. */
export function policyResource(ctx: OrgContext, id: string): string {
  const o = ctx.orgs.orgForArns();
  if (!o) return '*';
  const p = ctx.orgs.store.policy(id);
  return policyArn(o.mgmt, o.orgId, p ?? { id, type: SCP, awsManaged: false });
}

export function mustPolicy(ctx: OrgContext, id: string): OrgPolicyRecord {
  const p = ctx.orgs.store.policy(id);
  if (!p) throw organizationsError('PolicyNotFoundException');
  return p;
}

const policyId = (raw: Record<string, unknown>): string => reqString(raw, 'PolicyId', { max: 130, pattern: PATTERNS.policyId, patternReason: 'INVALID_SYNTAX_POLICY_ID' });
const immutable = () => invalidInput('IMMUTABLE_POLICY', "You can't modify or delete a policy that AWS manages.");

interface CreatePolicyInput { content: string; description: string; name: string; type: PolicyTypeName }

export const CreatePolicy = orgOperation<CreatePolicyInput>({
  name: 'CreatePolicy',
  validate: (raw) => {
    refuseTags(raw);
    return {
      content: reqString(raw, 'Content', { min: 1 }),
      description: reqString(raw, 'Description', { max: 512 }),
      name: reqString(raw, 'Name', { min: 1, max: 128 }),
      type: policyType(raw, 'Type'),
    };
  },
  resources: () => ['*'],
  conditions: (input) => ({ 'organizations:PolicyType': input.type }),
  async handler(input, ctx) {
    const { orgs } = ctx;
    const org = orgs.requireManagement(ctx.principal);
    requireScp(input.type);
    if (org.featureSet !== 'ALL') throw organizationsError('PolicyTypeNotAvailableForOrganizationException');
    checkScpContent(input.content);
    const p: OrgPolicyRecord = {
      id: orgs.ids.policyId(), type: input.type, name: input.name, description: input.description, content: input.content, awsManaged: false, createdAt: orgs.now(),
    };
    await withConflicts(orgs.store.createPolicy(p), { 'duplicate-name': () => organizationsError('DuplicatePolicyException') });
    return { Policy: policyShape(org, ctx, p) };
  },
});

interface UpdatePolicyInput { id: string; name?: string; description?: string; content?: string }

export const UpdatePolicy = orgOperation<UpdatePolicyInput>({
  name: 'UpdatePolicy',
  validate(raw) {
    const input: UpdatePolicyInput = { id: policyId(raw) };
    const name = optString(raw, 'Name', { min: 1, max: 128 });
    const description = optString(raw, 'Description', { max: 512 });
    const content = optString(raw, 'Content', { min: 1 });
    if (name !== undefined) input.name = name;
    if (description !== undefined) input.description = description;
    if (content !== undefined) input.content = content;
    return input;
  },
  resources: (input, ctx) => [policyResource(ctx, input.id)],
  conditions: (input, ctx) => ({ 'organizations:PolicyType': ctx.orgs.store.policy(input.id)?.type ?? SCP }),
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    const current = mustPolicy(ctx, input.id);
    if (current.awsManaged) throw immutable();
    if (input.content !== undefined) checkScpContent(input.content);
    const changes: { name?: string; description?: string; content?: string } = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.content !== undefined) changes.content = input.content;
    const p = await withConflicts(ctx.orgs.store.updatePolicy(input.id, changes), {
      'duplicate-name': () => organizationsError('DuplicatePolicyException'),
      'not-found': () => organizationsError('PolicyNotFoundException'),
    });
    return { Policy: policyShape(org, ctx, p) };
  },
});

export const DescribePolicy = orgOperation<{ id: string }>({
  name: 'DescribePolicy',
  validate: (raw) => ({ id: policyId(raw) }),
  resources: (input, ctx) => [policyResource(ctx, input.id)],
  conditions: (input, ctx) => ({ 'organizations:PolicyType': ctx.orgs.store.policy(input.id)?.type ?? SCP }),
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    return { Policy: policyShape(org, ctx, mustPolicy(ctx, input.id)) };
  },
});

export const ListPolicies = orgOperation<Paging & { filter: PolicyTypeName }>({
  name: 'ListPolicies',
  validate: (raw) => ({ ...paging(raw), filter: policyType(raw, 'Filter') }),
  resources: () => ['*'],
  conditions: (input) => ({ 'organizations:PolicyType': input.filter }),
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    return page(ctx.orgs.store.policies(input.filter).map((p) => ctx.orgs.policySummary(org, p)), input, 'Policies');
  },
});

export const DeletePolicy = orgOperation<{ id: string }>({
  name: 'DeletePolicy',
  validate: (raw) => ({ id: policyId(raw) }),
  resources: (input, ctx) => [policyResource(ctx, input.id)],
  conditions: (input, ctx) => ({ 'organizations:PolicyType': ctx.orgs.store.policy(input.id)?.type ?? SCP }),
  async handler(input, ctx) {
    ctx.orgs.requireManagement(ctx.principal);
    if (mustPolicy(ctx, input.id).awsManaged) throw immutable();
    await withConflicts(ctx.orgs.store.deletePolicy(input.id), {
      'in-use': () => organizationsError('PolicyInUseException'),
      'not-found': () => organizationsError('PolicyNotFoundException'),
    });
    return {};
  },
});

export const POLICY_OPERATIONS = [CreatePolicy, UpdatePolicy, DescribePolicy, ListPolicies, DeletePolicy];
