import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { AwsError } from '../../errors/aws-error.js';
import { encodeQueryError } from '../errors.js';
import { decodeQueryInput, parseQueryParams } from './decode.js';
import { encodeQueryResponse, iso8601Seconds, rfc3986Encode } from './encode.js';
import { queryOperation } from './query-service.js';
import { IAM_QUERY_MODEL as IAM } from './shapes/iam.js';
import { STS_QUERY_MODEL as STS } from './shapes/sts.js';

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'member' || name === 'entry' });
/** Element order inside a structure does not matter to clients: compare the trees. */
const tree = (xml: string): unknown => parser.parse(xml.replace(/>\s+</g, '><').trim());

describe('Query decoder', () => {
  it('decodes scalars, nested structure lists and string lists by the input shape', () => {
    const params = parseQueryParams('Action=CreateUser&Version=2010-05-08&UserName=Bob&Path=%2Fdivision_abc%2F'
      + '&Tags.member.1.Key=team&Tags.member.1.Value=blue&Tags.member.2.Key=cost+center&Tags.member.2.Value=42');
    assert.deepEqual(decodeQueryInput(IAM, 'CreateUser', params), {
      Path: '/division_abc/', UserName: 'Bob', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost center', Value: '42' }],
    });
    const untag = parseQueryParams('Action=UntagUser&UserName=Bob&TagKeys.member.2=b&TagKeys.member.1=a');
    assert.deepEqual(decodeQueryInput(IAM, 'UntagUser', untag), { UserName: 'Bob', TagKeys: ['a', 'b'] });
  });

  it('decodes integers, booleans, enums and lists of structures holding lists', () => {
    const list = parseQueryParams('Action=ListPolicies&Scope=Local&OnlyAttached=true&MaxItems=5');
    assert.deepEqual(decodeQueryInput(IAM, 'ListPolicies', list), { Scope: 'Local', OnlyAttached: true, MaxItems: 5 });
    const sim = parseQueryParams('Action=SimulateCustomPolicy&PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3%3AGetObject'
      + '&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyType=ip'
      + '&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyValues.member.2=10.0.0.2');
    assert.deepEqual(decodeQueryInput(IAM, 'SimulateCustomPolicy', sim), {
      PolicyInputList: ['{}'], ActionNames: ['s3:GetObject'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1', '10.0.0.2'], ContextKeyType: 'ip' }],
    });
  });

  it('reads an empty list sent as the bare member name', () => {
    assert.deepEqual(decodeQueryInput(IAM, 'CreateUser', parseQueryParams('UserName=a&Tags=')), { UserName: 'a', Tags: [] });
  });

  it('answers ValidationError in AWS wording for missing, too long, out-of-range and non-enum values', () => {
    const fail = (op: string, body: string) => {
      try {
        decodeQueryInput(IAM, op, parseQueryParams(body));
      } catch (e) {
        assert.ok(e instanceof AwsError);
        assert.equal(e.code, 'ValidationError');
        assert.equal(e.status, 400);
        return e.message;
      }
      assert.fail('expected ValidationError');
    };
    assert.equal(fail('CreateUser', 'Path=/'), "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
    assert.equal(fail('CreateUser', `UserName=${'a'.repeat(65)}`),
      `1 validation error detected: Value '${'a'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    assert.equal(fail('ListUsers', 'MaxItems=0&Marker=x'), "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    assert.match(fail('ListPolicies', 'Scope=Everything'), /Member must satisfy enum value set: \[All, AWS, Local\]/);
    assert.match(fail('CreatePolicy', 'PolicyName=a'), /^1 validation error detected: Value null at 'policyDocument'/);
    assert.match(fail('AttachUserPolicy', ''), /^2 validation errors detected: /);
    // Without a service hook a pattern fault quotes the pattern, as AWS's generic message does.
    assert.match(fail('CreateUser', 'UserName=a%20b'), /Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\+/);
  });

  it('lets the service word pattern faults (IAM names)', () => {
    assert.throws(() => decodeQueryInput(IAM, 'CreateUser', parseQueryParams('UserName=a%20b'), {
      patternMessage: (shape, member) => (shape === 'userNameType' ? `The specified value for ${member} is invalid.` : undefined),
    }), { code: 'ValidationError', message: 'The specified value for userName is invalid.' });
  });

  it('checks Unicode patterns (tag keys) with the u flag', () => {
    assert.deepEqual(decodeQueryInput(IAM, 'TagUser', parseQueryParams('UserName=a&Tags.member.1.Key=%C3%A9quipe&Tags.member.1.Value=x')).Tags, [{ Key: 'équipe', Value: 'x' }]);
    assert.throws(() => decodeQueryInput(IAM, 'TagUser', parseQueryParams('UserName=a&Tags.member.1.Key=%7Bx%7D&Tags.member.1.Value=x')), { code: 'ValidationError' });
  });
});

describe('Query encoder', () => {
  it('writes the GetUser example of the IAM API reference', () => {
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html, "Example".
    const aws = `<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
      <GetUserResult><User>
        <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
        <Path>/division_abc/subdivision_xyz/</Path>
        <UserName>Bob</UserName>
        <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob</Arn>
        <CreateDate>2013-10-02T17:01:44Z</CreateDate>
        <PasswordLastUsed>2014-10-10T14:37:51Z</PasswordLastUsed>
      </User></GetUserResult>
      <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
    </GetUserResponse>`;
    const ours = encodeQueryResponse(IAM, 'GetUser', {
      User: {
        UserId: 'AIDACKCEVSQ6C2EXAMPLE', Path: '/division_abc/subdivision_xyz/', UserName: 'Bob',
        Arn: 'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob',
        CreateDate: new Date('2013-10-02T17:01:44Z'), PasswordLastUsed: new Date('2014-10-10T14:37:51.000Z'),
      },
    }, '7a62c49f-347e-4fc4-9331-6e8eEXAMPLE');
    assert.deepEqual(tree(ours), tree(aws));
    // Members are written in the model's order.
    assert.match(ours, /<User><Path>.*<\/Path><UserName>Bob<\/UserName><UserId>/);
  });

  it('writes the GetCallerIdentity example of the STS API reference', () => {
    const aws = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
      <Arn>arn:aws:iam::123456789012:user/Alice</Arn><UserId>AKIAI44QH8DHBEXAMPLE</UserId><Account>123456789012</Account>
      </GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    const ours = encodeQueryResponse(STS, 'GetCallerIdentity', { UserId: 'AKIAI44QH8DHBEXAMPLE', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/Alice' }, '01234567-89ab-cdef-0123-456789abcdef');
    assert.deepEqual(tree(ours), tree(aws));
  });

  it('writes lists as <member>, maps as <entry>, booleans, integers and no Result for Unit outputs', () => {
    const list = encodeQueryResponse(IAM, 'ListUserTags', { Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '<&>' }], IsTruncated: false }, 'r');
    assert.equal(list, '<ListUserTagsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUserTagsResult>'
      + '<Tags><member><Key>a</Key><Value>1</Value></member><member><Key>b</Key><Value>&lt;&amp;&gt;</Value></member></Tags>'
      + '<IsTruncated>false</IsTruncated></ListUserTagsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUserTagsResponse>');
    // GetAccountSummary's example: SummaryMap entries.
    const summary = encodeQueryResponse(IAM, 'GetAccountSummary', { SummaryMap: { Groups: 31, GroupsQuota: 50 } }, 'r');
    assert.match(summary, /<SummaryMap><entry><key>Groups<\/key><value>31<\/value><\/entry><entry><key>GroupsQuota<\/key><value>50<\/value><\/entry><\/SummaryMap>/);
    assert.equal(encodeQueryResponse(IAM, 'DeleteUser', {}, 'r'),
      '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>');
    assert.match(encodeQueryResponse(IAM, 'ListUsers', { Users: [], IsTruncated: true, Marker: 'm' }, 'r'), /<Users><\/Users><IsTruncated>true<\/IsTruncated><Marker>m<\/Marker>/);
  });

  it('URL-encodes policy documents where IAM does, per RFC 3986', () => {
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
    const xml = encodeQueryResponse(IAM, 'GetRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: doc }, 'r');
    const encoded = '%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D';
    assert.equal(rfc3986Encode(doc), encoded);
    assert.ok(encodeQueryResponse(IAM, 'GetRolePolicy', { PolicyDocument: doc }, 'r', { urlEncodedShapes: new Set(['policyDocumentType']) }).includes(`<PolicyDocument>${encoded}</PolicyDocument>`));
    assert.ok(xml.includes('<PolicyDocument>{&quot;Version&quot;'), 'without the option the text is only XML-escaped');
    assert.equal(decodeURIComponent(encoded), doc);
  });

  it('writes timestamps in whole seconds', () => {
    assert.equal(iso8601Seconds(new Date('2024-05-06T07:08:09.123Z')), '2024-05-06T07:08:09Z');
  });
});

describe('Query protocol faults', () => {
  it('finds operations by Action and Version', () => {
    assert.equal(queryOperation(IAM, 'GetUser', '2010-05-08'), 'GetUser');
    assert.equal(queryOperation(IAM, 'GetUser', undefined), 'GetUser');
    assert.throws(() => queryOperation(IAM, 'GetUsers', '2010-05-08'), { code: 'InvalidAction', message: 'Could not find operation GetUsers for version 2010-05-08' });
    assert.throws(() => queryOperation(IAM, 'GetUser', '2011-06-15'), { code: 'InvalidAction' });
    assert.throws(() => queryOperation(IAM, undefined, undefined), { code: 'MissingAction' });
  });

  it('encodes errors as <ErrorResponse> with Type, Code, Message and RequestId', () => {
    const e = encodeQueryError(new AwsError({ code: 'NoSuchEntity', status: 404, message: 'The user with name bob cannot be found.' }), 'req-1', IAM.xmlns);
    assert.equal(e.status, 404);
    assert.equal(e.body, '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>'
      + '<Message>The user with name bob cannot be found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>');
  });

  it('has the error statuses of the model', () => {
    assert.deepEqual(IAM.errors['NoSuchEntity'], { status: 404, fault: 'client' });
    assert.deepEqual(IAM.errors['LimitExceeded'], { status: 409, fault: 'client' });
    assert.deepEqual(IAM.errors['MalformedPolicyDocument'], { status: 400, fault: 'client' });
  });
});
