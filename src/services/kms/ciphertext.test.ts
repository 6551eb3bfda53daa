import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { canonicalContext, CIPHERTEXT_OVERHEAD, open, parseHeader, seal } from './ciphertext.js';

const KEY_ID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';

test('seal/open round trip; the header names the key and the material version', () => {
  const material = randomBytes(32);
  const blob = seal(material, { keyId: KEY_ID, version: 7 }, Buffer.from('hello'), { b: '2', a: '1' }, randomBytes);
  assert.equal(blob.length, 5 + CIPHERTEXT_OVERHEAD);
  assert.deepEqual(parseHeader(blob), { keyId: KEY_ID, version: 7 });
  assert.equal(open(material, blob, { a: '1', b: '2' })?.toString(), 'hello');
});

test('a changed context, key, header byte or body byte fails', () => {
  const material = randomBytes(32);
  const blob = seal(material, { keyId: KEY_ID, version: 1 }, Buffer.from('secret'), { a: '1' }, randomBytes);
  assert.equal(open(material, blob, undefined), undefined);
  assert.equal(open(material, blob, { a: '2' }), undefined);
  assert.equal(open(randomBytes(32), blob, { a: '1' }), undefined);
  for (let i = 0; i < blob.length; i++) {
    const bad = Buffer.from(blob);
    bad[i] = bad[i]! ^ 0x80;
    assert.equal(open(material, bad, { a: '1' }), undefined, `byte ${i}`);
  }
  assert.equal(parseHeader(Buffer.alloc(10)), undefined);
});

test('the canonical context is order-independent and unambiguous', () => {
  assert.deepEqual(canonicalContext({ x: '1', y: '2' }), canonicalContext({ y: '2', x: '1' }));
  assert.notDeepEqual(canonicalContext({ ab: 'c' }), canonicalContext({ a: 'bc' }));
  assert.deepEqual(canonicalContext({}), canonicalContext(undefined));
});
