import type { Principal } from '../../auth/principal.js';
import { parsePolicy, policySize, validatePolicy } from '../../policy/index.js';
import type { StsContext } from './context.js';
import { stsError } from './errors.js';

/** Session policies, tags and source identity: the inputs AssumeRole and GetFederationToken share. */

export const MAX_SESSION_POLICY_CHARS = 2048;

export interface TagInput { Key: string; Value: string }

export function checkSessionPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  const { document, errors } = parsePolicy(policy);
  if (!document || errors.length) throw stsError('MalformedPolicyDocument', errors[0]?.message ?? 'The policy is not in the valid JSON format.');
  const v = validatePolicy(document, 'session');
  if (v.errors.length) throw stsError('MalformedPolicyDocument', v.errors[0]!.message);
}

/** AWS packs session policies and tags into a fixed space and reports the percentage used. */
export function packedPolicySize(policy: string | undefined, arns: readonly string[], tags: readonly TagInput[]): number {
  const chars = (policy ? policySize(policy) : 0) + arns.reduce((n, a) => n + a.length, 0) + tags.reduce((n, t) => n + t.Key.length + t.Value.length, 0);
  const pct = Math.ceil((chars / MAX_SESSION_POLICY_CHARS) * 100);
  if (pct > 100) throw stsError('PackedPolicyTooLarge', `Packed policy consumes ${pct}% of allotted space, please use smaller policy for your request.`);
  return pct;
}

export async function resolvePolicyArns(ctx: StsContext, arns: ReadonlyArray<{ arn?: string }> | undefined): Promise<string[]> {
  const out: string[] = [];
  for (const { arn } of arns ?? []) {
    if (!arn) continue;
    if (!(await ctx.iam.managedPolicyDocument(arn))) throw stsError('InvalidParameterValue', `Policy ${arn} does not exist or is not attachable.`);
    out.push(arn);
  }
  if (out.length > 10) throw stsError('ValidationError', 'The number of policy ARNs exceeds the maximum of 10.');
  return out;
}

/**
 * Session tags: at most 50, keys unique without regard to case; a role session's transitive
 * tags carry over to the next session of a chain and cannot be overridden.
 */
export function sessionTags(caller: Principal, tags: readonly TagInput[], transitive: readonly string[]): { tags: Record<string, string>; transitiveKeys: string[] } {
  if (tags.length > 50) throw stsError('ValidationError', 'The number of session tags exceeds the maximum of 50.');
  const inherited: Record<string, string> = {};
  const inheritedKeys = caller.type === 'AssumedRole' ? caller.session?.transitiveTagKeys ?? [] : [];
  for (const k of inheritedKeys) {
    const v = caller.session?.tags?.[k];
    if (v !== undefined) inherited[k] = v;
  }
  const seen = new Set(Object.keys(inherited).map((k) => k.toLowerCase()));
  const out: Record<string, string> = { ...inherited };
  for (const t of tags) {
    const lower = t.Key.toLowerCase();
    if (seen.has(lower)) throw stsError('InvalidParameterValue', `Duplicate tag key ${t.Key}, or a key that overrides a transitive tag of the calling session.`);
    seen.add(lower);
    out[t.Key] = t.Value;
  }
  for (const k of transitive) {
    if (!tags.some((t) => t.Key === k)) throw stsError('InvalidParameterValue', `The transitive tag key ${k} is not one of the session tags.`);
  }
  return { tags: out, transitiveKeys: [...new Set([...inheritedKeys, ...transitive])] };
}

export function tagConditions(tags: readonly TagInput[], transitive: readonly string[]): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  for (const t of tags) c[`aws:RequestTag/${t.Key}`] = t.Value;
  if (tags.length) c['aws:TagKeys'] = tags.map((t) => t.Key);
  if (transitive.length) c['sts:TransitiveTagKeys'] = [...transitive];
  return c;
}
