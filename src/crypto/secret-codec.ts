import { unwrapKey, wrapKey } from './key-wrap.js';

/**
 * Short secrets (access-key secrets) sealed for storage: AES-256-GCM under a key derived from
 * the root key, bound to the secret's id so a sealed value cannot be moved to another row.
 * Stored as `v1:<base64>`; anything without the prefix is taken as legacy plaintext.
 */
export interface StringSealer {
  seal(id: string, plaintext: string): string;
  open(id: string, stored: string): string;
}

const PREFIX = 'v1:';

export function createStringSealer(key: Buffer): StringSealer {
  const context = (id: string): string => `coffer/secret/${id}`;
  return {
    seal(id, plaintext) {
      return PREFIX + wrapKey(key, Buffer.from(plaintext, 'utf8'), context(id)).toString('base64');
    },
    open(id, stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      return unwrapKey(key, Buffer.from(stored.slice(PREFIX.length), 'base64'), context(id)).toString('utf8');
    },
  };
}
