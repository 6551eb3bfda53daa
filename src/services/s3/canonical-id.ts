import { createHash } from 'node:crypto';

/** S3's canonical user id of an account: 64 hex digits, stable per account. */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`coffer-canonical-user:${accountId}`).digest('hex');
}
