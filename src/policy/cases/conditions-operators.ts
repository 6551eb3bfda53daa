/** Each condition operator on its own (single-valued keys). */
import type { ConditionCase } from './helpers.js';

const OP = 'IAM JSON policy elements: Condition operators';

export const operatorCases: ConditionCase[] = [
  // String
  { rule: `${OP} — StringEquals: exact matching, case sensitive`, condition: { StringEquals: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'johndoe' }, expect: true },
  { rule: `${OP} — StringEquals rejects a different case`, condition: { StringEquals: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'JohnDoe' }, expect: false },
  { rule: `${OP} — StringEquals has no wildcards: "*" is literal`, condition: { StringEquals: { 'aws:username': 'john*' } }, context: { 'aws:username': 'johndoe' }, expect: false },
  { rule: `${OP} — StringEquals: several values are ORed`, condition: { StringEquals: { 'aws:PrincipalTag/role': ['audit', 'security'] } }, context: { 'aws:PrincipalTag/role': 'security' }, expect: true },
  { rule: `${OP} — StringNotEquals: negated matching`, condition: { StringNotEquals: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'jane' }, expect: true },
  { rule: `${OP} — StringNotEquals is false for the listed value`, condition: { StringNotEquals: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'johndoe' }, expect: false },
  { rule: 'Conditions with multiple context keys or values — negated operator values are NORed: true only if no value matches', condition: { StringNotEquals: { 'aws:PrincipalTag/role': ['audit', 'security'] } }, context: { 'aws:PrincipalTag/role': 'dev' }, expect: true },
  { rule: 'Conditions with multiple context keys or values — NOR: false when any listed value matches', condition: { StringNotEquals: { 'aws:PrincipalTag/role': ['audit', 'security'] } }, context: { 'aws:PrincipalTag/role': 'audit' }, expect: false },
  { rule: `${OP} — StringEqualsIgnoreCase: exact matching, ignoring case`, condition: { StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'JohnDoe' }, expect: true },
  { rule: `${OP} — StringEqualsIgnoreCase still needs equal text`, condition: { StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'john' }, expect: false },
  { rule: `${OP} — StringNotEqualsIgnoreCase: negated, ignoring case`, condition: { StringNotEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'JOHNDOE' }, expect: false },
  { rule: `${OP} — StringNotEqualsIgnoreCase true for other text`, condition: { StringNotEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, context: { 'aws:username': 'jane' }, expect: true },
  { rule: `${OP} — StringLike: "*" matches any run of characters`, condition: { StringLike: { 's3:prefix': 'home/*' } }, context: { 's3:prefix': 'home/alice/' }, expect: true },
  { rule: `${OP} — StringLike: "?" matches one character`, condition: { StringLike: { 'ec2:InstanceType': 't?.micro' } }, context: { 'ec2:InstanceType': 't3.micro' }, expect: true },
  { rule: `${OP} — StringLike is case-sensitive`, condition: { StringLike: { 's3:prefix': 'Home/*' } }, context: { 's3:prefix': 'home/alice/' }, expect: false },
  { rule: `${OP} — StringLike needs wildcards for partial matches`, condition: { StringLike: { 's3:prefix': 'home' } }, context: { 's3:prefix': 'home/alice/' }, expect: false },
  { rule: `${OP} — StringLike: empty-string value matches an empty key value`, condition: { StringLike: { 's3:prefix': ['', 'home/'] } }, context: { 's3:prefix': '' }, expect: true },
  { rule: `${OP} — StringNotLike: negated wildcard matching`, condition: { StringNotLike: { 's3:prefix': 'private/*' } }, context: { 's3:prefix': 'public/x' }, expect: true },
  { rule: `${OP} — StringNotLike false when a pattern matches`, condition: { StringNotLike: { 's3:prefix': ['tmp/*', 'private/*'] } }, context: { 's3:prefix': 'private/x' }, expect: false },
  // Numeric
  { rule: `${OP} — NumericEquals matches equal numbers`, condition: { NumericEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10' }, expect: true },
  { rule: `${OP} — NumericEquals compares numerically ("10" = "10.0")`, condition: { NumericEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10.0' }, expect: true },
  { rule: `${OP} — NumericNotEquals: negated matching`, condition: { NumericNotEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '11' }, expect: true },
  { rule: `${OP} — NumericLessThan`, condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '9' }, expect: true },
  { rule: `${OP} — NumericLessThan is strict`, condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10' }, expect: false },
  { rule: `${OP} — NumericLessThanEquals ("up to" 10)`, condition: { NumericLessThanEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10' }, expect: true },
  { rule: `${OP} — NumericGreaterThan`, condition: { NumericGreaterThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10.5' }, expect: true },
  { rule: `${OP} — NumericGreaterThanEquals`, condition: { NumericGreaterThanEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '9' }, expect: false },
  { rule: `${OP} — Numeric operators read integers or decimals; other text never matches`, condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 'ten' }, expect: false },
  { rule: `${OP} — Numeric values may be written as JSON numbers`, condition: { NumericLessThanEquals: { 's3:max-keys': 10 } }, context: { 's3:max-keys': '7' }, expect: true },
  // Date
  { rule: `${OP} — DateLessThan with W3C ISO 8601 dates`, condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, context: { 'aws:CurrentTime': '2025-06-01T12:00:00Z' }, expect: true },
  { rule: `${OP} — DateGreaterThan (aws:TokenIssueTime after a date)`, condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } }, context: { 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' }, expect: false },
  { rule: `${OP} — DateEquals with epoch time against an ISO context value`, condition: { DateEquals: { 'aws:CurrentTime': '1735689600' } }, context: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' }, expect: true },
  { rule: `${OP} — DateNotEquals: negated matching`, condition: { DateNotEquals: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }, context: { 'aws:CurrentTime': '2025-01-01T00:00:01Z' }, expect: true },
  { rule: `${OP} — DateLessThanEquals includes the instant itself`, condition: { DateLessThanEquals: { 'aws:EpochTime': '1735689600' } }, context: { 'aws:EpochTime': '1735689600' }, expect: true },
  { rule: `${OP} — DateGreaterThanEquals`, condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '2025-01-01' } }, context: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' }, expect: true },
  { rule: `${OP} — ISO 8601 time-zone offsets are honoured`, condition: { DateEquals: { 'aws:CurrentTime': '2025-01-01T02:00:00+02:00' } }, context: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' }, expect: true },
  { rule: `${OP} — wildcards are not permitted for date operators`, condition: { DateEquals: { 'aws:CurrentTime': '2025-*' } }, context: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' }, expect: false },
  // Bool
  { rule: `${OP} — Bool matches "true"`, condition: { Bool: { 'aws:SecureTransport': 'true' } }, context: { 'aws:SecureTransport': 'true' }, expect: true },
  { rule: `${OP} — Bool "false" does not match "true"`, condition: { Bool: { 'aws:SecureTransport': 'false' } }, context: { 'aws:SecureTransport': 'true' }, expect: false },
  { rule: `${OP} — Bool values may be JSON booleans`, condition: { Bool: { 'aws:MultiFactorAuthPresent': true } }, context: { 'aws:MultiFactorAuthPresent': 'true' }, expect: true },
  // Binary
  { rule: `${OP} — BinaryEquals compares bytes of the base-64 value`, condition: { BinaryEquals: { 'test:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'test:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }, expect: true },
  { rule: `${OP} — BinaryEquals rejects other bytes`, condition: { BinaryEquals: { 'test:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'test:bin': 'b3RoZXI=' }, expect: false },
  // IP address
  { rule: `${OP} — IpAddress: address inside the CIDR range`, condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '203.0.113.77' }, expect: true },
  { rule: `${OP} — IpAddress: address outside the range`, condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '203.0.114.1' }, expect: false },
  { rule: `${OP} — IpAddress without a prefix means /32`, condition: { IpAddress: { 'aws:SourceIp': '203.0.113.5' } }, context: { 'aws:SourceIp': '203.0.113.6' }, expect: false },
  { rule: `${OP} — IpAddress with IPv6 ranges ("::" compression)`, condition: { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, context: { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' }, expect: true },
  { rule: `${OP} — IPv4 and IPv6 ranges can be mixed`, condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } }, context: { 'aws:SourceIp': '203.0.113.9' }, expect: true },
  { rule: `${OP} — an IPv4-mapped IPv6 address matches the IPv4 range`, condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '::ffff:203.0.113.9' }, expect: true },
  { rule: `${OP} — NotIpAddress: every address except the range`, condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, context: { 'aws:SourceIp': '198.51.100.1' }, expect: true },
  { rule: `${OP} — NotIpAddress false inside any listed range`, condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, context: { 'aws:SourceIp': '192.0.2.200' }, expect: false },
  // ARN
  { rule: `${OP} — ArnEquals: case-sensitive ARN matching`, condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' }, expect: true },
  { rule: `${OP} — ArnEquals and ArnLike behave identically (wildcards allowed)`, condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } }, context: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:t' }, expect: true },
  { rule: `${OP} — ArnLike matches each colon-delimited component separately`, condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } }, context: { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' }, expect: false },
  { rule: `${OP} — the same value matches with StringLike, whose "*" crosses colons`, condition: { StringLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } }, context: { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' }, expect: true },
  { rule: `${OP} — ArnLike is case-sensitive`, condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:Topic' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' }, expect: false },
  { rule: `${OP} — ArnLike: a value that is not an ARN does not match`, condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:*:*:*:*' } }, context: { 'aws:SourceArn': 'not-an-arn' }, expect: false },
  { rule: `${OP} — ArnNotEquals: negated ARN matching`, condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/user-name' } }, context: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/other' }, expect: true },
  { rule: `${OP} — ArnNotLike false when the pattern matches`, condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' } }, context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/admin-ops' }, expect: false },
];
