import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { computeChecksum, encodeChecksum } from '../checksum/checksum.js';
import type { AwsError } from '../errors/aws-error.js';
import { encodeAwsChunked, signWithHeader, type SigningContext } from './client-signer.js';
import { createPayloadPipeline, type PayloadOptions, type PayloadSummary } from './payload.js';
import { authenticate, type AuthResult, type SigV4Auth } from './verify.js';

const CREDS = { accessKeyId: 'AKIAPAYLOAD000000001', secretAccessKey: 'payload-secret' };
const NOW = new Date('2024-06-01T10:00:00Z');
const keys = () => ({ secretAccessKey: CREDS.secretAccessKey });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');

/** Splits buffers at random points, down to single bytes, as TCP may deliver them. */
function randomSplit(pieces: readonly Buffer[], maxPiece: number): Buffer[] {
  const whole = Buffer.concat(pieces);
  const out: Buffer[] = [];
  for (let at = 0; at < whole.length;) {
    const n = Math.min(whole.length - at, 1 + Math.floor(Math.random() * maxPiece));
    out.push(whole.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function run(source: Readable, auth: AuthResult, headers: IncomingHttpHeaders, options?: PayloadOptions): Promise<{ data: Buffer; summary: PayloadSummary }> {
  const body = createPayloadPipeline(source, auth, headers, options);
  const parts: Buffer[] = [];
  for await (const chunk of body.stream) parts.push(chunk as Buffer);
  return { data: Buffer.concat(parts), summary: await body.done };
}

async function fails(p: Promise<unknown>, code: string, message?: RegExp): Promise<AwsError> {
  let caught: AwsError | undefined;
  await assert.rejects(p, (e: AwsError) => {
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    caught = e;
    return true;
  });
  return caught!;
}

/** Authenticates a PUT signed with the given payload hash, returning its result and headers. */
async function signedPut(payloadHash: string, extra: Record<string, string> = {}): Promise<{ auth: SigV4Auth; headers: IncomingHttpHeaders; context: SigningContext }> {
  const { headers, context } = signWithHeader({ method: 'PUT', rawPath: '/b/k', headers: { host: 'h', ...extra } }, CREDS, 'us-east-1', 's3', NOW, payloadHash);
  const auth = (await authenticate({ method: 'PUT', rawPath: '/b/k', rawQuery: '', headers }, keys, NOW)) as SigV4Auth;
  return { auth, headers, context };
}

test('sha256 mode: bytes pass through, hashed; MD5, length and a default CRC64NVME come back', async () => {
  const data = randomBytes(200_000);
  const { auth, headers } = await signedPut(sha256(data));
  const r = await run(Readable.from(randomSplit([data], 10_000)), auth, { ...headers, 'content-length': String(data.length) });
  assert.deepEqual(r.data, data);
  assert.equal(r.summary.length, data.length);
  assert.equal(r.summary.md5.toString('base64'), md5b64(data));
  assert.deepEqual(r.summary.checksums, { CRC64NVME: encodeChecksum(computeChecksum('CRC64NVME', data)) });
});

test('sha256 mode: a tampered body fails with XAmzContentSHA256Mismatch before the stream ends', async () => {
  const data = randomBytes(1000);
  const { auth, headers } = await signedPut(sha256(data));
  const tampered = Buffer.from(data);
  tampered[10] ^= 1;
  const e = await fails(run(Readable.from([tampered]), auth, headers), 'XAmzContentSHA256Mismatch');
  assert.deepEqual(e.fields, { ClientComputedContentSHA256: sha256(data), S3ComputedContentSHA256: sha256(tampered) });
});

test('Content-MD5: checked at the end (BadDigest), malformed refused up front (InvalidDigest)', async () => {
  const data = Buffer.from('hello');
  const { auth, headers } = await signedPut('UNSIGNED-PAYLOAD');
  await run(Readable.from([data]), auth, { ...headers, 'content-md5': md5b64(data) });
  await fails(run(Readable.from([data]), auth, { ...headers, 'content-md5': md5b64(Buffer.from('other')) }), 'BadDigest');
  assert.throws(() => createPayloadPipeline(Readable.from([data]), auth, { ...headers, 'content-md5': 'abc' }), { code: 'InvalidDigest' });
});

test('fewer bytes than Content-Length, or a source that aborts: IncompleteBody, never a clean end', async () => {
  const { auth, headers } = await signedPut('UNSIGNED-PAYLOAD');
  await fails(run(Readable.from([Buffer.alloc(10)]), auth, { ...headers, 'content-length': '11' }), 'IncompleteBody');
  const aborting = new Readable({ read() {} });
  aborting.push(Buffer.alloc(5));
  setTimeout(() => aborting.destroy(), 5);
  await fails(run(aborting, auth, { ...headers, 'content-length': '100' }), 'IncompleteBody');
  const erroring = new Readable({ read() {} });
  setTimeout(() => erroring.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 5);
  await fails(run(erroring, auth, headers), 'IncompleteBody');
});

test('flexible checksum header: verified, reported; a mismatch is BadDigest with S3\'s message', async () => {
  const data = randomBytes(5000);
  const crc = encodeChecksum(computeChecksum('CRC32C', data));
  const { auth, headers } = await signedPut('UNSIGNED-PAYLOAD', { 'x-amz-checksum-crc32c': crc, 'x-amz-sdk-checksum-algorithm': 'CRC32C' });
  const r = await run(Readable.from([data]), auth, headers, { alsoCompute: ['SHA256'] });
  assert.deepEqual(r.summary.clientChecksum, { algorithm: 'CRC32C', value: crc, source: 'header' });
  assert.equal(r.summary.checksums.SHA256, encodeChecksum(computeChecksum('SHA256', data)));
  assert.equal(r.summary.checksums.CRC64NVME, undefined);
  await fails(run(Readable.from([randomBytes(5000)]), auth, headers), 'BadDigest', /^The CRC32C you specified did not match the calculated checksum\.$/);
});

test('checksum header problems are refused up front with S3\'s messages', async () => {
  const { auth, headers } = await signedPut('UNSIGNED-PAYLOAD');
  const build = (h: Record<string, string>) => () => createPayloadPipeline(Readable.from([]), auth, { ...headers, ...h });
  assert.throws(build({ 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-sha1': 'x' }), { code: 'InvalidRequest', message: /Multiple checksum Types are not allowed/ });
  assert.throws(build({ 'x-amz-checksum-crc32': 'nope' }), { code: 'InvalidRequest', message: 'Value for x-amz-checksum-crc32 header is invalid.' });
  assert.throws(build({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }), { code: 'InvalidRequest', message: /no corresponding x-amz-checksum-\* or x-amz-trailer headers were found/ });
  assert.throws(build({ 'x-amz-sdk-checksum-algorithm': 'SHA1', 'x-amz-checksum-crc32': 'AAAAAA==' }), { message: 'Value for x-amz-sdk-checksum-algorithm header is invalid.' });
  assert.throws(build({ 'x-amz-checksum-md5': 'AAAAAA==' }), { message: /algorithm type you specified in x-amz-checksum- header is invalid/ });
  assert.throws(build({ 'x-amz-trailer': 'x-amz-checksum-crc32' }), { code: 'MalformedTrailerError' });
});

// The S3 documentation's chunked upload: 65 KiB of 'a' in chunks of 64 KiB, 1 KiB and 0.
const DOC_SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const DOC_CHUNK_SIGS = ['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'];
// The final (0-byte) chunk's signature, from the same document.
const DOC_FINAL_SIG = 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9';
const docHeaders: IncomingHttpHeaders = {
  host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${DOC_SEED}`,
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560', 'content-length': '66824',
};
const docBody = (finalSig = DOC_FINAL_SIG, data = Buffer.alloc(65536, 'a')) => [
  Buffer.from(`10000;chunk-signature=${DOC_CHUNK_SIGS[0]}\r\n`), data, Buffer.from('\r\n'),
  Buffer.from(`400;chunk-signature=${DOC_CHUNK_SIGS[1]}\r\n`), Buffer.alloc(1024, 'a'), Buffer.from('\r\n'),
  Buffer.from(`0;chunk-signature=${finalSig}\r\n\r\n`),
];
const docAuth = () => authenticate({ method: 'PUT', rawPath: '/examplebucket/chunkObject.txt', rawQuery: '', headers: docHeaders },
  () => ({ secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }), new Date('2013-05-24T00:00:00Z'));

test('S3 docs chunked upload: every chunk signature verifies, for any split of the body', async () => {
  const auth = await docAuth();
  assert.equal(Buffer.concat(docBody()).length, 66824);
  for (const maxPiece of [1, 7, 100, 5000, 70_000]) {
    const r = await run(Readable.from(randomSplit(docBody(), maxPiece)), auth, docHeaders);
    assert.equal(r.summary.length, 66560);
    assert.ok(r.data.equals(Buffer.alloc(66560, 'a')));
  }
});

test('S3 docs chunked upload: a tampered chunk or a wrong signature is SignatureDoesNotMatch', async () => {
  const auth = await docAuth();
  const tampered = Buffer.alloc(65536, 'a');
  tampered[1000] = 0x62;
  await fails(run(Readable.from(docBody(DOC_FINAL_SIG, tampered)), auth, docHeaders), 'SignatureDoesNotMatch');
  const wrongFinal = DOC_FINAL_SIG.slice(0, -1) + (DOC_FINAL_SIG.endsWith('0') ? '1' : '0');
  const e = await fails(run(Readable.from(docBody(wrongFinal)), auth, docHeaders), 'SignatureDoesNotMatch');
  assert.match(String(e.fields.StringToSign), /^AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\n0055627c/);
});

test('S3 docs chunked upload: a truncated body is IncompleteBody', async () => {
  const auth = await docAuth();
  const whole = Buffer.concat(docBody());
  for (const cut of [10, 70_000, whole.length - 3]) {
    await fails(run(Readable.from([whole.subarray(0, cut)]), auth, { ...docHeaders, 'content-length': String(cut) }), 'IncompleteBody');
  }
});

async function chunkedPut(mode: string, chunks: Buffer[], trailer?: [string, string], extra: Record<string, string> = {}) {
  const decoded = chunks.reduce((n, c) => n + c.length, 0);
  const h: Record<string, string> = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded), ...extra };
  if (trailer) h['x-amz-trailer'] = trailer[0];
  const { auth, headers, context } = await signedPut(mode, h);
  const body = encodeAwsChunked(chunks, { ...(mode.startsWith('STREAMING-AWS4') ? { signing: context } : {}), ...(trailer ? { trailers: [trailer] } : {}) });
  return { auth, headers: { ...headers, 'content-length': String(Buffer.concat(body).length) }, body };
}

test('signed chunks with a signed trailer: checksum and trailer signature verified', async () => {
  const chunks = [randomBytes(65536), randomBytes(65536), randomBytes(3000)];
  const crc = encodeChecksum(computeChecksum('CRC32', chunks));
  const { auth, headers, body } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', chunks, ['x-amz-checksum-crc32', crc]);
  const r = await run(Readable.from(randomSplit(body, 3000)), auth, headers);
  assert.ok(r.data.equals(Buffer.concat(chunks)));
  assert.deepEqual(r.summary.clientChecksum, { algorithm: 'CRC32', value: crc, source: 'trailer' });

  const lines = Buffer.concat(body).toString('latin1');
  const badSig = lines.replace(/x-amz-trailer-signature:([0-9a-f])/, (_, c: string) => `x-amz-trailer-signature:${c === '0' ? '1' : '0'}`);
  await fails(run(Readable.from([Buffer.from(badSig, 'latin1')]), auth, headers), 'SignatureDoesNotMatch');
  // Changing the checksum without re-signing breaks the trailer signature too.
  const other = encodeChecksum(computeChecksum('CRC32', Buffer.from('x')));
  await fails(run(Readable.from([Buffer.from(lines.replace(crc, other), 'latin1')]), auth, headers), 'SignatureDoesNotMatch');
});

test('signed trailer with a correctly signed but wrong checksum: BadDigest', async () => {
  const chunks = [randomBytes(9000)];
  const wrong = encodeChecksum(computeChecksum('SHA256', Buffer.from('not the data')));
  const { auth, headers, body } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', chunks, ['x-amz-checksum-sha256', wrong]);
  await fails(run(Readable.from(body), auth, headers), 'BadDigest', /^The SHA256 you specified did not match the calculated checksum\.$/);
});

test('STREAMING-UNSIGNED-PAYLOAD-TRAILER (what the SDKs send): decoded, trailer checksum verified', async () => {
  const chunks = [randomBytes(20_000), randomBytes(10)];
  const crc = encodeChecksum(computeChecksum('CRC32', chunks));
  const { auth, headers, body } = await chunkedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', chunks, ['x-amz-checksum-crc32', crc]);
  for (const maxPiece of [1, 13, 4096]) {
    const r = await run(Readable.from(randomSplit(body, maxPiece)), auth, headers);
    assert.ok(r.data.equals(Buffer.concat(chunks)));
    assert.equal(r.summary.checksums.CRC32, crc);
  }
  const bad = Buffer.from(Buffer.concat(body).toString('latin1').replace(crc, 'AAAAAA=='), 'latin1');
  await fails(run(Readable.from([bad]), auth, headers), 'BadDigest', /^The CRC32 you specified/);
  const malformed = Buffer.from(Buffer.concat(body).toString('latin1').replace(crc, 'zz'), 'latin1');
  await fails(run(Readable.from([malformed]), auth, { ...headers, 'content-length': String(malformed.length) }), 'InvalidRequest', /trailing header is invalid/);
  // The trailer announced is not the one sent.
  const renamed = Buffer.from(Buffer.concat(body).toString('latin1').replace('x-amz-checksum-crc32:', 'x-amz-checksum-crc3c:'), 'latin1');
  await fails(run(Readable.from([renamed]), auth, headers), 'MalformedTrailerError');
});

test('anonymous requests may still send unsigned aws-chunked bodies with trailers', async () => {
  const data = randomBytes(100);
  const crc = encodeChecksum(computeChecksum('CRC32', data));
  const body = encodeAwsChunked([data], { trailers: [['x-amz-checksum-crc32', crc]] });
  const headers = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': '100' };
  const r = await run(Readable.from(body), { kind: 'anonymous' }, headers);
  assert.ok(r.data.equals(data));
  assert.throws(() => createPayloadPipeline(Readable.from([]), { kind: 'anonymous' }, { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }), { code: 'InvalidRequest' });
});

test('chunk size rules: non-final chunks under 8 KiB are refused unless allowed', async () => {
  const chunks = [randomBytes(100), randomBytes(100), randomBytes(100)];
  const { auth, headers, body } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', chunks);
  const e = await fails(run(Readable.from(body), auth, headers), 'InvalidChunkSizeError');
  assert.deepEqual(e.fields, { Chunk: 1, BadChunkSize: 100 });
  const r = await run(Readable.from(body), auth, headers, { minChunkSize: 0 });
  assert.equal(r.summary.length, 300);
});

test('decoded length must equal x-amz-decoded-content-length', async () => {
  const chunks = [randomBytes(9000)];
  const { auth, headers, body } = await chunkedPut('STREAMING-AWS4-HMAC-SHA256-PAYLOAD', chunks, undefined, { 'x-amz-decoded-content-length': '9001' });
  await fails(run(Readable.from(body), auth, headers), 'IncompleteBody');
});

test('malformed framing is refused: bad size line, missing CRLF, data after the end', async () => {
  const { auth, headers } = await chunkedPut('STREAMING-UNSIGNED-PAYLOAD-TRAILER', [Buffer.from('abc')]);
  const h = { ...headers, 'content-length': undefined, 'x-amz-decoded-content-length': '3' };
  for (const text of ['zz\r\nabc\r\n0\r\n\r\n', '3\r\nabcX\r\n0\r\n\r\n', '3\nabc\r\n0\r\n\r\n', '3\r\nabc\r\n0\r\n\r\nextra']) {
    await fails(run(Readable.from([Buffer.from(text)]), auth, h), 'IncompleteBody');
  }
});

test('backpressure: a slow consumer keeps the source paused instead of buffering the body', async () => {
  const { auth, headers } = await signedPut('UNSIGNED-PAYLOAD');
  let produced = 0;
  const total = 64 * 1024 * 1024;
  const source = new Readable({
    read() {
      if (produced >= total) return void this.push(null);
      produced += 65536;
      this.push(Buffer.alloc(65536));
    },
  });
  const body = createPayloadPipeline(source, auth, headers, { defaultAlgorithm: null });
  let consumed = 0;
  let maxAhead = 0;
  for await (const chunk of body.stream) {
    consumed += (chunk as Buffer).length;
    maxAhead = Math.max(maxAhead, produced - consumed);
    if (consumed < 4 * 1024 * 1024) await new Promise((r) => setImmediate(r));
  }
  assert.equal((await body.done).length, total);
  assert.ok(maxAhead < 2 * 1024 * 1024, `read ahead ${maxAhead} bytes`);
});

test('over real HTTP: a client that disconnects mid-body yields IncompleteBody', async () => {
  const { createServer } = await import('node:http');
  const { connect } = await import('node:net');
  const { auth } = await signedPut('UNSIGNED-PAYLOAD');
  const outcome = new Promise<unknown>((resolve) => {
    const server = createServer((req) => {
      const body = createPayloadPipeline(req, auth, req.headers);
      (async () => {
        for await (const _ of body.stream) { /* drain */ }
        return body.done;
      })().then(resolve, resolve).finally(() => server.close());
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n');
        socket.write(Buffer.alloc(5000));
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on('error', () => undefined);
    });
  });
  const result = (await outcome) as AwsError;
  assert.equal(result.code, 'IncompleteBody');
});
