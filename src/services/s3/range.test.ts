import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRange } from './range.js';

test('ranges resolve as S3 does', () => {
  assert.deepEqual(resolveRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(resolveRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=-1000', 100), { start: 0, end: 99 });
  assert.deepEqual(resolveRange('bytes=50-1000', 100), { start: 50, end: 99 });
  assert.deepEqual(resolveRange('bytes=99-99', 100), { start: 99, end: 99 });
  assert.equal(resolveRange(undefined, 100), undefined);
  assert.equal(resolveRange('bytes=0-1,5-6', 100), undefined, 'multiple ranges are ignored');
  assert.equal(resolveRange('items=0-1', 100), undefined, 'other units are ignored');
  assert.equal(resolveRange('bytes=9-1', 100), undefined, 'reversed ranges are ignored');
});

test('unsatisfiable ranges are InvalidRange (416)', () => {
  for (const [h, size] of [['bytes=100-', 100], ['bytes=100-200', 100], ['bytes=0-', 0], ['bytes=-0', 100], ['bytes=-5', 0]] as const) {
    assert.throws(() => resolveRange(h, size), (e: { code: string; status: number }) => e.code === 'InvalidRange' && e.status === 416, h);
  }
});
