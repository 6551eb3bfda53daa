// Grant ids and grant tokens. A token is base64url(version 0x01 ‖ grant id (32 bytes) ‖
// 32 random bytes). Coffer's grants take effect at once (no eventual consistency), so a
// token on a crypto call is only checked for its form, as KMS does for tokens it has not
// yet propagated; RetireGrant by token looks the grant up.
import { kmsError } from '../../errors/kms.js';

const GRANT_ID = /^[0-9a-f]{64}$/;

export function newGrantId(random: (n: number) => Buffer): string {
  return Buffer.from(random(32)).toString('hex');
}

export function newGrantToken(grantId: string, random: (n: number) => Buffer): string {
  return Buffer.concat([Buffer.from([1]), Buffer.from(grantId, 'hex'), Buffer.from(random(32))]).toString('base64url');
}

/** The grant id a well-formed token names, or undefined. */
export function grantIdOfToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const b = Buffer.from(token, 'base64url');
  if (b.length !== 65 || b[0] !== 1) return undefined;
  return b.subarray(1, 33).toString('hex');
}

export function checkGrantTokens(tokens: readonly string[]): void {
  for (const t of tokens) {
    if (grantIdOfToken(t) === undefined) throw kmsError('InvalidGrantTokenException', 'The grant token is not valid.');
  }
}

export function isGrantId(s: string): boolean {
  return GRANT_ID.test(s);
}
