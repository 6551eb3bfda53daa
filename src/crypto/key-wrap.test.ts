import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { KeyUnwrapError } from './errors.js';
import { deriveKey, KEY_PURPOSES, unwrapKey, WRAP_FORMAT_VERSION, wrapKey, wrappedKeyLength } from './key-wrap.js';

const kek = randomBytes(32);
const dataKey = randomBytes(32);
const ctx = 'sse-s3:bucket/key/3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY';

function assertUnwrapError(fn: () => unknown, reason: string): void {
  assert.throws(fn, (err: unknown) => err instanceof KeyUnwrapError && err.reason === reason);
}

describe('key wrapping', () => {
  it('round-trips data keys and larger key material', () => {
    for (const material of [dataKey, randomBytes(1), randomBytes(2400), randomBytes(64 * 1024)]) {
      const wrapped = wrapKey(kek, material, ctx);
      assert.equal(wrapped.length, wrappedKeyLength(material.length));
      assert.equal(wrapped[0], WRAP_FORMAT_VERSION);
      assert.deepEqual(unwrapKey(kek, wrapped, ctx), material);
    }
  });

  it('uses a fresh nonce from the injected random source', () => {
    const nonce = Buffer.alloc(12, 7);
    const a = wrapKey(kek, dataKey, ctx, () => Buffer.from(nonce));
    assert.deepEqual(a.subarray(1, 13), nonce);
    assert.deepEqual(wrapKey(kek, dataKey, ctx, () => Buffer.from(nonce)), a); // deterministic when injected
    assert.notDeepEqual(wrapKey(kek, dataKey, ctx), wrapKey(kek, dataKey, ctx));
    assert.throws(() => wrapKey(kek, dataKey, ctx, () => Buffer.alloc(11)), TypeError);
  });

  it('fails with a wrong key, a wrong context or tampering', () => {
    const wrapped = wrapKey(kek, dataKey, ctx);
    assertUnwrapError(() => unwrapKey(randomBytes(32), wrapped, ctx), 'AuthFailed');
    assertUnwrapError(() => unwrapKey(kek, wrapped, ctx + '2'), 'AuthFailed');
    assertUnwrapError(() => unwrapKey(kek, wrapped, ''), 'AuthFailed');
    for (let i = 1; i < wrapped.length; i++) {
      const bad = Buffer.from(wrapped);
      bad[i]! ^= 1;
      assertUnwrapError(() => unwrapKey(kek, bad, ctx), 'AuthFailed');
    }
  });

  it('rejects malformed and unknown-version envelopes', () => {
    const wrapped = wrapKey(kek, dataKey, ctx);
    assertUnwrapError(() => unwrapKey(kek, wrapped.subarray(0, 29), ctx), 'Malformed');
    assertUnwrapError(() => unwrapKey(kek, Buffer.alloc(0), ctx), 'Malformed');
    const v2 = Buffer.from(wrapped);
    v2[0] = 2;
    assertUnwrapError(() => unwrapKey(kek, v2, ctx), 'UnsupportedVersion');
  });

  it('rejects wrong-sized keys and empty or oversized material', () => {
    assert.throws(() => wrapKey(randomBytes(16), dataKey, ctx), RangeError);
    assert.throws(() => unwrapKey(randomBytes(33), wrapKey(kek, dataKey, ctx), ctx), RangeError);
    assert.throws(() => wrapKey(kek, Buffer.alloc(0), ctx), RangeError);
    assert.throws(() => wrapKey(kek, Buffer.alloc(64 * 1024 + 1), ctx), RangeError);
  });
});

describe('deriveKey', () => {
  const root = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

  it('is deterministic, purpose-separated and 32 bytes by default', () => {
    const a = deriveKey(root, KEY_PURPOSES.sseS3ServiceKey);
    assert.equal(a.length, 32);
    assert.deepEqual(deriveKey(root, KEY_PURPOSES.sseS3ServiceKey), a);
    assert.notDeepEqual(deriveKey(root, KEY_PURPOSES.sseCHmacKey), a);
    assert.notDeepEqual(deriveKey(randomBytes(32), KEY_PURPOSES.sseS3ServiceKey), a);
    assert.equal(deriveKey(root, 'x', 64).length, 64);
  });

  it('is HKDF-SHA256 with an empty salt (RFC 5869 construction)', async () => {
    const { createHmac } = await import('node:crypto');
    const prk = createHmac('sha256', Buffer.alloc(32)).update(root).digest();
    const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('purpose'), Buffer.from([1])])).digest();
    assert.deepEqual(deriveKey(root, 'purpose'), okm);
  });

  it('rejects bad inputs', () => {
    assert.throws(() => deriveKey(randomBytes(31), 'x'), RangeError);
    assert.throws(() => deriveKey(root, ''), RangeError);
    assert.throws(() => deriveKey(root, 'x'.repeat(1025)), RangeError);
    assert.throws(() => deriveKey(root, 'x', 8), RangeError);
  });
});
