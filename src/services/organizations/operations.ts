// The Organizations operation table: routing, authorization (each operation's
// `organizations:<Name>` on its resources) and NotImplemented derive from it. Operations of
// the model absent here answer NotImplemented (handshakes and invitations, closing and
// removing accounts, delegated administrators, service access, tags, resource policies,
// effective policies, DeleteOrganization).
import { ACCOUNT_OPERATIONS } from './accounts.js';
import { ATTACHMENT_OPERATIONS } from './attachments.js';
import type { OrgOperation } from './operation.js';
import type { OrganizationsOperationName } from './operation-names.js';
import { ORGANIZATION_OPERATIONS } from './organization.js';
import { POLICY_OPERATIONS } from './policies.js';
import { UNIT_OPERATIONS } from './units.js';

const ALL: OrgOperation[] = [...ORGANIZATION_OPERATIONS, ...ACCOUNT_OPERATIONS, ...UNIT_OPERATIONS, ...POLICY_OPERATIONS, ...ATTACHMENT_OPERATIONS];

export const ORGANIZATIONS_OPERATIONS: ReadonlyMap<OrganizationsOperationName, OrgOperation> = new Map(
  ALL.map((op) => [op.name as OrganizationsOperationName, op]),
);
