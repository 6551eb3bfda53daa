// The organization and its root: CreateOrganization, DescribeOrganization, ListRoots,
// EnablePolicyType, DisablePolicyType. Coffer has one organization; its management
// account is Coffer's management account (DESIGN §5).
import { organizationsError } from '../../errors/organizations.js';
import { SCP, type FeatureSet } from '../../store/meta/sqlite/organizations-store.js';
import { optEnum, page, paging, policyType, reqString, PATTERNS, type Paging, type PolicyTypeName } from './input.js';
import { withConflicts } from './conflicts.js';
import { noInput, orgOperation } from './operation.js';
import type { OrgContext } from './service.js';

export const CreateOrganization = orgOperation<{ featureSet: FeatureSet }>({
  name: 'CreateOrganization',
  validate: (raw) => ({ featureSet: optEnum(raw, 'FeatureSet', ['ALL', 'CONSOLIDATED_BILLING'] as const) ?? 'ALL' }),
  resources: () => ['*'],
  async handler(input, ctx) {
    const { orgs, principal } = ctx;
    const existing = orgs.store.organization();
    if (existing && orgs.store.member(principal.accountId)) throw organizationsError('AlreadyInOrganizationException');
    if (principal.accountId !== orgs.managementAccountId) {
      throw organizationsError('AccessDeniedException', `Coffer has one organization, managed by its management account ${orgs.managementAccountId}.`);
    }
    const org = await withConflicts(orgs.createOrganization(input.featureSet), { exists: () => organizationsError('AlreadyInOrganizationException') });
    return { Organization: await orgs.organizationShape(org) };
  },
});

export const DescribeOrganization = orgOperation({
  name: 'DescribeOrganization',
  validate: noInput,
  resources: () => ['*'],
  async handler(_input, ctx) {
    const org = ctx.orgs.requireMember(ctx.principal);
    return { Organization: await ctx.orgs.organizationShape(org) };
  },
});

export const ListRoots = orgOperation<Paging>({
  name: 'ListRoots',
  validate: paging,
  resources: () => ['*'],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    const root = ctx.orgs.store.root();
    return page(root ? [ctx.orgs.rootShape(org, root)] : [], input, 'Roots');
  },
});

interface PolicyTypeInput { rootId: string; policyType: PolicyTypeName }

const policyTypeInput = (raw: Record<string, unknown>): PolicyTypeInput => ({
  rootId: reqString(raw, 'RootId', { max: 34, pattern: PATTERNS.rootId }),
  policyType: policyType(raw, 'PolicyType'),
});

async function setPolicyType(input: PolicyTypeInput, ctx: OrgContext, enabled: boolean): Promise<unknown> {
  const { orgs } = ctx;
  const org = orgs.requireManagement(ctx.principal);
  const root = orgs.store.root();
  if (!root || root.id !== input.rootId) throw organizationsError('RootNotFoundException');
  if (org.featureSet !== 'ALL' || input.policyType !== SCP) {
    throw organizationsError('PolicyTypeNotAvailableForOrganizationException', org.featureSet !== 'ALL'
      ? "You can't use the specified policy type with the feature set currently enabled for this organization."
      : `Coffer enforces only ${SCP} policies.`);
  }
  await withConflicts(orgs.store.setScpEnabled(root.id, enabled), {
    exists: () => organizationsError(enabled ? 'PolicyTypeAlreadyEnabledException' : 'PolicyTypeNotEnabledException'),
  });
  return { Root: orgs.rootShape(org, orgs.store.root()!) };
}

const policyTypeResource = (input: PolicyTypeInput, ctx: OrgContext) => [ctx.orgs.targetArn(input.rootId)];

export const EnablePolicyType = orgOperation<PolicyTypeInput>({
  name: 'EnablePolicyType',
  validate: policyTypeInput,
  resources: policyTypeResource,
  conditions: (input) => ({ 'organizations:PolicyType': input.policyType }),
  handler: (input, ctx) => setPolicyType(input, ctx, true),
});

export const DisablePolicyType = orgOperation<PolicyTypeInput>({
  name: 'DisablePolicyType',
  validate: policyTypeInput,
  resources: policyTypeResource,
  conditions: (input) => ({ 'organizations:PolicyType': input.policyType }),
  handler: (input, ctx) => setPolicyType(input, ctx, false),
});

export const ORGANIZATION_OPERATIONS = [CreateOrganization, DescribeOrganization, ListRoots, EnablePolicyType, DisablePolicyType];
