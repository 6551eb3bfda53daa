/** Missing keys, ...IfExists, Null, set operators, and how keys, values and blocks combine. */
import type { ConditionCase } from './helpers.js';

const OP = 'IAM JSON policy elements: Condition operators';
const MULTI = 'Conditions with multiple context keys or values';
const SETS = 'Single-valued vs. multivalued context keys';
const MV = 'Multivalued context key examples';
const COND = 'IAM JSON policy elements: Condition';

export const logicCases: ConditionCase[] = [
  // Missing keys
  { rule: `${OP} — a key missing from the request context: the values do not match`, condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, context: {}, expect: false },
  { rule: `${OP} — missing key with a negated operator (StringNotLike): the condition is true`, condition: { StringNotLike: { 'aws:PrincipalTag/team': 'red*' } }, context: {}, expect: true },
  { rule: `${OP} — missing key with ArnNotLike: true`, condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, context: {}, expect: true },
  { rule: `${OP} — missing key with NotIpAddress: true`, condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, context: {}, expect: true },
  { rule: `${OP} — missing key with NumericLessThan: false`, condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: {}, expect: false },
  { rule: `${OP} — missing key with Bool: false`, condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, context: {}, expect: false },
  // IfExists
  { rule: `${OP} — ...IfExists: a missing key makes the condition true`, condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, context: {}, expect: true },
  { rule: `${OP} — ...IfExists: a present key is checked as usual`, condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, context: { 'ec2:InstanceType': 'c5.large' }, expect: false },
  { rule: `${OP} — ...IfExists: a present matching key`, condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*'] } }, context: { 'ec2:InstanceType': 't2.nano' }, expect: true },
  { rule: `${OP} — ...IfExists works with every operator (NumericLessThanIfExists)`, condition: { NumericLessThanIfExists: { 's3:max-keys': '10' } }, context: {}, expect: true },
  { rule: `${OP} — ...IfExists with a negated operator checks a present key`, condition: { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'red' } }, context: { 'aws:PrincipalTag/team': 'red' }, expect: false },
  { rule: `${OP} — ...IfExists with a negated operator and a missing key: true`, condition: { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'red' } }, context: {}, expect: true },
  { rule: `${OP} — IfExists can be added to any operator except Null: NullIfExists never matches`, condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } }, context: {}, expect: false },
  { rule: `${OP} — BoolIfExists with a missing key: true`, condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }, context: {}, expect: true },
  { rule: `${OP} — IpAddressIfExists with a present key outside the range: false`, condition: { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, context: { 'aws:SourceIp': '192.0.2.1' }, expect: false },
  // Null
  { rule: `${OP} — Null "true": the key is absent`, condition: { Null: { 'aws:TokenIssueTime': 'true' } }, context: {}, expect: true },
  { rule: `${OP} — Null "true" is false when the key is present`, condition: { Null: { 'aws:TokenIssueTime': 'true' } }, context: { 'aws:TokenIssueTime': '2025-01-01T00:00:00Z' }, expect: false },
  { rule: `${OP} — Null "false": the key exists and its value is not null`, condition: { Null: { 'aws:TokenIssueTime': 'false' } }, context: { 'aws:TokenIssueTime': '2025-01-01T00:00:00Z' }, expect: true },
  { rule: `${OP} — Null "false" is false for an absent key`, condition: { Null: { 'aws:TokenIssueTime': 'false' } }, context: {}, expect: false },
  { rule: `${MV} — Null "false" treats an empty multivalued key as null`, condition: { Null: { 'aws:TagKeys': 'false' } }, context: { 'aws:TagKeys': [] }, expect: false },
  // Keys, values, blocks
  { rule: `${MULTI} — several keys in one operator are ANDed`, condition: { StringEquals: { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': 'audit' } }, context: { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': 'dev' }, expect: false },
  { rule: `${MULTI} — all keys true: the block is true`, condition: { StringEquals: { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': 'audit' } }, context: { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': 'audit' }, expect: true },
  { rule: `${MULTI} — several operators are ANDed`, condition: { StringEquals: { 'aws:PrincipalTag/role': 'audit' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, context: { 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/x' }, expect: false },
  { rule: `${MULTI} — several operators all true`, condition: { StringEquals: { 'aws:PrincipalTag/role': 'audit' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, context: { 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/x' }, expect: true },
  { rule: `${COND} — condition key names are not case-sensitive`, condition: { IpAddress: { 'AWS:SourceIP': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '203.0.113.1' }, expect: true },
  { rule: `${COND} — tag key names in condition keys are not case-sensitive`, condition: { StringEquals: { 'aws:ResourceTag/TagKey1': 'Value1' } }, context: { 'aws:ResourceTag/tagkey1': 'Value1' }, expect: true },
  { rule: `${COND} — condition values stay case-sensitive with StringEquals`, condition: { StringEquals: { 'aws:ResourceTag/TagKey1': 'Value1' } }, context: { 'aws:ResourceTag/TagKey1': 'value1' }, expect: false },
  // Set operators
  { rule: `${SETS} — ForAllValues: every request value matches some policy value`, condition: { 'ForAllValues:StringLike': { 'dynamodb:requestedAttributes': ['PostDateTime', 'Message', 'Tags'] } }, context: { 'dynamodb:requestedAttributes': ['PostDateTime', 'Message'] }, expect: true },
  { rule: `${SETS} — ForAllValues is false if one request value matches nothing`, condition: { 'ForAllValues:StringLike': { 'dynamodb:requestedAttributes': ['PostDateTime', 'Message', 'Tags'] } }, context: { 'dynamodb:requestedAttributes': ['PostDateTime', 'UserName'] }, expect: false },
  { rule: `${SETS} — ForAllValues returns true when the key is missing from the request`, condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, context: {}, expect: true },
  { rule: `${SETS} — ForAllValues returns true for an empty data set`, condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, context: { 'aws:TagKeys': [] }, expect: true },
  { rule: `${SETS} — ForAnyValue: one request value matching one policy value is enough`, condition: { 'ForAnyValue:StringLike': { 'dynamodb:requestedAttributes': ['ID', 'PostDateTime'] } }, context: { 'dynamodb:requestedAttributes': ['UserName', 'Message', 'PostDateTime'] }, expect: true },
  { rule: `${SETS} — ForAnyValue is false when no combination matches`, condition: { 'ForAnyValue:StringLike': { 'dynamodb:requestedAttributes': ['ID', 'PostDateTime'] } }, context: { 'dynamodb:requestedAttributes': ['UserName'] }, expect: false },
  { rule: `${SETS} — ForAnyValue returns false when the key is missing`, condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, context: {}, expect: false },
  { rule: `${SETS} — ForAnyValue returns false for an empty data set`, condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, context: { 'aws:TagKeys': [] }, expect: false },
  { rule: `${MV} — ForAllValues:StringNotLike: a value with the allowed prefix does not match`, condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, context: { 'aws:TagKeys': ['key1:legal'] }, expect: false },
  { rule: `${MV} — ForAllValues:StringNotLike: all values with the prefix do not match`, condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, context: { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] }, expect: false },
  { rule: `${MV} — ForAllValues:StringNotLike: a value without the prefix matches`, condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, context: { 'aws:TagKeys': ['key2:audit'] }, expect: true },
  { rule: `${MV} — ForAllValues:StringNotLike with no aws:TagKeys in the request matches`, condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } }, context: {}, expect: true },
  { rule: `${MV} — ForAnyValue:StringNotEquals: true if any request value is none of the policy values`, condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env', 'team'] } }, context: { 'aws:TagKeys': ['env', 'cost'] }, expect: true },
  { rule: `${MV} — ForAnyValue:StringNotEquals false when every request value is listed`, condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env', 'team'] } }, context: { 'aws:TagKeys': ['env', 'team'] }, expect: false },
  { rule: `${SETS} — set operators work with other operator types (ForAnyValue:IpAddress)`, condition: { 'ForAnyValue:IpAddress': { 'test:ips': '10.0.0.0/8' } }, context: { 'test:ips': ['192.0.2.1', '10.1.1.1'] }, expect: true },
  { rule: `${SETS} — ForAllValues with ...IfExists and a missing key: true`, condition: { 'ForAllValues:StringEqualsIfExists': { 'aws:TagKeys': 'env' } }, context: {}, expect: true },
  { rule: `${SETS} — ForAnyValue with ...IfExists and a missing key: true (IfExists)`, condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'env' } }, context: {}, expect: true },
  { rule: `${SETS} — a set operator on a single-valued key reads the one value as a set`, condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': ['red', 'blue'] } }, context: { 'aws:PrincipalTag/team': 'blue' }, expect: true },
  { rule: `${SETS} — without a set operator a multivalued key matches when one of its values does`, condition: { StringEquals: { 'aws:PrincipalOrgPaths': 'o-a/r-b/ou-c/' } }, context: { 'aws:PrincipalOrgPaths': ['o-a/r-b/ou-x/', 'o-a/r-b/ou-c/'] }, expect: true },
  { rule: `${SETS} — without a set operator a negated operator needs no value to match`, condition: { StringNotEquals: { 'aws:PrincipalOrgPaths': 'o-a/r-b/ou-c/' } }, context: { 'aws:PrincipalOrgPaths': ['o-a/r-b/ou-x/', 'o-a/r-b/ou-c/'] }, expect: false },
];
