import { checkPolicySize, validatePolicy, type PolicySizeLimit } from '../../policy/index.js';
import { iamError } from './errors.js';

/**
 * Every policy IAM stores is validated when written: MalformedPolicyDocument with the
 * engine's message (AWS's wording) followed by where in the document the fault is, and
 * size quotas (white space not counted) as LimitExceeded.
 */
export function checkDocument(document: string, kind: 'identity' | 'trust'): void {
  const { errors } = validatePolicy(document, kind);
  const first = errors[0];
  if (!first) return;
  const where = [first.path, first.detail].filter((s) => s).join(': ');
  throw iamError('MalformedPolicyDocument', where ? `${first.message} (${where})` : first.message);
}

/** A managed policy version: at most 6,144 characters. */
export function checkManagedPolicy(document: string): void {
  checkDocument(document, 'identity');
  const size = checkPolicySize(document, 'managed');
  if (!size.ok) throw iamError('LimitExceeded', `Cannot exceed quota for PolicySize: ${size.limit}`);
}

/** A role's trust policy: at most 2,048 characters. */
export function checkTrustPolicy(document: string): void {
  checkDocument(document, 'trust');
  const size = checkPolicySize(document, 'trust');
  if (!size.ok) throw iamError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${size.limit}`);
}

const INLINE_LIMIT: Record<'user' | 'group' | 'role', PolicySizeLimit> = { user: 'userInline', group: 'groupInline', role: 'roleInline' };

/** Inline policies count together per entity: user 2,048, group 5,120, role 10,240 characters. */
export function checkInlinePolicies(kind: 'user' | 'group' | 'role', name: string, document: string, others: readonly string[]): void {
  checkDocument(document, 'identity');
  const size = checkPolicySize([...others, document], INLINE_LIMIT[kind]);
  if (!size.ok) throw iamError('LimitExceeded', `Maximum policy size of ${size.limit} bytes exceeded for ${kind} ${name}`);
}
