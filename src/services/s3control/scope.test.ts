import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parsePolicyOrThrow } from '../../policy/index.js';
import { candidateKeys, grantCovers, grantScope, parseLocationScope, parseTarget } from './scope.js';
import { grantSessionPolicy } from './session-policy.js';

test('location scopes and grant scopes', () => {
  assert.equal(parseLocationScope('s3://').baseKey, '');
  assert.equal(parseLocationScope('s3://bucket').baseKey, 'bucket/');
  assert.equal(parseLocationScope('s3://bucket/').baseKey, 'bucket/');
  assert.equal(parseLocationScope('s3://bucket/pre').baseKey, 'bucket/pre/');
  assert.throws(() => parseLocationScope('s3://bucket/*'), /wildcards/);
  assert.throws(() => parseLocationScope('https://bucket/'), /s3:\/\//);
  assert.deepEqual(grantScope(parseLocationScope('s3://bucket/'), 'data/*', false), { scope: 's3://bucket/data/*', scopeKey: 'bucket/data/', object: false });
  assert.deepEqual(grantScope(parseLocationScope('s3://bucket/'), 'data/', false), { scope: 's3://bucket/data/*', scopeKey: 'bucket/data/', object: false });
  assert.deepEqual(grantScope(parseLocationScope('s3://bucket'), undefined, false), { scope: 's3://bucket/*', scopeKey: 'bucket/', object: false });
  assert.deepEqual(grantScope(parseLocationScope('s3://'), 'bucket/x.csv', true), { scope: 's3://bucket/x.csv', scopeKey: 'bucket/x.csv', object: true });
  assert.throws(() => grantScope(parseLocationScope('s3://bucket/'), 'a*b', false), /wildcard/);
});

test('targets, candidates and coverage', () => {
  const t = parseTarget('s3://bucket/data/x*', undefined);
  assert.deepEqual(t, { key: 'bucket/data/x', object: false });
  assert.deepEqual(candidateKeys({ key: 'b/k', object: true }), ['', 'b', 'b/', 'b/k']);
  assert.ok(grantCovers({ scopeKey: 'bucket/data/', object: false }, t));
  assert.ok(!grantCovers({ scopeKey: 'bucket/data/y', object: false }, t));
  assert.ok(!grantCovers({ scopeKey: 'bucket/data/x', object: true }, t));
  assert.ok(grantCovers({ scopeKey: 'bucket/data/x', object: true }, parseTarget('s3://bucket/data/x', 'Object')));
  assert.throws(() => parseTarget('s3://bucket/a*b', undefined), /wildcard/);
});

test('the session policy of a READ grant allows reads and prefixed listing within the scope only', () => {
  const doc = parsePolicyOrThrow(grantSessionPolicy({ key: 'bucket/data/', object: false }, 'READ'));
  const decide = (action: string, resource: string, context: Record<string, string> = {}) =>
    evaluate({ principal: { type: 'AssumedRole', arn: 'arn:aws:sts::000000000000:assumed-role/r/s', accountId: '000000000000', userId: 'AROA:s' }, action, resource, context },
      { identity: [{ label: 'id', document: doc }] }).result;
  assert.equal(decide('s3:GetObject', 'arn:aws:s3:::bucket/data/a'), 'Allow');
  assert.equal(decide('s3:GetObject', 'arn:aws:s3:::bucket/other/a'), 'ImplicitDeny');
  assert.equal(decide('s3:PutObject', 'arn:aws:s3:::bucket/data/a'), 'ImplicitDeny');
  assert.equal(decide('s3:ListBucket', 'arn:aws:s3:::bucket', { 's3:prefix': 'data/x' }), 'Allow');
  assert.equal(decide('s3:ListBucket', 'arn:aws:s3:::bucket', { 's3:prefix': '' }), 'ImplicitDeny');
  assert.equal(decide('kms:Decrypt', 'arn:aws:kms:us-east-1:000000000000:key/k'), 'Allow');
  assert.equal(decide('kms:GenerateDataKey', 'arn:aws:kms:us-east-1:000000000000:key/k'), 'ImplicitDeny');
});
