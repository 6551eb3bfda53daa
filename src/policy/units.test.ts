/** Unit tests of the building blocks: parsing, IP ranges, dates, globs, sizes, catalogue, keys, perf. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cidrContains, parseCidr, parseIp } from './ip.js';
import { parseDate } from './iso8601.js';
import { compileGlob, escapeLiteral, fromPolicyText } from './glob.js';
import { splitArn } from './arn.js';
import {
  checkPolicySize,
  compilePolicy,
  evaluate,
  explainDecision,
  parsePolicy,
  parsePolicyOrThrow,
  policySize,
  principalContextKeys,
  validatePolicy,
  type ActionCatalogue,
  type ConditionKeyType,
} from './index.js';
import { measureDecisionsPerSecond } from './perf.js';

describe('parse', () => {
  test('normalizes strings to arrays and keeps JSON paths', () => {
    const r = parsePolicy('{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/*","aws:x":["a",1,true]}}}]}');
    assert.deepEqual(r.errors, []);
    const st = r.document!.statements[0]!;
    assert.equal(st.path, 'Statement[0]');
    assert.deepEqual(st.action, ['s3:GetObject']);
    assert.deepEqual(st.resource, ['*']);
    assert.deepEqual(st.conditions.map((c) => [c.path, c.key, c.values]), [
      ['Statement[0].Condition.StringLike', 's3:prefix', ['home/*']],
      ['Statement[0].Condition.StringLike', 'aws:x', ['a', '1', 'true']],
    ]);
  });
  test('a single statement object has the path "Statement"', () => {
    const d = parsePolicyOrThrow({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } });
    assert.equal(d.statements[0]!.path, 'Statement');
  });
  test('principal forms: "*", AWS/Service/Federated/CanonicalUser strings or arrays', () => {
    const d = parsePolicyOrThrow({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*' }, { Effect: 'Allow', Principal: { AWS: ['1', '2'], Service: 's.amazonaws.com', Federated: 'f', CanonicalUser: 'c' }, Action: '*' }] });
    assert.equal(d.statements[0]!.principal!.any, true);
    assert.deepEqual(d.statements[1]!.principal, { any: false, aws: ['1', '2'], service: ['s.amazonaws.com'], federated: ['f'], canonicalUser: ['c'] });
  });
  test('parsePolicyOrThrow names the first fault', () => {
    assert.throws(() => parsePolicyOrThrow({ Statement: [{ Effect: 'Allow', Action: 3 }] }), /Statement\[0\]\.Action/);
  });
  test('compilePolicy caches by document object', () => {
    const d = parsePolicyOrThrow({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    assert.equal(compilePolicy(d), compilePolicy(d));
  });
});

describe('ip', () => {
  test('IPv4 CIDR containment', () => {
    assert.ok(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('10.255.0.1')!));
    assert.ok(!cidrContains(parseCidr('10.0.0.0/8')!, parseIp('11.0.0.1')!));
    assert.ok(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('1.2.3.4')!));
  });
  test('IPv6 forms', () => {
    assert.deepEqual(parseIp('::1'), [0, 0, 0, 1]);
    assert.deepEqual(parseIp('2001:db8::'), [0x20010db8, 0, 0, 0]);
    assert.deepEqual(parseIp('::ffff:1.2.3.4'), parseIp('1.2.3.4'));
    assert.equal(parseIp('1::2::3'), undefined);
    assert.equal(parseIp('1.2.3.256'), undefined);
    assert.ok(cidrContains(parseCidr('::ffff:0:0/96')!, parseIp('8.8.8.8')!));
  });
  test('invalid prefixes are rejected', () => {
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('::/129'), undefined);
  });
});

describe('dates', () => {
  test('W3C ISO 8601 forms and epoch seconds', () => {
    const t = Date.UTC(2025, 0, 2, 3, 4, 5);
    assert.equal(parseDate('2025-01-02T03:04:05Z'), t);
    assert.equal(parseDate('2025-01-02T03:04:05.000Z'), t);
    assert.equal(parseDate('2025-01-02T05:04:05+02:00'), t);
    assert.equal(parseDate(String(t / 1000)), t);
    assert.equal(parseDate('2025'), Date.UTC(2025, 0, 1));
    assert.equal(parseDate('2025-02'), Date.UTC(2025, 1, 1));
  });
  test('impossible dates are NaN', () => {
    assert.ok(Number.isNaN(parseDate('2025-02-30')));
    assert.ok(Number.isNaN(parseDate('2025-13-01')));
    assert.ok(Number.isNaN(parseDate('yesterday')));
  });
});

describe('glob and ARNs', () => {
  test('shapes', () => {
    assert.ok(compileGlob('a*')('abc'));
    assert.ok(compileGlob('*c')('abc'));
    assert.ok(compileGlob('*b*')('abc'));
    assert.ok(compileGlob('a?c*e')('abcde'));
    assert.ok(!compileGlob('a?c')('ac'));
    assert.ok(compileGlob('')(''));
  });
  test('escapes make substituted text literal; policy backslashes stay literal', () => {
    assert.ok(!compileGlob(escapeLiteral('a*'))('abc'));
    assert.ok(compileGlob(escapeLiteral('a*'))('a*'));
    assert.ok(compileGlob(fromPolicyText('a\\b*'))('a\\bc'));
  });
  test('splitArn keeps colons of the resource part', () => {
    assert.deepEqual(splitArn('arn:aws:s3:::b/a:b'), ['arn', 'aws', 's3', '', '', 'b/a:b']);
    assert.equal(splitArn('arn:aws:s3'), undefined);
  });
});

describe('size', () => {
  test('white space between tokens is not counted, inside strings it is', () => {
    assert.equal(policySize('{ "a" : "b c" }'), '{"a":"b c"}'.length);
    assert.equal(policySize('{"a":"\\" x"}'), '{"a":"\\" x"}'.length);
  });
  test('limits', () => {
    assert.deepEqual(checkPolicySize('x'.repeat(10), 'userInline'), { size: 10, limit: 2048, ok: true });
    assert.equal(checkPolicySize(['x'.repeat(5000), 'x'.repeat(200)], 'groupInline').ok, false);
    assert.equal(checkPolicySize('x'.repeat(6145), 'managed').ok, false);
  });
});

const KEY_TYPES: Record<string, ConditionKeyType> = { 'aws:sourceip': 'IPAddress', 'aws:tagkeys': 'ArrayOfString', 's3:prefix': 'String' };

describe('catalogue warnings', () => {
  const catalogue: ActionCatalogue = {
    hasService: (s) => s === 's3',
    actionsOf: (s) => (s === 's3' ? ['GetObject', 'PutObject'] : undefined),
    conditionKeyType: (k) => KEY_TYPES[k.toLowerCase()],
  };
  const warnings = (statement: Record<string, unknown>) =>
    validatePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] }, 'identity', { catalogue }).warnings.map((w) => w.code);
  test('unknown service, action and action pattern', () => {
    assert.deepEqual(warnings({ Action: ['s3:GetObject', 's3:Nope', 'ec2:RunInstances', 's3:List*'] }), ['UnknownAction', 'UnknownService', 'UnknownAction']);
  });
  test('unknown condition key, type mismatch, set operators', () => {
    assert.deepEqual(warnings({ Action: 's3:GetObject', Condition: { StringEquals: { 'x:y': 'a', 'aws:TagKeys': 'a' }, NumericEquals: { 'aws:SourceIp': '1' }, 'ForAnyValue:StringLike': { 's3:prefix': 'a' } } }), [
      'UnknownConditionKey',
      'MissingSetOperator',
      'ConditionTypeMismatch',
      'SetOperatorOnSingleValuedKey',
    ]);
  });
  test('no catalogue, no catalogue warnings', () => {
    assert.deepEqual(validatePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'x:y', Resource: '*' }] }, 'identity').warnings, []);
  });
});

describe('principal context keys', () => {
  test('IAM user', () => {
    assert.deepEqual(principalContextKeys({ type: 'User', arn: 'arn:aws:iam::111122223333:user/path/alice', accountId: '111122223333', userId: 'AIDA1' }), {
      'aws:PrincipalType': 'User',
      'aws:username': 'alice',
      'aws:userid': 'AIDA1',
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/path/alice',
      'aws:PrincipalAccount': '111122223333',
    });
  });
  test('role session: aws:PrincipalArn is the role ARN and there is no aws:username', () => {
    const k = principalContextKeys({ type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', roleArn: 'arn:aws:iam::1:role/r', accountId: '1', userId: 'AROA1:s' });
    assert.equal(k['aws:PrincipalArn'], 'arn:aws:iam::1:role/r');
    assert.equal(k['aws:username'], undefined);
    assert.equal(k['aws:userid'], 'AROA1:s');
  });
  test('federated user and anonymous', () => {
    assert.equal(principalContextKeys({ type: 'FederatedUser', arn: 'arn:aws:sts::1:federated-user/bob', accountId: '1' })['aws:userid'], '1:bob');
    assert.deepEqual(principalContextKeys({ type: 'Anonymous' }), { 'aws:PrincipalType': 'Anonymous' });
  });
});

describe('decisions', () => {
  test('trace names the element and the condition values that did not match', () => {
    const document = parsePolicyOrThrow({ Version: '2012-10-17', Statement: [{ Sid: 'Ip', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }, { Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] });
    const request = { principal: { type: 'User' as const, arn: 'arn:aws:iam::1:user/a', accountId: '1' }, action: 's3:GetObject', resource: '*', context: { 'aws:SourceIp': '192.0.2.1' } };
    const d = evaluate(request, { identity: [{ document, label: 'inline:ip' }] });
    assert.equal(d.trace[0]!.label, 'inline:ip');
    assert.deepEqual(d.trace[0]!.statements, [
      { index: 0, sid: 'Ip', effect: 'Allow', matched: false, why: { element: 'Condition', operator: 'IpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8'], contextValues: ['192.0.2.1'] } },
      { index: 1, effect: 'Allow', matched: false, why: { element: 'Action' } },
    ]);
    assert.deepEqual(explainDecision(d, request), { principal: 'arn:aws:iam::1:user/a', action: 's3:GetObject', kind: 'implicit', policyType: 'identity', policyTypeName: 'identity-based policy' });
  });
  test('the engine reads no clock: aws:CurrentTime comes from the request', () => {
    const document = parsePolicyOrThrow({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } } }] });
    const base = { principal: { type: 'User' as const, arn: 'arn:aws:iam::1:user/a', accountId: '1' }, action: 's3:GetObject', resource: '*' };
    assert.equal(evaluate({ ...base, context: { 'aws:CurrentTime': '1999-12-31T23:59:59Z' } }, { identity: [{ document }] }).result, 'Allow');
    assert.equal(evaluate({ ...base, context: {} }, { identity: [{ document }] }).missingContextKeys[0], 'aws:CurrentTime');
  });
});

test('throughput (report only; the target is measured by perf.ts)', (t) => {
  const r = measureDecisionsPerSecond(() => performance.now(), 50_000);
  t.diagnostic(`${r.perSecond} decisions/s (5 policies x 10 statements with conditions, trace off)`);
  assert.ok(r.perSecond > 10_000);
});
