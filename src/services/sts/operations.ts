import { randomBytes } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { STS_QUERY_MODEL } from '../../protocols/query/shapes/sts.js';
import type { App, ServiceHandler } from '../../server/app.js';
import { newAccessKeyId, newSecretAccessKey } from '../../server/credentials-file.js';
import { queryServiceHandler } from '../../server/query-handler.js';
import type { RequestContext } from '../../server/request-context.js';
import type { ServiceOperation } from '../../server/service-operation.js';
import type { IdentityReader } from '../../store/meta/iam-types.js';
import { assumeRole, assumeRoleAccess, type AssumeRoleInput } from './assume-role.js';
import type { StsContext, StsIds } from './context.js';
import { federatedUserArn, getCallerIdentity, getFederationToken, getSessionToken, type GetFederationTokenInput } from './identity-tokens.js';
import { tagConditions } from './session-inputs.js';
import { assumeRoleWithWebIdentity, verifiedToken, webIdentityAccess, type AssumeRoleWithWebIdentityInput } from './web-identity.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StsOperation = ServiceOperation<any, any, StsContext>;

/** STS's operations as data: what each needs permission for, and who is evaluated. */
export const STS_OPERATIONS: ReadonlyMap<string, StsOperation> = new Map<string, StsOperation>([
  ['AssumeRole', {
    name: 'AssumeRole',
    access: (i: AssumeRoleInput, ctx) => assumeRoleAccess(i, ctx.principal),
    handler: assumeRole,
  }],
  ['AssumeRoleWithWebIdentity', {
    name: 'AssumeRoleWithWebIdentity',
    authorizeAs: async (i: AssumeRoleWithWebIdentityInput, ctx): Promise<Principal> => {
      const { provider } = await verifiedToken(ctx, i);
      return { type: 'WebIdentity', accountId: '', arn: provider.arn, userId: provider.arn };
    },
    access: webIdentityAccess,
    handler: assumeRoleWithWebIdentity,
  }],
  ['GetFederationToken', {
    name: 'GetFederationToken',
    access: (i: GetFederationTokenInput, ctx) => {
      const resource = federatedUserArn(ctx.principal.accountId, i.Name);
      const conditions = tagConditions(i.Tags ?? [], []);
      return [
        { action: 'sts:GetFederationToken', resource, conditions },
        ...((i.Tags?.length ?? 0) > 0 ? [{ action: 'sts:TagSession', resource, conditions }] : []),
      ];
    },
    handler: getFederationToken,
  }],
  // Neither can be restricted by policies in AWS: any authenticated caller may ask.
  ['GetSessionToken', { name: 'GetSessionToken', access: () => [], handler: getSessionToken }],
  ['GetCallerIdentity', { name: 'GetCallerIdentity', access: () => [], handler: getCallerIdentity }],
]);

export const randomStsIds: StsIds = {
  accessKeyId: () => newAccessKeyId('ASIA'),
  secretAccessKey: newSecretAccessKey,
  sessionToken: () => randomBytes(144).toString('base64'),
};

export function stsService(app: App, iam: IdentityReader, ids: StsIds = randomStsIds): ServiceHandler {
  return queryServiceHandler<StsContext>(app, {
    model: STS_QUERY_MODEL,
    operations: STS_OPERATIONS,
    context: (principal: Principal, rc: RequestContext): StsContext => ({
      principal, requestId: rc.requestId, now: app.clock, region: app.config.region, iam, meta: app.meta, ids,
    }),
    allowAnonymous: new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']),
  });
}
