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

/** Facts about the request itself that global condition keys report. */
export interface RequestFacts {
  requestId: string;
  time: Date;
  sourceIp?: string;
  secureTransport: boolean;
  tlsVersion?: string;
  userAgent?: string;
  referer?: string;
  authType?: 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST';
  signatureAgeMs?: number;
  region: string;
  /** Set when a service calls another on the caller's behalf (S3 → KMS): aws:CalledVia, kms:ViaService. */
  viaService?: string;
}

export interface AuthorizationInput {
  principal: Principal;
  operation: string;
  requests: AccessRequest[];
  facts?: RequestFacts;
}

export interface Authorizer {
  /**
   * Throws AccessDenied for the first request that is not allowed. With `partial`, returns
   * the indexes of denied requests instead (DeleteObjects reports denials per key).
   */
  authorize(input: AuthorizationInput, partial?: boolean): Promise<Set<number>>;
}
