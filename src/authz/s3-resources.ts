import type { MetadataStore } from '../store/meta/types.js';
import { publicAccessBlockOf } from './public-access-block.js';
import type { ResourcePolicyResolver } from './resource-policies.js';

/**
 * S3 resources: a bucket and everything in it belong to the bucket's owner (Object
 * Ownership BucketOwnerEnforced) and are governed by its bucket policy.
 */
export function s3ResourceResolver(meta: MetadataStore): ResourcePolicyResolver {
  return async (request) => {
    if (!request.bucket) return undefined;
    const b = await meta.getBucket(request.bucket);
    if (!b) return undefined;
    const info: Awaited<ReturnType<ResourcePolicyResolver>> = { ownerAccountId: b.ownerAccountId };
    if (b.config.policy) info!.policy = { label: `bucket-policy:${b.name}`, document: b.config.policy };
    if (publicAccessBlockOf(b).RestrictPublicBuckets) info!.restrictPublic = true;
    return info;
  };
}
