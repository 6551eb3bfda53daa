import type { Principal } from '../auth/principal.js';
import type { RequestPrincipal } from '../policy/index.js';

/** Coffer's principal as the policy engine sees it. */
export function requestPrincipal(p: Principal): RequestPrincipal {
  switch (p.type) {
    case 'Anonymous':
      return { type: 'Anonymous' };
    case 'Account':
      return { type: 'Account', arn: p.arn, accountId: p.accountId, userId: p.userId };
    case 'User':
      return { type: 'User', arn: p.arn, accountId: p.accountId, userId: p.userId };
    case 'AssumedRole':
      return { type: 'AssumedRole', arn: p.arn, accountId: p.accountId, userId: p.userId, ...(p.roleArn ? { roleArn: p.roleArn } : {}) };
    case 'FederatedUser':
      return { type: 'FederatedUser', arn: p.arn, accountId: p.accountId, userId: p.userId, ...(p.parentUserArn ? { userArn: p.parentUserArn } : {}) };
    case 'Service':
      return { type: 'Service', service: p.arn };
    case 'WebIdentity':
      return { type: 'Federated', federatedProvider: p.arn };
  }
}
