import { randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { open, readFile } from 'node:fs/promises';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** AWS-shaped long-term access key id: AKIA + 16 base32 characters. */
export function newAccessKeyId(prefix = 'AKIA'): string {
  const bytes = randomBytes(16);
  let s = prefix;
  for (let i = 0; i < 16; i++) s += BASE32[bytes[i]! & 31];
  return s;
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');
}

export interface RootCredentials { accountId: string; accessKeyId: string; secretAccessKey: string }

export async function readCredentialsFile(path: string): Promise<RootCredentials | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RootCredentials;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Written once, mode 0600, never overwritten. */
export async function writeCredentialsFile(path: string, c: RootCredentials): Promise<void> {
  const fh = await open(path, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
  try {
    await fh.writeFile(JSON.stringify(c, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
}
