import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createStringSealer } from './secret-codec.js';

test('sealed secrets open only under the same key and id; legacy plaintext passes', () => {
  const s = createStringSealer(randomBytes(32));
  const sealed = s.seal('AKIA1', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  assert.match(sealed, /^v1:/);
  assert.ok(!sealed.includes('wJalr'));
  assert.equal(s.open('AKIA1', sealed), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  assert.throws(() => s.open('AKIA2', sealed));
  assert.throws(() => createStringSealer(randomBytes(32)).open('AKIA1', sealed));
  assert.equal(s.open('AKIA1', 'plain-legacy'), 'plain-legacy');
});
