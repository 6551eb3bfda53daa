/**
 * The principal-derived global condition keys, as the IAM User Guide tabulates them
 * ("IAM policy elements: Variables and tags", principal key values; "AWS global condition
 * context keys"). The engine itself reads only the request context; callers merge these in.
 *
 * | principal      | aws:username | aws:userid                 | aws:PrincipalType | aws:PrincipalArn |
 * | root user      | —            | account id                 | Account           | root ARN         |
 * | IAM user       | user name    | unique id (AIDA...)        | User              | user ARN         |
 * | role session   | —            | role-id:session-name       | AssumedRole       | role ARN         |
 * | federated user | —            | account:caller-given name  | FederatedUser     | federated ARN    |
 * | anonymous      | —            | —                          | Anonymous         | —                |
 */
import { splitArn } from './arn.js';
import type { RequestPrincipal } from './types.js';

export function principalContextKeys(p: RequestPrincipal): Record<string, string> {
  const out: Record<string, string> = {};
  const resourcePart = (p.arn && splitArn(p.arn)?.[5]) ?? '';
  switch (p.type) {
    case 'Account':
      out['aws:PrincipalType'] = 'Account';
      if (p.accountId) out['aws:userid'] = p.accountId;
      break;
    case 'User':
      out['aws:PrincipalType'] = 'User';
      // The friendly name is the last path segment of user/path/name.
      if (resourcePart.startsWith('user/')) out['aws:username'] = resourcePart.slice(resourcePart.lastIndexOf('/') + 1);
      if (p.userId) out['aws:userid'] = p.userId;
      break;
    case 'AssumedRole':
      out['aws:PrincipalType'] = 'AssumedRole';
      if (p.userId) out['aws:userid'] = p.userId;
      break;
    case 'FederatedUser':
      out['aws:PrincipalType'] = 'FederatedUser';
      if (p.accountId && resourcePart.startsWith('federated-user/')) out['aws:userid'] = `${p.accountId}:${resourcePart.slice('federated-user/'.length)}`;
      break;
    case 'Anonymous':
      out['aws:PrincipalType'] = 'Anonymous';
      break;
    case 'Service':
      if (p.service) out['aws:PrincipalServiceName'] = p.service;
      break;
    case 'Federated':
      break;
  }
  // aws:PrincipalArn is the role's ARN for a role session, not the session ARN.
  const principalArn = p.type === 'AssumedRole' ? p.roleArn : p.arn;
  if (principalArn && p.type !== 'Anonymous' && p.type !== 'Service' && p.type !== 'Federated') out['aws:PrincipalArn'] = principalArn;
  if (p.accountId && p.type !== 'Anonymous') out['aws:PrincipalAccount'] = p.accountId;
  return out;
}
