/**
 * The parts of AWS's AccessDenied message ("Troubleshooting access denied error messages",
 * IAM User Guide; S3 "Troubleshoot Access Denied (403 Forbidden) errors"):
 *
 *   User: <arn> is not authorized to perform: <action> on resource: "<arn>" because no <type> allows the <action> action
 *   User: <arn> is not authorized to perform: <action> on resource: "<arn>" with an explicit deny in a <type>
 *
 * "If multiple policy types deny an authorization request, AWS includes only one of those
 * policy types in the error message": the first in Decision.deniedBy.
 */
import type { AuthorizationRequest, Decision, PolicyType } from './types.js';

export interface DenialExplanation {
  /** The caller's ARN, or `anonymous`. */
  readonly principal: string;
  readonly action: string;
  /** Absent for actions without a resource (`*`). */
  readonly resource?: string;
  readonly kind: 'explicit' | 'implicit';
  readonly policyType: PolicyType;
  /** AWS's name of the policy type as it appears in the message. */
  readonly policyTypeName: string;
}

/** AWS's names of the policy types, as its denial messages use them. */
export const POLICY_TYPE_NAMES: Readonly<Record<PolicyType, string>> = {
  scp: 'service control policy',
  rcp: 'resource control policy',
  resource: 'resource-based policy',
  identity: 'identity-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
};

/** The structured parts of the denial message; undefined when the decision is Allow. */
export function explainDecision(decision: Decision, request: AuthorizationRequest): DenialExplanation | undefined {
  if (decision.result === 'Allow') return undefined;
  const policyType = decision.deniedBy[0];
  if (!policyType) return undefined;
  const out: { -readonly [K in keyof DenialExplanation]: DenialExplanation[K] } = {
    principal: request.principal.arn ?? (request.principal.type === 'Anonymous' ? 'anonymous' : request.principal.service ?? 'unknown'),
    action: request.action,
    kind: decision.result === 'ExplicitDeny' ? 'explicit' : 'implicit',
    policyType,
    policyTypeName: POLICY_TYPE_NAMES[policyType],
  };
  if (request.resource && request.resource !== '*') out.resource = request.resource;
  return out;
}

export interface FormatOptions {
  /** S3 quotes the resource ARN, IAM-style messages do not (default true). */
  readonly quoteResource?: boolean;
}

/** AWS's one-line AccessDenied message for a denial; undefined for Allow. */
export function formatDenial(decision: Decision, request: AuthorizationRequest, options: FormatOptions = {}): string | undefined {
  const e = explainDecision(decision, request);
  if (!e) return undefined;
  const quote = options.quoteResource ?? true;
  const on = e.resource === undefined ? '' : ` on resource: ${quote ? `"${e.resource}"` : e.resource}`;
  const head = `User: ${e.principal} is not authorized to perform: ${e.action}${on}`;
  if (e.kind === 'explicit') {
    const article = /^[aeiou]/.test(e.policyTypeName) ? 'an' : 'a';
    return `${head} with an explicit deny in ${article} ${e.policyTypeName}`;
  }
  return `${head} because no ${e.policyTypeName} allows the ${e.action} action`;
}
