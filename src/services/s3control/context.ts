import type { Principal } from '../../auth/principal.js';
import type { AccessRequest } from '../../authz/access.js';
import type { BaseServiceContext } from '../../server/service-operation.js';
import type { IdentityReader } from '../../store/meta/iam-types.js';
import type { AccessGrantsStore } from '../../store/meta/sqlite/s3control-types.js';
import type { MetadataStore } from '../../store/meta/types.js';
import type { StsIds } from '../sts/context.js';

export interface S3ControlLimits {
  /** Grants per instance (AWS: 100,000; COFFER_ACCESS_GRANTS_LIMIT). */
  grants: number;
  /** Locations per instance (AWS: 1,000). */
  locations: number;
}

export interface S3ControlContext extends BaseServiceContext {
  /** The account the request names (`x-amz-account-id`, or the `<account>.` host prefix). */
  accountId: string;
  store: AccessGrantsStore;
  iam: IdentityReader;
  meta: MetadataStore;
  stsIds: StsIds;
  limits: S3ControlLimits;
  newId(): string;
  /**
   * Authorizes what the service does as another principal: GetDataAccess assumes the
   * location's role as `access-grants.s3.amazonaws.com`, which that role's trust policy decides.
   */
  authorizeAs(principal: Principal, operation: string, requests: AccessRequest[]): Promise<void>;
}
