import { s3Error } from '../errors/s3.js';
import type { MetadataStore } from '../store/meta/types.js';
import type { AccessRequest, AuthorizationInput, Authorizer } from './access.js';

/**
 * The foundation's rule until policies exist: a bucket and everything in it belongs to the
 * account that created it, and only principals of that account may use it. Anonymous
 * callers are refused everything. Requests on buckets that do not exist pass, so the
 * operation can answer NoSuchBucket as S3 does.
 */
export class OwnerAuthorizer implements Authorizer {
  constructor(private readonly meta: MetadataStore) {}

  private async allowed(input: AuthorizationInput, r: AccessRequest): Promise<boolean> {
    if (input.principal.type === 'Anonymous') return false;
    if (!r.bucket) return true;
    const b = await this.meta.getBucket(r.bucket);
    return !b || b.ownerAccountId === input.principal.accountId;
  }

  async authorize(input: AuthorizationInput, partial = false): Promise<Set<number>> {
    const denied = new Set<number>();
    for (const [i, r] of input.requests.entries()) {
      if (await this.allowed(input, r)) continue;
      if (!partial) throw s3Error('AccessDenied', accessDeniedMessage(input, r));
      denied.add(i);
    }
    return denied;
  }
}

function accessDeniedMessage(input: AuthorizationInput, r: AccessRequest): string {
  if (input.principal.type === 'Anonymous') return 'Access Denied';
  return `User: ${input.principal.arn} is not authorized to perform: ${r.action} on resource: "${r.resource}" because the resource belongs to another account`;
}
