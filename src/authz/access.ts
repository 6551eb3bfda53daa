import type { Principal } from '../auth/principal.js';

/**
 * One permission an operation needs: the IAM action, the resource ARN, and the condition
 * keys the request supplies. Operations declare these; only authz/ decides on them.
 */
export interface AccessRequest {
  action: string;
  resource: string;
  /** The bucket whose owner and policy govern the resource, for S3. */
  bucket?: string;
  conditions?: Record<string, string | string[]>;
}

export interface AuthorizationInput {
  principal: Principal;
  operation: string;
  requests: AccessRequest[];
}

export interface Authorizer {
  /**
   * Throws AccessDenied for the first request that is not allowed. With `partial`, returns
   * the indexes of denied requests instead (DeleteObjects reports denials per key).
   */
  authorize(input: AuthorizationInput, partial?: boolean): Promise<Set<number>>;
}
