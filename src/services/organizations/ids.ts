import type { RandomSource } from '../../crypto/random.js';

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Organizations' identifiers: lower-case letters and digits after a fixed prefix. */
export function orgIds(random: RandomSource) {
  const alnum = (n: number): string => {
    const bytes = random(n);
    let s = '';
    // 36 does not divide 256: the bias (1 in 256 over 7 values) does not matter for ids.
    for (let i = 0; i < n; i++) s += ALNUM[bytes[i]! % 36];
    return s;
  };
  return {
    organizationId: () => `o-${alnum(10)}`,
    rootId: () => `r-${alnum(4)}`,
    /** `ou-<the root's suffix>-<8>`, as AWS builds them. */
    ouId: (rootId: string) => `ou-${rootId.slice(2)}-${alnum(8)}`,
    policyId: () => `p-${alnum(8)}`,
    createAccountRequestId: () => `car-${alnum(32)}`,
    /** Twelve digits, not starting with 0 (so it never reads as the default management account). */
    accountId: (): string => {
      const bytes = random(12);
      let s = String(1 + (bytes[0]! % 9));
      for (let i = 1; i < 12; i++) s += String(bytes[i]! % 10);
      return s;
    },
  };
}

export type OrgIds = ReturnType<typeof orgIds>;
