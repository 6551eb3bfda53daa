import { randomBytes } from 'node:crypto';
import type { IamIds } from './context.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += BASE32[bytes[i]! & 31];
  return s;
}

/** IAM's shapes: unique ids of 21 characters (prefix + 17), AKIA + 16 key ids, 40-character secrets. */
export const randomIamIds: IamIds = {
  uniqueId: (prefix) => prefix + base32(17),
  accessKeyId: () => `AKIA${base32(16)}`,
  secretAccessKey: () => randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b'),
};
