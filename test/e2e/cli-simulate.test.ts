import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../src/cli/main.js');

test('coffer simulate evaluates policy files offline with the request engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-sim-'));
  const identity = join(dir, 'identity.json');
  const bucket = join(dir, 'bucket.json');
  writeFileSync(identity, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] }));
  writeFileSync(bucket, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::theirs/*' }] }));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'simulate', ...args], { encoding: 'utf8' });
  const denied = run('--policy', identity, '--action', 's3:GetObject');
  assert.equal(denied.status, 2);
  assert.match(denied.stdout, /^implicitDeny\s+s3:GetObject on \*\n\s+missing context keys: aws:SourceIp/);
  const allowed = run('--policy', identity, '--action', 's3:GetObject', '--context', 'aws:SourceIp=10.9.8.7', '--json');
  assert.equal(allowed.status, 0);
  assert.equal((JSON.parse(allowed.stdout) as Array<{ EvalDecision: string }>)[0]!.EvalDecision, 'allowed');
  const cross = (policy: string[]) => run('--policy', identity, ...policy, '--caller', 'arn:aws:iam::111111111111:role/reader', '--resource-owner', '222222222222',
    '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::theirs/k', '--context', 'aws:SourceIp=10.0.0.1');
  assert.equal(cross([]).status, 2, 'cross-account needs the resource policy too');
  assert.equal(cross(['--resource-policy', bucket]).status, 0);
});
