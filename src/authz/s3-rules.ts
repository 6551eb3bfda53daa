import type { Principal } from '../auth/principal.js';
import type { PolicyDocument } from '../policy/index.js';
import { isPublicStatement } from './public-policy.js';

/**
 * "The root user of the bucket owner account can always use GetBucketPolicy,
 * PutBucketPolicy and DeleteBucketPolicy, even if the policy denies it" (S3 User Guide),
 * so a bucket policy can never lock its owner out.
 */
const LOCKOUT_PROOF = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

export function ownerRootBypass(principal: Principal, action: string, ownerAccountId: string | undefined): boolean {
  return principal.type === 'Account' && principal.accountId === ownerAccountId && LOCKOUT_PROOF.has(action.toLowerCase());
}

const restricted = new WeakMap<PolicyDocument, PolicyDocument>();

/**
 * RestrictPublicBuckets: a public bucket policy grants nothing to principals outside the
 * bucket owner's account; its public statements are set aside for them.
 */
export function withoutPublicStatements(doc: PolicyDocument): PolicyDocument {
  let out = restricted.get(doc);
  if (!out) {
    out = { ...doc, statements: doc.statements.filter((s) => !isPublicStatement(s)) };
    restricted.set(doc, out);
  }
  return out;
}
