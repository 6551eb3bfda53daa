// What a KMS resource contributes to a decision: the key's owner, its key policy (which
// must allow on its own: KMS key policies are the primary control), the grants on the key
// (as extraAllow), and the key's own condition keys.
import type { AccessRequest } from '../../authz/access.js';
import type { ResourcePolicyInfo, ResourcePolicyResolver } from '../../authz/resource-policies.js';
import { grantAllowing } from './grants.js';
import type { KmsService } from './service.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):key\/([0-9a-f-]{36})$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):alias\/.+$/;

export function kmsResourceResolver(kms: KmsService): ResourcePolicyResolver {
  return async (request: AccessRequest): Promise<ResourcePolicyInfo | undefined> => {
    const alias = ALIAS_ARN.exec(request.resource);
    // Aliases have no resource policy: identity policies decide (kms:CreateAlias on alias/...).
    if (alias) return { ownerAccountId: alias[1]! };
    const m = KEY_ARN.exec(request.resource);
    if (!m) return undefined;
    const key = kms.store.getKey(m[2]!);
    if (!key) return { ownerAccountId: m[1]! };
    const arn = kms.keyArn(key);
    const grants = kms.store.grantsOfKey(key.id);
    const context: Record<string, string | string[]> = {
      'kms:KeySpec': key.keySpec,
      'kms:KeyUsage': key.keyUsage,
      'kms:KeyOrigin': key.origin,
      'kms:MultiRegion': String(key.multiRegion),
      'kms:ResourceAliases': kms.store.aliasesOfKey(key.id).map((a) => a.name),
    };
    for (const t of key.tags) context[`aws:ResourceTag/${t.TagKey}`] = t.TagValue;
    return {
      ownerAccountId: key.accountId,
      policy: { label: `key policy of ${arn}`, document: key.policy },
      required: true,
      extraAllow: (principal, req) => {
        const g = grantAllowing(grants, principal, req);
        return g ? { label: `grant ${g.id}${g.name ? ` (${g.name})` : ''} on ${arn}` } : undefined;
      },
      context,
    };
  };
}
