import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CustomerKeyError, KeyUnwrapError } from './errors.js';
import { deriveKey, KEY_PURPOSES } from './key-wrap.js';
import {
  CUSTOMER_KEY_VERIFIER_LENGTH,
  createCustomerKeyVerifier,
  parseCustomerKey,
  unwrapDataKeyWithCustomerKey,
  verifyCustomerKey,
  wrapDataKeyWithCustomerKey,
} from './sse-c.js';

const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');
const customerKey = randomBytes(32);
const hmacKey = deriveKey(randomBytes(32), KEY_PURPOSES.sseCHmacKey);

function assertCustomerKeyError(fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: unknown) => err instanceof CustomerKeyError && err.reason === reason);
}

describe('SSE-C customer keys', () => {
  it('accepts a key whose MD5 matches', () => {
    assert.deepEqual(parseCustomerKey(customerKey.toString('base64'), md5b64(customerKey)), customerKey);
  });

  it('rejects an MD5 mismatch', () => {
    assertCustomerKeyError(() => parseCustomerKey(customerKey.toString('base64'), md5b64(randomBytes(32))), 'Md5Mismatch');
  });

  it('rejects keys that are not base64 of 32 bytes, and malformed MD5 headers', () => {
    for (const bad of [randomBytes(16), randomBytes(31), randomBytes(33)]) {
      assertCustomerKeyError(() => parseCustomerKey(bad.toString('base64'), md5b64(bad)), 'InvalidKey');
    }
    assertCustomerKeyError(() => parseCustomerKey('not base64!', md5b64(customerKey)), 'InvalidKey');
    assertCustomerKeyError(() => parseCustomerKey(customerKey.toString('base64'), ''), 'InvalidKeyMd5');
    assertCustomerKeyError(() => parseCustomerKey(customerKey.toString('base64'), 'AAAA'), 'InvalidKeyMd5');
    assertCustomerKeyError(
      () => parseCustomerKey(customerKey.toString('base64'), createHash('md5').update(customerKey).digest('hex')),
      'InvalidKeyMd5',
    );
  });

  it('stores a salted HMAC that recognises only the same key', () => {
    const verifier = createCustomerKeyVerifier(hmacKey, customerKey);
    assert.equal(verifier.length, CUSTOMER_KEY_VERIFIER_LENGTH);
    assert.equal(verifier.includes(customerKey), false);
    assert.equal(verifyCustomerKey(hmacKey, customerKey, verifier), true);
    assert.equal(verifyCustomerKey(hmacKey, randomBytes(32), verifier), false);
    assert.equal(verifyCustomerKey(randomBytes(32), customerKey, verifier), false);
    // salted: the same key gives different records
    assert.notDeepEqual(createCustomerKeyVerifier(hmacKey, customerKey), verifier);
  });

  it('treats corrupted or foreign verifiers as non-matching', () => {
    const verifier = createCustomerKeyVerifier(hmacKey, customerKey, () => Buffer.alloc(16, 1));
    assert.deepEqual(verifier.subarray(1, 17), Buffer.alloc(16, 1));
    for (let i = 0; i < verifier.length; i++) {
      const bad = Buffer.from(verifier);
      bad[i]! ^= 0x10;
      assert.equal(verifyCustomerKey(hmacKey, customerKey, bad), false);
    }
    assert.equal(verifyCustomerKey(hmacKey, customerKey, verifier.subarray(0, 48)), false);
    assert.throws(() => verifyCustomerKey(hmacKey, randomBytes(16), verifier), RangeError);
  });

  it('wraps the data key so that only the customer key opens it', () => {
    const dataKey = randomBytes(32);
    const ctx = 'sse-c:bucket/key/v1';
    const wrapped = wrapDataKeyWithCustomerKey(customerKey, dataKey, ctx);
    assert.deepEqual(unwrapDataKeyWithCustomerKey(customerKey, wrapped, ctx), dataKey);
    assert.throws(() => unwrapDataKeyWithCustomerKey(randomBytes(32), wrapped, ctx), KeyUnwrapError);
    assert.throws(() => unwrapDataKeyWithCustomerKey(customerKey, wrapped, 'sse-c:bucket/key/v2'), KeyUnwrapError);
  });
});
