/**
 * Throughput measurement: a role session with 5 attached policies × 10 statements, each
 * statement with conditions, deciding an S3 GetObject whose only Allow is the very last
 * statement (so every statement is looked at). The clock is injected: this module does no I/O.
 */
import { evaluate } from './evaluate.js';
import { parsePolicyOrThrow } from './parse.js';
import type { AuthorizationRequest, EvaluateOptions, Policy } from './types.js';

const SERVICES = ['ec2', 'dynamodb', 'sqs', 'sns', 'kms', 'lambda', 'logs', 'iam', 's3'];

function statement(p: number, s: number): Record<string, unknown> {
  const last = p === 4 && s === 9;
  const service = last ? 's3' : SERVICES[(p * 10 + s) % SERVICES.length]!;
  if (s === 0) {
    // A guard-rail Deny in every policy: evaluated for every request, never matching here.
    return {
      Sid: `Deny${p}`,
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
  }
  return {
    Sid: `P${p}S${s}`,
    Effect: 'Allow',
    Action: last ? ['s3:GetObject', 's3:GetObjectVersion'] : [`${service}:Get*`, `${service}:List*`, `${service}:Describe${s}`],
    Resource: last ? 'arn:aws:s3:::data-bucket/${aws:PrincipalTag/team}/*' : `arn:aws:${service}:*:123456789012:thing-${s}/*`,
    Condition: {
      StringEquals: { 'aws:PrincipalTag/team': ['analytics', 'platform'], 'aws:RequestedRegion': 'us-east-1' },
      IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] },
      DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
    },
  };
}

export function perfPolicies(): Policy[] {
  const out: Policy[] = [];
  for (let p = 0; p < 5; p++) {
    const Statement = [];
    for (let s = 0; s < 10; s++) Statement.push(statement(p, s));
    out.push({ label: `policy-${p}`, document: parsePolicyOrThrow({ Version: '2012-10-17', Statement }) });
  }
  return out;
}

export function perfRequest(): AuthorizationRequest {
  return {
    principal: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/analyst/alice',
      roleArn: 'arn:aws:iam::123456789012:role/analyst',
      accountId: '123456789012',
    },
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::data-bucket/analytics/2024/01/report.csv',
    context: {
      'aws:PrincipalTag/team': 'analytics',
      'aws:RequestedRegion': 'us-east-1',
      'aws:SourceIp': '10.20.30.40',
      'aws:SecureTransport': 'true',
      'aws:CurrentTime': '2025-06-01T12:00:00Z',
      'aws:EpochTime': '1748779200',
      'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/analyst',
      'aws:PrincipalAccount': '123456789012',
      'aws:PrincipalType': 'AssumedRole',
      's3:ExistingObjectTag/class': 'internal',
    },
  };
}

export interface PerfResult {
  readonly decisions: number;
  readonly millis: number;
  readonly perSecond: number;
}

/** Run `iterations` decisions after a warm-up and report the rate measured with `now` (ms). */
export function measureDecisionsPerSecond(now: () => number, iterations = 200_000, options: EvaluateOptions = { trace: false }): PerfResult {
  const identity = perfPolicies();
  const request = perfRequest();
  const policies = { identity };
  let allowed = 0;
  for (let i = 0; i < 20_000; i++) if (evaluate(request, policies, options).result === 'Allow') allowed++;
  const start = now();
  for (let i = 0; i < iterations; i++) if (evaluate(request, policies, options).result === 'Allow') allowed++;
  const millis = now() - start;
  if (allowed !== iterations + 20_000) throw new Error('perf scenario must be allowed');
  return { decisions: iterations, millis, perSecond: Math.round((iterations / millis) * 1000) };
}
