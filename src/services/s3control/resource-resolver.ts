import type { ResourcePolicyResolver } from '../../authz/resource-policies.js';
import type { AccessGrantsStore } from '../../store/meta/sqlite/s3control-types.js';
import { instanceArn, parseAccessGrantsArn } from './arns.js';

/**
 * `s3` actions on access-grants ARNs: the instance's owner, its resource policy (for
 * cross-account grants) and the resource's tags (aws:ResourceTag/…). Any other `s3`
 * resource goes to the bucket resolver.
 */
export function accessGrantsResourceResolver(store: AccessGrantsStore, buckets: ResourcePolicyResolver): ResourcePolicyResolver {
  return async (request) => {
    const r = parseAccessGrantsArn(request.resource);
    if (!r) return buckets(request);
    const info: Awaited<ReturnType<ResourcePolicyResolver>> = { ownerAccountId: r.accountId };
    const inst = store.getInstance(r.accountId, r.region);
    if (inst?.policy) info!.policy = { label: `access-grants-instance-policy:${instanceArn(r.region, r.accountId)}`, document: inst.policy };
    const tags = store.tagsOf(request.resource);
    if (tags.length) info!.context = Object.fromEntries(tags.map((t) => [`aws:ResourceTag/${t.Key}`, t.Value]));
    return info;
  };
}
