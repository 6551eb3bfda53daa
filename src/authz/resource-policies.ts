import type { Principal } from '../auth/principal.js';
import type { AccessRequest } from './access.js';

/**
 * What a resource contributes to a decision: its owner, its resource-based policy (bucket
 * policy, key policy, trust policy), and service rules such as KMS grants. Each service
 * registers a resolver for its ARNs; authz/ asks it, then asks the policy engine.
 */
export interface ResourcePolicyInfo {
  ownerAccountId: string;
  policy?: { label: string; document: string };
  /**
   * The resource policy must allow on its own (KMS key policies, role trust policies): IAM
   * policies count only where it delegates to the account.
   */
  required?: boolean;
  /** KMS grants and the like: an allow outside any policy document, with a label for the trace. */
  extraAllow?: (principal: Principal, request: AccessRequest) => { label: string } | undefined;
  /** Context keys the resource supplies (aws:ResourceTag/…, kms:KeySpec, kms:ResourceAliases…). */
  context?: Record<string, string | string[]>;
  /** Block Public Access RestrictPublicBuckets: public statements grant only within the owner account. */
  restrictPublic?: boolean;
}

export type ResourcePolicyResolver = (request: AccessRequest) => Promise<ResourcePolicyInfo | undefined>;

/** Resolvers by the service prefix of the action (`s3`, `kms`, `iam`, `sts`…). */
export class ResourcePolicyRegistry {
  private readonly resolvers = new Map<string, ResourcePolicyResolver>();

  register(servicePrefix: string, resolver: ResourcePolicyResolver): void {
    this.resolvers.set(servicePrefix, resolver);
  }

  async resolve(request: AccessRequest): Promise<ResourcePolicyInfo | undefined> {
    const prefix = request.action.split(':')[0]!.toLowerCase();
    return this.resolvers.get(prefix)?.(request);
  }
}
