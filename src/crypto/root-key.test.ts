import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { KeyUnwrapError, RootKeyError } from './errors.js';
import { deriveKey, KEY_PURPOSES, unwrapKey } from './key-wrap.js';
import { createLocalRootKeyProvider, parseRootKey } from './root-key.js';

function assertRootKeyError(fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: unknown) => err instanceof RootKeyError && err.reason === reason);
}

describe('parseRootKey', () => {
  const key = randomBytes(32);

  it('accepts base64 of 32 bytes, padded or not, standard or URL-safe, with whitespace', () => {
    assert.deepEqual(parseRootKey(key.toString('base64')), key);
    assert.deepEqual(parseRootKey(key.toString('base64').replace(/=+$/, '')), key);
    assert.deepEqual(parseRootKey(key.toString('base64url')), key);
    assert.deepEqual(parseRootKey(` ${key.toString('base64')}\n`), key);
  });

  it('rejects other lengths with a clear message that does not echo the value', () => {
    for (const n of [1, 16, 31, 33, 64]) {
      const value = randomBytes(n).toString('base64');
      assert.throws(
        () => parseRootKey(value),
        (err: unknown) =>
          err instanceof RootKeyError &&
          err.reason === 'WrongLength' &&
          err.message.includes('COFFER_MASTER_KEY') &&
          err.message.includes(`got ${n}`) &&
          !err.message.includes(value),
      );
    }
  });

  it('rejects text that is not base64 rather than decoding around it', () => {
    const good = key.toString('base64');
    for (const bad of ['', '   ', good.slice(0, 20) + '!!' + good.slice(22), good + '=', 'A', '====', good.slice(0, 43) + '==']) {
      assertRootKeyError(() => parseRootKey(bad), 'InvalidBase64');
    }
    assert.throws(() => parseRootKey('nope', 'MY_KEY'), /MY_KEY/);
  });
});

describe('local RootKeyProvider', () => {
  const root = randomBytes(32);
  const provider = createLocalRootKeyProvider(root);
  const aad = 'kms-key:1234abcd-12ab-34cd-56ef-1234567890ab:1';

  it('wraps and unwraps with the aad', async () => {
    const material = randomBytes(32);
    const blob = await provider.wrap(material, aad);
    assert.deepEqual(await provider.unwrap(blob, aad), material);
    assert.deepEqual(await createLocalRootKeyProvider(Buffer.from(root)).unwrap(blob, aad), material);
  });

  it('rejects a wrong aad or another root key, asynchronously', async () => {
    const blob = await provider.wrap(randomBytes(32), aad);
    await assert.rejects(provider.unwrap(blob, aad + 'x'), KeyUnwrapError);
    await assert.rejects(createLocalRootKeyProvider(randomBytes(32)).unwrap(blob, aad), KeyUnwrapError);
    await assert.rejects(provider.wrap(Buffer.alloc(0), aad), RangeError);
  });

  it('wraps under a derived sub-key, never the root key itself', async () => {
    const blob = await provider.wrap(randomBytes(32), aad);
    assert.throws(() => unwrapKey(root, blob, aad), KeyUnwrapError);
    assert.doesNotThrow(() => unwrapKey(deriveKey(root, KEY_PURPOSES.rootKeyWrap), blob, aad));
  });
});
