import type { IdentityReader } from '../store/meta/iam-types.js';
import type { ResourcePolicyResolver } from './resource-policies.js';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]{1,64})$/;

/**
 * STS actions on a role are governed by its trust policy, which must allow on its own
 * (IAM User Guide: a role trust policy is a required resource-based policy).
 */
export function roleTrustResolver(iam: () => IdentityReader | undefined): ResourcePolicyResolver {
  return async (request) => {
    const m = ROLE_ARN.exec(request.resource);
    if (!m) return undefined;
    const role = await iam()?.getRole(m[1]!, m[2]!);
    if (!role || role.arn !== request.resource) return { ownerAccountId: m[1]! , required: true };
    const info: Awaited<ReturnType<ResourcePolicyResolver>> = {
      ownerAccountId: role.accountId,
      policy: { label: `trust-policy:${role.arn}`, document: role.assumeRolePolicyDocument },
      required: true,
    };
    const tags: Record<string, string> = {};
    for (const [k, v] of role.tags) tags[`aws:ResourceTag/${k}`] = v;
    info!.context = tags;
    return info;
  };
}
