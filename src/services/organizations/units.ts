// Organizational units: CreateOrganizationalUnit, DescribeOrganizationalUnit,
// UpdateOrganizationalUnit, DeleteOrganizationalUnit, ListOrganizationalUnitsForParent,
// ListChildren. OUs nest at most five deep under the root.
import { constraintViolation, organizationsError } from '../../errors/organizations.js';
import { type OrganizationRecord, type OrgUnitRecord } from '../../store/meta/sqlite/organizations-store.js';
import { ouArn } from './arns.js';
import { page, paging, reqEnum, reqString, PATTERNS, type Paging, refuseTags } from './input.js';
import { withConflicts } from './conflicts.js';
import { orgOperation } from './operation.js';
import type { OrgContext } from './service.js';

const MAX_OU_DEPTH = 5;

function unitShape(org: OrganizationRecord, u: OrgUnitRecord): Record<string, unknown> {
  return { Id: u.id, Arn: ouArn(org.managementAccountId, org.id, u.id), Name: u.name };
}

const ouName = (raw: Record<string, unknown>): string => reqString(raw, 'Name', { min: 1, max: 128 });
const ouId = (raw: Record<string, unknown>): string => reqString(raw, 'OrganizationalUnitId', { max: 68, pattern: PATTERNS.ouId });

function mustUnit(ctx: OrgContext, id: string): OrgUnitRecord {
  const u = ctx.orgs.store.unit(id);
  if (!u) throw organizationsError('OrganizationalUnitNotFoundException');
  return u;
}

export const CreateOrganizationalUnit = orgOperation<{ parentId: string; name: string }>({
  name: 'CreateOrganizationalUnit',
  validate: (raw) => {
    refuseTags(raw);
    return { parentId: reqString(raw, 'ParentId', { max: 100, pattern: PATTERNS.parentId }), name: ouName(raw) };
  },
  resources: (input, ctx) => [ctx.orgs.targetArn(input.parentId)],
  async handler(input, ctx) {
    const { orgs } = ctx;
    const org = orgs.requireManagement(ctx.principal);
    if (!orgs.parentExists(input.parentId)) throw organizationsError('ParentNotFoundException');
    // The path is the root and the OUs above the new one.
    if (orgs.pathTo(input.parentId).length > MAX_OU_DEPTH) throw constraintViolation('OU_DEPTH_LIMIT_EXCEEDED', 'You have exceeded the maximum depth of OUs in the root.');
    const u: OrgUnitRecord = { id: orgs.ids.ouId(orgs.store.root()!.id), parentId: input.parentId, name: input.name, createdAt: orgs.now() };
    await withConflicts(orgs.store.createUnit(u), { 'duplicate-name': () => organizationsError('DuplicateOrganizationalUnitException') });
    return { OrganizationalUnit: unitShape(org, u) };
  },
});

export const DescribeOrganizationalUnit = orgOperation<{ id: string }>({
  name: 'DescribeOrganizationalUnit',
  validate: (raw) => ({ id: ouId(raw) }),
  resources: (input, ctx) => [ctx.orgs.targetArn(input.id)],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    return { OrganizationalUnit: unitShape(org, mustUnit(ctx, input.id)) };
  },
});

export const UpdateOrganizationalUnit = orgOperation<{ id: string; name?: string }>({
  name: 'UpdateOrganizationalUnit',
  validate(raw) {
    const input: { id: string; name?: string } = { id: ouId(raw) };
    if (raw['Name'] !== undefined && raw['Name'] !== null) input.name = ouName(raw);
    return input;
  },
  resources: (input, ctx) => [ctx.orgs.targetArn(input.id)],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    mustUnit(ctx, input.id);
    if (input.name !== undefined) {
      await withConflicts(ctx.orgs.store.renameUnit(input.id, input.name), {
        'duplicate-name': () => organizationsError('DuplicateOrganizationalUnitException'),
        'not-found': () => organizationsError('OrganizationalUnitNotFoundException'),
      });
    }
    return { OrganizationalUnit: unitShape(org, mustUnit(ctx, input.id)) };
  },
});

export const DeleteOrganizationalUnit = orgOperation<{ id: string }>({
  name: 'DeleteOrganizationalUnit',
  validate: (raw) => ({ id: ouId(raw) }),
  resources: (input, ctx) => [ctx.orgs.targetArn(input.id)],
  async handler(input, ctx) {
    ctx.orgs.requireManagement(ctx.principal);
    await withConflicts(ctx.orgs.store.deleteUnit(input.id), {
      'not-found': () => organizationsError('OrganizationalUnitNotFoundException'),
      'not-empty': () => organizationsError('OrganizationalUnitNotEmptyException'),
    });
    return {};
  },
});

interface ParentInput extends Paging { parentId: string }
const parentInput = (raw: Record<string, unknown>): ParentInput => ({ ...paging(raw), parentId: reqString(raw, 'ParentId', { max: 100, pattern: PATTERNS.parentId }) });

export const ListOrganizationalUnitsForParent = orgOperation<ParentInput>({
  name: 'ListOrganizationalUnitsForParent',
  validate: parentInput,
  resources: (input, ctx) => [ctx.orgs.targetArn(input.parentId)],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    if (!ctx.orgs.parentExists(input.parentId)) throw organizationsError('ParentNotFoundException');
    return page(ctx.orgs.store.units(input.parentId).map((u) => unitShape(org, u)), input, 'OrganizationalUnits');
  },
});

export const ListChildren = orgOperation<ParentInput & { childType: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT' }>({
  name: 'ListChildren',
  validate: (raw) => ({ ...parentInput(raw), childType: reqEnum(raw, 'ChildType', ['ACCOUNT', 'ORGANIZATIONAL_UNIT'] as const) }),
  resources: (input, ctx) => [ctx.orgs.targetArn(input.parentId)],
  async handler(input, ctx) {
    const { orgs } = ctx;
    orgs.requireManagement(ctx.principal);
    if (!orgs.parentExists(input.parentId)) throw organizationsError('ParentNotFoundException');
    const ids = input.childType === 'ACCOUNT' ? orgs.store.members(input.parentId).map((m) => m.accountId) : orgs.store.units(input.parentId).map((u) => u.id);
    return page(ids.map((Id) => ({ Id, Type: input.childType })), input, 'Children');
  },
});

export const UNIT_OPERATIONS = [
  CreateOrganizationalUnit, DescribeOrganizationalUnit, UpdateOrganizationalUnit, DeleteOrganizationalUnit, ListOrganizationalUnitsForParent, ListChildren,
];
