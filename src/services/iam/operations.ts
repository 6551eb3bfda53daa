import { SIMULATE_OPERATIONS } from './simulate.js';
import type { Principal } from '../../auth/principal.js';
import type { App, ServiceHandler } from '../../server/app.js';
import { queryServiceHandler } from '../../server/query-handler.js';
import type { RequestContext } from '../../server/request-context.js';
import { IAM_QUERY_MODEL } from '../../protocols/query/shapes/iam.js';
import type { IamStore } from '../../store/meta/iam-types.js';
import { ACCESS_KEY_OPERATIONS } from './access-keys.js';
import { ACCOUNT_AUTHORIZATION_OPERATIONS } from './account-authorization-details.js';
import { ATTACHMENT_OPERATIONS } from './attachments.js';
import type { IamContext, IamIds, IamOperation } from './context.js';
import { GROUP_OPERATIONS } from './groups.js';
import { randomIamIds } from './ids.js';
import { INLINE_POLICY_OPERATIONS } from './inline-policies.js';
import { OIDC_OPERATIONS } from './oidc.js';
import { POLICY_OPERATIONS } from './policies.js';
import { ROLE_OPERATIONS } from './roles.js';
import { USER_OPERATIONS } from './users.js';

/**
 * IAM's operations as data (DESIGN §3): each declares `iam:<Name>` on its resource ARN;
 * routing, authorization and NotImplemented derive from this table. SimulatePrincipalPolicy
 * and SimulateCustomPolicy come with the authorization layer.
 */
export const IAM_OPERATIONS: ReadonlyMap<string, IamOperation> = new Map(
  [
    ...USER_OPERATIONS, ...GROUP_OPERATIONS, ...ROLE_OPERATIONS, ...POLICY_OPERATIONS, ...ATTACHMENT_OPERATIONS,
    ...INLINE_POLICY_OPERATIONS, ...ACCESS_KEY_OPERATIONS, ...OIDC_OPERATIONS, ...ACCOUNT_AUTHORIZATION_OPERATIONS, ...SIMULATE_OPERATIONS,
  ].map((op) => [op.name, op]),
);

/** IAM words name and path faults itself instead of quoting the pattern. */
export function iamPatternMessage(shapeName: string, memberPath: string, _value: string): string | undefined {
  const member = memberPath.split('.').pop()!;
  if (/NameType$/.test(shapeName)) return `The specified value for ${member} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-`;
  if (shapeName === 'pathType' || shapeName === 'policyPathType' || shapeName === 'pathPrefixType') {
    return `The specified value for ${member} is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`;
  }
  return undefined;
}

/** The policy documents IAM returns URL-encoded (RFC 3986). */
const URL_ENCODED = new Set(['policyDocumentType']);

export function iamService(app: App, store: IamStore, ids: IamIds = randomIamIds): ServiceHandler {
  return queryServiceHandler<IamContext>(app, {
    model: IAM_QUERY_MODEL,
    operations: IAM_OPERATIONS,
    context: (principal: Principal, rc: RequestContext): IamContext => ({
      principal, requestId: rc.requestId, now: app.clock, region: app.config.region,
      accountId: principal.accountId, store, meta: app.meta, ids,
    }),
    decode: { patternMessage: iamPatternMessage },
    encode: { urlEncodedShapes: URL_ENCODED },
  });
}
