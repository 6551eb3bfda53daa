/** Action, NotAction, Resource and NotResource matching. */
import { OBJ, type StatementCase } from './helpers.js';

const A = 'IAM JSON policy elements: Action';
const NA = 'IAM JSON policy elements: NotAction';
const R = 'IAM JSON policy elements: Resource';
const NR = 'IAM JSON policy elements: NotResource';

const allow = (Action: unknown, Resource: unknown = '*') => ({ Effect: 'Allow', Action, Resource });

export const matchingCases: StatementCase[] = [
  { rule: `${A} — exact action matches`, statement: allow('s3:GetObject'), action: 's3:GetObject', expect: true },
  { rule: `${A} — prefix and action name are case-insensitive`, statement: allow('S3:getobject'), action: 's3:GetObject', expect: true },
  { rule: `${A} — request action case does not matter either`, statement: allow('s3:GetObject'), action: 'S3:GETOBJECT', expect: true },
  { rule: `${A} — a different action does not match`, statement: allow('s3:PutObject'), action: 's3:GetObject', expect: false },
  { rule: `${A} — "*" alone matches every action of every service`, statement: allow('*'), action: 'kms:Decrypt', expect: true },
  { rule: `${A} — "s3:*" matches all actions of the service`, statement: allow('s3:*'), action: 's3:DeleteBucket', expect: true },
  { rule: `${A} — the service prefix must match`, statement: allow('s3:*'), action: 's3express:CreateSession', expect: false },
  { rule: `${A} — multi-character wildcard in the action name`, statement: allow('s3:Get*'), action: 's3:GetObjectTagging', expect: true },
  { rule: `${A} — wildcard is anchored at both ends`, statement: allow('s3:Get*'), action: 's3:ListBucket', expect: false },
  { rule: `${A} — wildcard inside the name ("iam:*AccessKey*")`, statement: allow('iam:*AccessKey*'), action: 'iam:CreateAccessKey', expect: true },
  { rule: `${A} — single-character wildcard "?"`, statement: allow('s3:Get?bject'), action: 's3:GetObject', expect: true },
  { rule: `${A} — "?" matches exactly one character`, statement: allow('s3:Get?bject'), action: 's3:GetObbject', expect: false },
  { rule: `${A} — a list of actions is ORed`, statement: allow(['s3:PutObject', 'kms:Decrypt']), action: 'kms:Decrypt', expect: true },
  { rule: `${A} — suffix wildcard ("iam:*Report")`, statement: allow('iam:*Report'), action: 'iam:GenerateCredentialReport', expect: true },
  { rule: `${NA} — NotAction matches every action except those listed`, statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, action: 's3:GetObject', expect: true },
  { rule: `${NA} — a listed action is excluded`, statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, action: 'iam:CreateUser', expect: false },
  { rule: `${NA} — NotAction entries are case-insensitive too`, statement: { Effect: 'Allow', NotAction: 'IAM:CreateUser', Resource: '*' }, action: 'iam:createuser', expect: false },
  { rule: `${NA} — NotAction with Deny denies everything else`, statement: { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }, identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], action: 's3:PutObject', expect: 'ExplicitDeny' },
  { rule: `${NA} — NotAction with Deny leaves the listed action alone`, statement: { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }, identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], action: 's3:GetObject', expect: true },
  { rule: `${R} — exact ARN matches`, statement: allow('s3:GetObject', OBJ), resource: OBJ, expect: true },
  { rule: `${R} — resource ARNs are case-sensitive`, statement: allow('s3:GetObject', 'arn:aws:s3:::Bucket/key.txt'), resource: OBJ, expect: false },
  { rule: `${R} — "*" matches every resource`, statement: allow('s3:GetObject', '*'), resource: OBJ, expect: true },
  { rule: `${R} — "*" in the resource segment matches "/"`, statement: allow('s3:GetObject', 'arn:aws:s3:::bucket/*'), resource: 'arn:aws:s3:::bucket/a/b/c.txt', expect: true },
  { rule: `${R} — the resource segment may contain colons`, statement: allow('s3:GetObject', 'arn:aws:s3:::bucket/*'), resource: 'arn:aws:s3:::bucket/a:b:c', expect: true },
  { rule: `${R} — "bucket/*" does not match the bucket itself`, statement: allow('s3:ListBucket', 'arn:aws:s3:::bucket/*'), action: 's3:ListBucket', resource: 'arn:aws:s3:::bucket', expect: false },
  { rule: `${R} — wildcards in the region and account segments`, statement: allow('sqs:SendMessage', 'arn:aws:sqs:*:*:queue1'), action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-2:111122223333:queue1', expect: true },
  { rule: `${R} — each ARN segment is matched separately: "*" in region does not cross ":"`, statement: allow('sqs:SendMessage', 'arn:aws:sqs:*:111122223333:queue1'), action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-2:999999999999:x:111122223333:queue1', expect: false },
  { rule: `${R} — "?" in a segment matches one character`, statement: allow('sqs:SendMessage', 'arn:aws:sqs:us-east-?:111122223333:queue1'), action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-2:111122223333:queue1', expect: true },
  { rule: `${R} — an empty segment must stay empty`, statement: allow('s3:GetObject', 'arn:aws:s3:::bucket/*'), resource: 'arn:aws:s3:us-east-1::bucket/key', expect: false },
  { rule: `${R} — multiple wildcards in one segment`, statement: allow('s3:GetObject', 'arn:aws:s3:::*log*'), resource: 'arn:aws:s3:::carlossalazar-logs', expect: true },
  { rule: `${R} — a list of resources is ORed`, statement: allow('s3:GetObject', ['arn:aws:s3:::other/*', 'arn:aws:s3:::bucket/*']), resource: OBJ, expect: true },
  { rule: `${R} — path wildcard on IAM users ("user/accounting/*")`, statement: allow('iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/*'), action: 'iam:GetUser', resource: 'arn:aws:iam::111122223333:user/accounting/bob', expect: true },
  { rule: `${R} — another path does not match`, statement: allow('iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/*'), action: 'iam:GetUser', resource: 'arn:aws:iam::111122223333:user/dev/bob', expect: false },
  { rule: `${NR} — NotResource matches every resource except those listed`, statement: { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }, resource: OBJ, expect: true },
  { rule: `${NR} — a listed resource is excluded`, statement: { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::bucket/*' }, resource: OBJ, expect: false },
  { rule: `${NR} — Deny with NotResource denies everything outside the list`, statement: { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'] }, identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], resource: 'arn:aws:s3:::elsewhere/k', expect: 'ExplicitDeny' },
  { rule: `${NR} — Deny with NotResource spares the listed resources`, statement: { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'] }, identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], resource: OBJ, expect: true },
];
