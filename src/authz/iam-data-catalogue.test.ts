import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePolicy } from '../policy/index.js';
import { iamDataCatalogue } from './iam-data-catalogue.js';

test('the catalogue knows S3 actions and condition key types', () => {
  const c = iamDataCatalogue();
  assert.ok(c, 'iam-data is installed');
  assert.ok(c.hasService('s3'));
  assert.ok(c.actionsOf('s3')?.includes('GetObject'));
  assert.equal(c.conditionKeyType('s3:prefix'), 'String');
  assert.equal(c.conditionKeyType('s3:max-keys'), 'Numeric');
  assert.equal(c.conditionKeyType('s3:ExistingObjectTag/team'), 'String');
  assert.equal(c.conditionKeyType('aws:SourceIp'), 'IPAddress');
  assert.equal(c.conditionKeyType('aws:PrincipalTag/dept'), 'String');
});

test('validation warns about unknown actions and mistyped condition keys', () => {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Action: ['s3:GetObjekt', 's3:GetObject'], Resource: '*',
      Condition: { NumericLessThan: { 'aws:SourceIp': '10' } },
    }],
  });
  const r = validatePolicy(doc, 'identity', { catalogue: iamDataCatalogue()! });
  assert.equal(r.errors.length, 0);
  assert.ok(r.warnings.some((w) => /GetObjekt/.test(w.message)), JSON.stringify(r.warnings));
  assert.ok(r.warnings.some((w) => /aws:SourceIp/i.test(w.message)), JSON.stringify(r.warnings));
});
