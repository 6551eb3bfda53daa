import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserCommand, PutUserPermissionsBoundaryCommand, CreatePolicyCommand, PutUserPolicyCommand, SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { iamClient, startTestServer, awsCli, type TestServer } from './harness.js';

const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

describe('the IAM policy simulator', () => {
  let srv: TestServer;
  let iam: IAMClient;
  before(async () => {
    srv = await startTestServer();
    iam = iamClient(srv.endpoint);
    await iam.send(new CreateUserCommand({ UserName: 'analyst' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'analyst', PolicyName: 'reports',
      PolicyDocument: doc([
        { Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
        { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::reports/secret/*' },
      ]),
    }));
  });
  after(async () => {
    iam.destroy();
    await srv.stop();
  });

  test('SimulatePrincipalPolicy: allowed, explicit deny, implicit deny, with the deciding statements located', async () => {
    const r = await iam.send(new SimulatePrincipalPolicyCommand({
      PolicySourceArn: 'arn:aws:iam::000000000000:user/analyst',
      ActionNames: ['s3:GetObject', 's3:PutObject'],
      ResourceArns: ['arn:aws:s3:::reports/q1.csv', 'arn:aws:s3:::reports/secret/salaries.csv'],
    }));
    const byKey = new Map(r.EvaluationResults!.map((e) => [`${e.EvalActionName} ${e.EvalResourceName}`, e]));
    assert.equal(byKey.get('s3:GetObject arn:aws:s3:::reports/q1.csv')!.EvalDecision, 'allowed');
    const deny = byKey.get('s3:GetObject arn:aws:s3:::reports/secret/salaries.csv')!;
    assert.equal(deny.EvalDecision, 'explicitDeny');
    const m = deny.MatchedStatements!.find((s) => s.SourcePolicyId === 'user/analyst/reports' && s.StartPosition?.Line === 10);
    assert.ok(m, JSON.stringify(deny.MatchedStatements));
    assert.equal(m.SourcePolicyType, 'user');
    assert.equal(byKey.get('s3:PutObject arn:aws:s3:::reports/q1.csv')!.EvalDecision, 'implicitDeny');
  });

  test('SimulateCustomPolicy: context entries, missing context values, resource policies, boundaries', async () => {
    const policy = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]);
    const missing = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['s3:GetObject'] }));
    assert.equal(missing.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
    assert.deepEqual(missing.EvaluationResults![0]!.MissingContextValues, ['aws:SourceIp']);
    const inRange = await iam.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [policy], ActionNames: ['s3:GetObject'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.1.2.3'] }],
    }));
    assert.equal(inRange.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.equal(inRange.EvaluationResults![0]!.MatchedStatements![0]!.SourcePolicyId, 'PolicyInputList.1');
    const bounded = await iam.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])],
      PermissionsBoundaryPolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])],
      ActionNames: ['s3:GetObject', 's3:DeleteObject'],
    }));
    assert.deepEqual(bounded.EvaluationResults!.map((e) => e.EvalDecision), ['allowed', 'implicitDeny']);
    assert.equal(bounded.EvaluationResults![1]!.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary, false);
    const cross = await iam.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])],
      ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::theirs/k'],
      ResourcePolicy: doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/analyst' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::theirs/*' }]),
      ResourceOwner: 'arn:aws:iam::222222222222:root', CallerArn: 'arn:aws:iam::000000000000:user/analyst',
    }));
    assert.equal(cross.EvaluationResults![0]!.EvalDecision, 'allowed');
    const noResourcePolicy = await iam.send(new SimulateCustomPolicyCommand({
      PolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])],
      ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::theirs/k'],
      ResourcePolicy: doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::theirs/*' }]),
      ResourceOwner: 'arn:aws:iam::222222222222:root', CallerArn: 'arn:aws:iam::000000000000:user/analyst',
    }));
    assert.equal(noResourcePolicy.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
  });

  test('a boundary attached to the user takes part in SimulatePrincipalPolicy; malformed input is refused', async () => {
    const b = await iam.send(new CreatePolicyCommand({ PolicyName: 'list-only', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }]) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'analyst', PermissionsBoundary: b.Policy!.Arn! }));
    const r = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::000000000000:user/analyst', ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::reports/q1.csv'] }));
    assert.equal(r.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
    await assert.rejects(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{not json'], ActionNames: ['s3:GetObject'] })), /MalformedPolicyDocument/);
  });

  test('the AWS CLI drives the simulator too', async () => {
    const { stdout } = await awsCli(srv.endpoint, ['iam', 'simulate-custom-policy', '--policy-input-list', doc([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]), '--action-names', 'kms:Decrypt', 'kms:Encrypt', '--output', 'json']);
    const out = JSON.parse(stdout) as { EvaluationResults: Array<{ EvalDecision: string }> };
    assert.deepEqual(out.EvaluationResults.map((e) => e.EvalDecision), ['allowed', 'implicitDeny']);
  });
});
