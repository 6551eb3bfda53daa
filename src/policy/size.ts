/**
 * Policy size quotas. Enforcing them is the caller's job (IAM answers LimitExceeded, not
 * MalformedPolicyDocument); this module only measures the way AWS does.
 *
 * IAM quotas ("IAM and AWS STS quotas"): managed policy 6,144 characters; aggregate inline
 * policies per user 2,048, per group 5,120, per role 10,240; role trust policy 2,048 by
 * default (adjustable to 4,096); session policies 2,048. "IAM does not count white space
 * when calculating the size of a policy." Organizations: SCPs and RCPs 5,120 characters.
 */
export const POLICY_SIZE_LIMITS = {
  managed: 6144,
  userInline: 2048,
  groupInline: 5120,
  roleInline: 10240,
  trust: 2048,
  session: 2048,
  scp: 5120,
  rcp: 5120,
} as const;

export type PolicySizeLimit = keyof typeof POLICY_SIZE_LIMITS;

/**
 * Characters counted against a quota: everything except white space between JSON tokens.
 * White space inside string values is content and counts (AWS does not say otherwise).
 */
export function policySize(text: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      n++;
      if (c === '\\') {
        if (i + 1 < text.length) {
          n++;
          i++;
        }
      } else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      n++;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      n++;
    }
  }
  return n;
}

export interface SizeCheck {
  readonly size: number;
  readonly limit: number;
  readonly ok: boolean;
}

/** Measure one document (or the concatenated inline policies of an entity) against a quota. */
export function checkPolicySize(texts: string | readonly string[], limit: PolicySizeLimit): SizeCheck {
  const list = typeof texts === 'string' ? [texts] : texts;
  const size = list.reduce((sum, t) => sum + policySize(t), 0);
  const max = POLICY_SIZE_LIMITS[limit];
  return { size, limit: max, ok: size <= max };
}
