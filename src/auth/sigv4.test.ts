/**
 * SigV4 against published vectors: AWS's SigV4 test suite (the 2015 "service" suite as
 * shipped in awslabs/aws-c-auth tests/aws-signing-test-suite/v4, header-signed-request.txt
 * and query-signed-request.txt) and the S3 API reference examples.
 */
import { strict as assert } from 'node:assert';
import type { IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import {
  canonicalHeaderValue, canonicalQueryString, canonicalUri, chunkStringToSign, formatAmzDate, hexBytes, hmacHex, parseAmzDate,
  signingKey, stringToSign, uriEncode,
} from './sigv4.js';
import { authenticate, type AuthRequest, type SigV4Auth } from './verify.js';

const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_NOW = new Date('2015-08-30T12:36:00Z');
const S3_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const S3_NOW = new Date('2013-05-24T00:00:00Z');
const suiteKeys = (id: string) => (id === 'AKIDEXAMPLE' ? { secretAccessKey: SUITE_SECRET } : undefined);
const s3Keys = (id: string) => (id === 'AKIAIOSFODNN7EXAMPLE' ? { secretAccessKey: S3_SECRET } : undefined);

/** Parses a suite request file: request line, `Name:value` lines (repeats kept), body. */
export function parseRequestText(text: string): AuthRequest & { body: string } {
  const [head, body = ''] = text.split('\n\n');
  const [requestLine, ...lines] = head!.split('\n');
  const m = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine!)!;
  const target = m[2]!;
  const q = target.indexOf('?');
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  const single: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) single[k] = v.length === 1 ? v[0] : v;
  return { method: m[1]!, rawPath: q < 0 ? target : target.slice(0, q), rawQuery: q < 0 ? '' : target.slice(q + 1), headers: single, body };
}

const AUTH = (signed: string, sig: string) =>
  `Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signed}, Signature=${sig}`;

const SUITE_HEADER_VECTORS: Record<string, string> = {
  'get-vanilla': `GET / HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-vanilla-query-order-key-case': `GET /?Param2=value2&Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-vanilla-empty-query-key': `GET /?Param1=value1 HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-vanilla-query-unreserved': `GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-vanilla-utf8-query': `GET /?ሴ=bar HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-utf8': `GET /ሴ HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-unreserved': `GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-space-normalized': `GET /example space/ HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-slashes-normalized': `GET //example// HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-relative-relative-normalized': `GET /example1/example2/../.. HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-header-value-trim': `GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1: value1\nMy-Header2: "a   b   c"\n${AUTH('host;my-header1;my-header2;x-amz-date', 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-header-key-duplicate': `GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value2\nMy-Header1:value2\nMy-Header1:value1\n${AUTH('host;my-header1;x-amz-date', 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-header-value-order': `GET / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\nMy-Header1:value2\n${AUTH('host;my-header1;x-amz-date', '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'get-vanilla-with-session-token': `GET / HTTP/1.1\nHost:example.amazonaws.com\n${AUTH('host;x-amz-date;x-amz-security-token', '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8')}\nX-Amz-Date:20150830T123600Z\nX-Amz-Security-Token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n`,
  'post-header-key-sort': `POST / HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n${AUTH('host;my-header1;x-amz-date', 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c')}\nX-Amz-Date:20150830T123600Z\n\n`,
  'post-x-www-form-urlencoded': `POST / HTTP/1.1\nContent-Type:application/x-www-form-urlencoded\nHost:example.amazonaws.com\nContent-Length:13\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\n${AUTH('content-length;content-type;host;x-amz-content-sha256;x-amz-date', 'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b')}\nX-Amz-Date:20150830T123600Z\n\nParam1=value1`,
};

const SUITE_QUERY_VECTORS: Record<string, string> = {
  'get-vanilla-query-order-key-case': 'GET /?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\n',
  'get-vanilla-utf8-query': 'GET /?ሴ=bar&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=0bdd809b1519ac4f0c1dc3540e2cc46bd0c7f778eda408b2ebf3b913d21ff600 HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\n',
};

for (const [name, text] of Object.entries(SUITE_HEADER_VECTORS)) {
  test(`SigV4 test suite (header): ${name}`, async () => {
    const req = parseRequestText(text);
    const result = (await authenticate(req, suiteKeys, SUITE_NOW)) as SigV4Auth;
    assert.equal(result.kind, 'sigv4');
    assert.equal(result.method, 'header');
    assert.deepEqual(result.credentialScope, { date: '20150830', region: 'us-east-1', service: 'service' });
    if (name === 'get-vanilla-with-session-token') assert.equal(result.sessionToken, '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267');
  });
}

for (const [name, text] of Object.entries(SUITE_QUERY_VECTORS)) {
  test(`SigV4 test suite (presigned): ${name}`, async () => {
    const result = (await authenticate(parseRequestText(text), suiteKeys, SUITE_NOW)) as SigV4Auth;
    assert.equal(result.method, 'presigned');
    assert.deepEqual(result.expiresAt, new Date('2015-08-30T13:36:00Z'));
  });
}

test('test-suite vectors fail with a changed secret', async () => {
  const req = parseRequestText(SUITE_HEADER_VECTORS['get-vanilla']!);
  await assert.rejects(authenticate(req, () => ({ secretAccessKey: 'x' }), SUITE_NOW), { code: 'SignatureDoesNotMatch' });
});

const s3Req = (method: string, target: string, headers: IncomingHttpHeaders): AuthRequest => {
  const q = target.indexOf('?');
  return { method, rawPath: q < 0 ? target : target.slice(0, q), rawQuery: q < 0 ? '' : target.slice(q + 1), headers };
};
const s3Auth = (signed: string, sig: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${sig}`;
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('S3 docs: GET object (single chunk, Range header)', async () => {
  const req = s3Req('GET', '/test.txt', {
    host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY, 'x-amz-date': '20130524T000000Z',
    authorization: s3Auth('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
  });
  const r = (await authenticate(req, s3Keys, S3_NOW)) as SigV4Auth;
  assert.deepEqual(r.payload, { kind: 'sha256', expected: EMPTY });
  assert.deepEqual(r.signedHeaders, ['host', 'range', 'x-amz-content-sha256', 'x-amz-date']);
});

test('S3 docs: PUT object, key with "$" (sent raw or encoded), Date and x-amz-date', async () => {
  for (const path of ['/test$file.text', '/test%24file.text']) {
    const req = s3Req('PUT', path, {
      host: 'examplebucket.s3.amazonaws.com', date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      authorization: s3Auth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
    });
    const r = (await authenticate(req, s3Keys, S3_NOW)) as SigV4Auth;
    assert.equal(r.payload.kind, 'sha256');
  }
});

test('S3 docs: GET bucket lifecycle (?lifecycle) and list objects (?max-keys=2&prefix=J)', async () => {
  const common = { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': EMPTY, 'x-amz-date': '20130524T000000Z' };
  await authenticate(s3Req('GET', '/?lifecycle', { ...common,
    authorization: s3Auth('host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543') }), s3Keys, S3_NOW);
  await authenticate(s3Req('GET', '/?max-keys=2&prefix=J', { ...common,
    authorization: s3Auth('host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7') }), s3Keys, S3_NOW);
});

export const S3_PRESIGNED = '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

test('S3 docs: presigned GET (X-Amz-Expires=86400)', async () => {
  const r = (await authenticate(s3Req('GET', S3_PRESIGNED, { host: 'examplebucket.s3.amazonaws.com' }), s3Keys, new Date('2013-05-24T12:00:00Z'))) as SigV4Auth;
  assert.equal(r.method, 'presigned');
  assert.deepEqual(r.payload, { kind: 'unsigned' });
  assert.deepEqual(r.expiresAt, new Date('2013-05-25T00:00:00Z'));
});

test('S3 docs: chunked upload seed signature (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
  const req = s3Req('PUT', '/examplebucket/chunkObject.txt', {
    host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560', 'content-length': '66824',
    authorization: s3Auth('content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
      '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9'),
  });
  const r = (await authenticate(req, s3Keys, S3_NOW)) as SigV4Auth;
  assert.deepEqual(r.payload, { kind: 'streaming-signed', trailer: false, decodedLength: 66560 });
  assert.equal(r.signature, '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
  // The first chunk's signature from the same document.
  const first = chunkStringToSign('20130524T000000Z', r.credentialScope, r.signature,
    'bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a');
  assert.equal(hmacHex(r.signingKey, first), 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648');
});

test('canonical URI: S3 keeps the path as sent (no dot-segment or slash normalisation)', () => {
  assert.equal(canonicalUri('/bucket/a//b/./c/../d', { doubleEncode: false }), '/bucket/a//b/./c/../d');
  assert.equal(canonicalUri('/bucket/my%20key+x%2b%7e!', { doubleEncode: false }), '/bucket/my%20key%2Bx%2B~%21');
  assert.equal(canonicalUri('/bucket/caf%C3%A9', { doubleEncode: false }), '/bucket/caf%C3%A9');
  assert.equal(canonicalUri('/bucket/100%', { doubleEncode: false }), '/bucket/100%25');
  assert.equal(canonicalUri('', { doubleEncode: false }), '/');
  // Other services: normalised, and encoded again (the SDK signs the already-encoded path).
  assert.equal(canonicalUri('/a/%20b/../c/', { doubleEncode: true }), '/a/c/');
  assert.equal(canonicalUri('/my%20key', { doubleEncode: true }), '/my%2520key');
  assert.equal(canonicalUri('/', { doubleEncode: true }), '/');
});

test('canonical query: decoded and re-encoded, sorted by name then value, "+" is a space', () => {
  assert.equal(canonicalQueryString('b=2&a=x+y&a=%2B&c'), 'a=%2B&a=x%20y&b=2&c=');
  assert.equal(canonicalQueryString('prefix=a%2fb&delimiter=%2F'), 'delimiter=%2F&prefix=a%2Fb');
  assert.equal(canonicalQueryString('X-Amz-Signature=abc&uploads', 'X-Amz-Signature'), 'uploads=');
  assert.equal(canonicalQueryString('a=%zz'), 'a=%25zz');
});

test('canonical header values: trimmed, whitespace runs collapsed, repeats joined with ","', () => {
  assert.equal(canonicalHeaderValue('  a   b\t c  '), 'a b c');
  assert.equal(canonicalHeaderValue(['x', ' y ']), 'x,y');
  assert.equal(canonicalHeaderValue(undefined), '');
});

test('helpers: encoding, dates, key derivation, S3 byte dumps', () => {
  assert.equal(uriEncode("a b!'()*~/", false), 'a%20b%21%27%28%29%2A~%2F');
  assert.equal(formatAmzDate(new Date('2013-05-24T01:02:03.456Z')), '20130524T010203Z');
  assert.equal(parseAmzDate('20131324T000000Z'), undefined);
  assert.equal(hexBytes('AWS4'), '41 57 53 34');
  // The signing key of the IAM guide's example (20150830/us-east-1/iam).
  assert.equal(signingKey(SUITE_SECRET, { date: '20150830', region: 'us-east-1', service: 'iam' }).toString('hex'),
    'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  const scope = { date: '20150830', region: 'us-east-1', service: 'service' };
  assert.ok(stringToSign('20150830T123600Z', scope, '').startsWith('AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n'));
});
