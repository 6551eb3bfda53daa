// The role CreateAccount puts in every new member account: `OrganizationAccountAccessRole`
// (or the RoleName asked for), trusting the management account, with AdministratorAccess
// attached. Created through IAM's store, as IAM's own CreateRole/AttachRolePolicy would.
import { IamConflict, type IamStore } from '../../store/meta/iam-types.js';
import { randomIamIds } from '../iam/ids.js';

export const DEFAULT_MEMBER_ROLE = 'OrganizationAccountAccessRole';
export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

export interface MemberAccountRole {
  /** Idempotent: a role that already exists is kept (a restart may resume a request). */
  create(accountId: string, roleName: string, managementAccountId: string, now: Date): Promise<void>;
}

export function trustManagementAccount(managementAccountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
  });
}

export function iamMemberRole(iam: () => IamStore, uniqueId: (prefix: 'AROA') => string = randomIamIds.uniqueId): MemberAccountRole {
  return {
    async create(accountId, roleName, managementAccountId, now) {
      const store = iam();
      if (!(await store.getRole(accountId, roleName))) {
        try {
          await store.createRole({
            accountId, roleName, roleId: uniqueId('AROA'), path: '/', arn: `arn:aws:iam::${accountId}:role/${roleName}`, createDate: now,
            assumeRolePolicyDocument: trustManagementAccount(managementAccountId), maxSessionDuration: 3600, tags: [],
          });
        } catch (e) {
          if (!(e instanceof IamConflict && e.reason === 'exists')) throw e;
        }
      }
      await store.attachPolicy('role', accountId, roleName, ADMINISTRATOR_ACCESS);
    },
  };
}
