import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { AwsError } from '../errors/aws-error.js';
import { presignQuery, signWithHeader, type ClientRequest } from './client-signer.js';
import {
  EMPTY_SHA256, canonicalHeaders, canonicalRequest, hexBytes, hmacHex, signingKey, stringToSign,
} from './sigv4.js';
import { authenticate, type AuthRequest, type SigV4Auth } from './verify.js';

const S3_PRESIGNED = '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
const CREDS = { accessKeyId: 'AKIATESTKEY000000001', secretAccessKey: 'secret/one+two' };
const keys = async (id: string) => (id === CREDS.accessKeyId ? { secretAccessKey: CREDS.secretAccessKey } : undefined);
const NOW = new Date('2024-06-01T10:00:00Z');
const base: ClientRequest = { method: 'GET', rawPath: '/bucket/key', rawQuery: '', headers: { host: 'localhost:9000' } };

function signed(over: Partial<ClientRequest> = {}, at = NOW, region = 'us-east-1', hash = EMPTY_SHA256): AuthRequest {
  const req = { ...base, ...over };
  const { headers } = signWithHeader(req, CREDS, region, 's3', at, hash);
  return { method: req.method, rawPath: req.rawPath, rawQuery: req.rawQuery ?? '', headers };
}

async function rejectsWith(p: Promise<unknown>, code: string, check?: (e: AwsError) => void): Promise<void> {
  await assert.rejects(p, (e: AwsError) => {
    assert.equal(e.code, code, e.message);
    check?.(e);
    return true;
  });
}

test('no Authorization header and no X-Amz-Algorithm: anonymous', async () => {
  assert.deepEqual(await authenticate({ ...base, rawQuery: 'X-Amz-Credential=x' }, keys, NOW), { kind: 'anonymous' });
});

test('a signed request verifies; the result carries scope, key and payload mode', async () => {
  const r = (await authenticate(signed(), keys, NOW)) as SigV4Auth;
  assert.equal(r.accessKeyId, CREDS.accessKeyId);
  assert.deepEqual(r.payload, { kind: 'sha256', expected: EMPTY_SHA256 });
  assert.equal(r.signingKey.length, 32);
  assert.deepEqual(r.requestTime, NOW);
});

test('region is taken from the credential scope, whatever it is', async () => {
  for (const region of ['', 'eu-west-3', 'auto', 'my-odd-region']) {
    const r = (await authenticate(signed({}, NOW, region), keys, NOW)) as SigV4Auth;
    assert.equal(r.credentialScope.region, region);
  }
});

test('unknown access key: InvalidAccessKeyId, before any time or signature check', async () => {
  const req = signed({}, new Date('2020-01-01T00:00:00Z'));
  await rejectsWith(authenticate(req, () => undefined, NOW), 'InvalidAccessKeyId', (e) => {
    assert.equal(e.status, 403);
    assert.equal(e.fields.AWSAccessKeyId, CREDS.accessKeyId);
  });
});

test('wrong secret: SignatureDoesNotMatch with the fields S3 returns', async () => {
  await rejectsWith(authenticate(signed(), () => ({ secretAccessKey: 'other' }), NOW), 'SignatureDoesNotMatch', (e) => {
    assert.equal(e.status, 403);
    const f = e.fields as Record<string, string>;
    assert.equal(f.AWSAccessKeyId, CREDS.accessKeyId);
    assert.match(f.StringToSign!, /^AWS4-HMAC-SHA256\n20240601T100000Z\n20240601\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
    assert.match(f.CanonicalRequest!, /^GET\n\/bucket\/key\n\nhost:localhost:9000\n/);
    assert.equal(f.StringToSignBytes, hexBytes(f.StringToSign!));
    assert.equal(f.CanonicalRequestBytes, hexBytes(f.CanonicalRequest!));
    assert.match(f.SignatureProvided!, /^[0-9a-f]{64}$/);
  });
});

test('tampering with a signed header, the path or the query breaks the signature', async () => {
  const good = signed({ rawQuery: 'list-type=2', headers: { host: 'localhost:9000', 'x-amz-meta-a': 'b' } });
  for (const bad of [
    { ...good, headers: { ...good.headers, 'x-amz-meta-a': 'c' } },
    { ...good, rawPath: '/bucket/key2' },
    { ...good, rawQuery: 'list-type=1' },
    { ...good, method: 'PUT' },
  ]) await rejectsWith(authenticate(bad, keys, NOW), 'SignatureDoesNotMatch');
});

test('signatures compare exactly (an upper-cased signature does not match)', async () => {
  const req = signed();
  const auth = String(req.headers.authorization);
  const upper = auth.replace(/Signature=([0-9a-f]+)/, (_, s: string) => `Signature=${s.toUpperCase()}`);
  await rejectsWith(authenticate({ ...req, headers: { ...req.headers, authorization: upper } }, keys, NOW), 'SignatureDoesNotMatch');
});

test('clock skew over 15 minutes: RequestTimeTooSkewed with S3 fields', async () => {
  await authenticate(signed({}, new Date(NOW.getTime() - 14 * 60_000)), keys, NOW);
  await rejectsWith(authenticate(signed({}, new Date(NOW.getTime() + 16 * 60_000)), keys, NOW), 'RequestTimeTooSkewed', (e) => {
    assert.equal(e.status, 403);
    assert.deepEqual(e.fields, { RequestTime: '20240601T101600Z', ServerTime: '2024-06-01T10:00:00Z', MaxAllowedSkewMilliseconds: 900000 });
  });
});

test('unsigned x-amz-* header or unsigned host: AccessDenied HeadersNotSigned', async () => {
  const req = signed();
  await rejectsWith(authenticate({ ...req, headers: { ...req.headers, 'x-amz-acl': 'public-read' } }, keys, NOW), 'AccessDenied',
    (e) => assert.equal(e.fields.HeadersNotSigned, 'x-amz-acl'));
  const noHost = String(req.headers.authorization).replace('SignedHeaders=host;', 'SignedHeaders=');
  await rejectsWith(authenticate({ ...req, headers: { ...req.headers, authorization: noHost } }, keys, NOW), 'AccessDenied',
    (e) => assert.equal(e.fields.HeadersNotSigned, 'host'));
});

test('x-amz-content-sha256: required for S3, known values only', async () => {
  const req = signed();
  const { 'x-amz-content-sha256': _, ...without } = req.headers;
  await rejectsWith(authenticate({ ...req, headers: without }, keys, NOW), 'InvalidRequest',
    (e) => assert.equal(e.message, 'Missing required header for this request: x-amz-content-sha256'));
  await rejectsWith(authenticate(signed({}, NOW, 'us-east-1', 'STREAMING-NOPE'), keys, NOW), 'InvalidArgument',
    (e) => assert.equal(e.fields.ArgumentName, 'x-amz-content-sha256'));
  const modes = {
    'UNSIGNED-PAYLOAD': { kind: 'unsigned' },
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { kind: 'streaming-signed', trailer: false },
    'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { kind: 'streaming-signed', trailer: true },
    'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { kind: 'streaming-unsigned-trailer' },
  };
  for (const [value, mode] of Object.entries(modes)) {
    assert.deepEqual(((await authenticate(signed({}, NOW, 'us-east-1', value), keys, NOW)) as SigV4Auth).payload, mode);
  }
  const withLength = signed({ headers: { host: 'h', 'x-amz-decoded-content-length': '42' } }, NOW, 'us-east-1', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  assert.deepEqual(((await authenticate(withLength, keys, NOW)) as SigV4Auth).payload, { kind: 'streaming-unsigned-trailer', decodedLength: 42 });
});

test('malformed Authorization headers get S3 codes and messages', async () => {
  const req = signed();
  const auth = String(req.headers.authorization);
  const withAuth = (authorization: string) => authenticate({ ...req, headers: { ...req.headers, authorization } }, keys, NOW);
  await rejectsWith(withAuth('AWS AKIATESTKEY000000001:c2lnbmF0dXJl'), 'InvalidRequest',
    (e) => assert.equal(e.message, 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.'));
  await rejectsWith(withAuth('Bearer abc'), 'InvalidArgument', (e) => {
    assert.equal(e.message, 'Unsupported Authorization Type');
    assert.equal(e.fields.ArgumentName, 'Authorization');
  });
  await rejectsWith(withAuth(auth.replace(/, Signature=.*/, '')), 'AuthorizationHeaderMalformed',
    (e) => assert.match(e.message, /requires three components: Credential, SignedHeaders, and Signature\.$/));
  await rejectsWith(withAuth(auth.replace('/us-east-1/s3/', '/s3/')), 'AuthorizationHeaderMalformed',
    (e) => assert.match(e.message, /the Credential is mal-formed; expecting "<YOUR-AKID>\/YYYYMMDD\/REGION\/SERVICE\/aws4_request"\.$/));
  await rejectsWith(withAuth(auth.replace('aws4_request', 'aws4_reqest')), 'AuthorizationHeaderMalformed', (e) => assert.match(e.message, /incorrect terminal "aws4_reqest"/));
  await rejectsWith(withAuth(auth.replace('/20240601/', '/20240602/')), 'AuthorizationHeaderMalformed', (e) => assert.match(e.message, /Invalid credential date "20240602"/));
  await rejectsWith(withAuth(auth.replace('/20240601/', '/2024061/')), 'AuthorizationHeaderMalformed', (e) => assert.match(e.message, /incorrect date format "2024061"/));
  await rejectsWith(withAuth(auth.replace(/Credential=[^/]+\//, 'Credential=/')), 'AuthorizationHeaderMalformed', (e) => assert.match(e.message, /mal-formed/));
  // Commas without spaces are accepted (the S3 documentation writes them so).
  await authenticate({ ...req, headers: { ...req.headers, authorization: auth.replace(/, /g, ',') } }, keys, NOW);
});

test('no usable date: AccessDenied; Date header alone is accepted', async () => {
  const req = signed();
  const { 'x-amz-date': amzDate, ...rest } = req.headers;
  await rejectsWith(authenticate({ ...req, headers: { ...rest, 'x-amz-date': 'yesterday' } }, keys, NOW), 'AccessDenied',
    (e) => assert.equal(e.message, 'AWS authentication requires a valid Date or x-amz-date header'));
  assert.ok(amzDate);
  // Signed with only a Date header: the string to sign carries its ISO 8601 basic form.
  const dateHeaders = { host: 'localhost:9000', date: 'Sat, 01 Jun 2024 10:00:00 GMT', 'x-amz-content-sha256': EMPTY_SHA256 };
  const names = ['date', 'host', 'x-amz-content-sha256'];
  const scope = { date: '20240601', region: 'us-east-1', service: 's3' };
  const canonical = canonicalRequest({ method: 'GET', canonicalUri: '/bucket/key', canonicalQuery: '',
    canonicalHeaders: canonicalHeaders(dateHeaders, names), signedHeaders: names, payloadHash: EMPTY_SHA256 });
  const sig = hmacHex(signingKey(CREDS.secretAccessKey, scope), stringToSign('20240601T100000Z', scope, canonical));
  const authorization = `AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/20240601/us-east-1/s3/aws4_request, SignedHeaders=${names.join(';')}, Signature=${sig}`;
  const r = (await authenticate({ ...base, rawQuery: '', headers: { ...dateHeaders, authorization } }, keys, NOW)) as SigV4Auth;
  assert.deepEqual(r.requestTime, NOW);
});

test('both an Authorization header and presigned parameters: InvalidArgument', async () => {
  const req = signed({ rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' });
  await rejectsWith(authenticate(req, keys, NOW), 'InvalidArgument', (e) => assert.match(e.message, /^Only one auth mechanism allowed/));
});

test('SigV2 query authentication is refused clearly', async () => {
  await rejectsWith(authenticate({ ...base, rawQuery: 'AWSAccessKeyId=AKIA&Expires=1&Signature=abc' }, keys, NOW), 'InvalidRequest');
});

const presigned = (expires: number, at = NOW, rawQuery = 'response-content-type=text%2Fplain'): AuthRequest => ({
  method: 'GET', rawPath: base.rawPath, rawQuery: presignQuery({ ...base, rawQuery }, CREDS, 'us-east-1', 's3', at, expires), headers: { host: 'localhost:9000' },
});

test('presigned: valid within X-Amz-Expires, expired after (AccessDenied with S3 fields)', async () => {
  const r = (await authenticate(presigned(600), keys, new Date(NOW.getTime() + 599_000))) as SigV4Auth;
  assert.equal(r.method, 'presigned');
  await rejectsWith(authenticate(presigned(600), keys, new Date(NOW.getTime() + 601_000)), 'AccessDenied', (e) => {
    assert.equal(e.message, 'Request has expired');
    assert.deepEqual(e.fields, { 'X-Amz-Expires': 600, Expires: '2024-06-01T10:10:00Z', ServerTime: '2024-06-01T10:10:01Z' });
  });
  await rejectsWith(authenticate(presigned(600, new Date(NOW.getTime() + 3_600_000)), keys, NOW), 'AccessDenied',
    (e) => assert.equal(e.message, 'Request is not valid yet'));
});

test('presigned: X-Amz-Expires over seven days, negative or not a number', async () => {
  await authenticate(presigned(604800), keys, NOW);
  const messages: Array<[string, RegExp]> = [['604801', /less than a week/], ['-1', /non-negative/], ['1h', /should be a number/]];
  for (const [value, message] of messages) {
    const req = presigned(60);
    await rejectsWith(authenticate({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=60', `X-Amz-Expires=${value}`) }, keys, NOW),
      'AuthorizationQueryParametersError', (e) => assert.match(e.message, message));
  }
});

test('presigned: missing parameters, bad algorithm, bad date, wrong signature, unknown key', async () => {
  const req = presigned(60);
  const edit = (from: RegExp, to: string) => authenticate({ ...req, rawQuery: req.rawQuery.replace(from, to) }, keys, NOW);
  await rejectsWith(edit(/&X-Amz-SignedHeaders=host/, ''), 'AuthorizationQueryParametersError', (e) => assert.match(e.message, /^Query-string authentication version 4 requires/));
  await rejectsWith(edit(/X-Amz-Algorithm=AWS4-HMAC-SHA256/, 'X-Amz-Algorithm=HMAC'), 'AuthorizationQueryParametersError');
  await rejectsWith(edit(/X-Amz-Date=\w+/, 'X-Amz-Date=2024'), 'AuthorizationQueryParametersError', (e) => assert.match(e.message, /ISO8601 Long Format/));
  await rejectsWith(edit(/X-Amz-Signature=\w/, 'X-Amz-Signature=0'), 'SignatureDoesNotMatch');
  await rejectsWith(edit(/response-content-type=text%2Fplain/, 'response-content-type=text%2Fhtml'), 'SignatureDoesNotMatch');
  await rejectsWith(authenticate(req, () => undefined, NOW), 'InvalidAccessKeyId');
  await rejectsWith(authenticate({ ...req, headers: { ...req.headers, 'x-amz-acl': 'private' } }, keys, NOW), 'AccessDenied');
});

test('presigned: session token returned from the query; S3 doc example expires after a day', async () => {
  const token = 'FwoGZXIvYXdzE+/token==';
  const q = presignQuery(base, { ...CREDS, sessionToken: token }, 'us-east-1', 's3', NOW, 60);
  const r = (await authenticate({ ...base, rawQuery: q }, keys, NOW)) as SigV4Auth;
  assert.equal(r.sessionToken, token);
  const s3Keys = () => ({ secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
  const [path, query] = S3_PRESIGNED.split('?') as [string, string];
  await rejectsWith(authenticate({ method: 'GET', rawPath: path, rawQuery: query, headers: { host: 'examplebucket.s3.amazonaws.com' } }, s3Keys,
    new Date('2013-05-25T00:00:01Z')), 'AccessDenied');
});

test('header auth: session token returned; the lookup may be synchronous', async () => {
  const { headers } = signWithHeader(base, { ...CREDS, sessionToken: 'tok' }, 'us-east-1', 's3', NOW, EMPTY_SHA256);
  const r = (await authenticate({ ...base, rawQuery: '', headers }, () => ({ secretAccessKey: CREDS.secretAccessKey }), NOW)) as SigV4Auth;
  assert.equal(r.sessionToken, 'tok');
});

test('keys with spaces, unicode, "+" and "%" verify in S3 path form', async () => {
  for (const key of ['my key.txt', 'ключ/файл', 'a+b', '100%', "it's (x)*!", 'a$b@c=d&e']) {
    const rawPath = '/bucket/' + encodeURIComponent(key).replace(/%2F/g, '/');
    await authenticate(signed({ rawPath }), keys, NOW);
  }
});
