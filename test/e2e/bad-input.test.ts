import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand, CreateMultipartUploadCommand, GetBucketLifecycleConfigurationCommand, GetObjectCommand, GetObjectTaggingCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutBucketCorsCommand, PutObjectCommand,
  S3Client, S3ServiceException, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { sha256Hex } from '../../src/auth/sigv4.js';
import { OTHER_ACCOUNT, OTHER_KEY, ROOT_KEY, s3Client, startTestServer, type TestServer } from './harness.js';
import { parseResponse, presignUrl, rawSend, requestHead, signedChunkedBody, signedRequest, signRequest, xmlText, type RawResponse } from './raw-http.js';

async function rejects(p: Promise<unknown>, code: string, status: number): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as S3ServiceException;
    assert.equal(err.name, code, `expected ${code}, got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status, `${code} status`);
    return err;
  }
  assert.fail(`expected ${code}`);
}

function s3ErrorOf(r: RawResponse, code: string, status: number): void {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.body}`);
  assert.equal(xmlText(r.body, 'Code'), code, r.body);
}

const md5b64 = (b: Buffer | string): string => createHash('md5').update(b).digest('base64');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('bad input: right S3 errors, no object, no garbage, server stays up', () => {
  let srv: TestServer;
  let s3: S3Client;
  let bootDir: string;
  const B = 'bad-input';

  before(async () => {
    bootDir = await mkdtemp(join(tmpdir(), 'coffer-boot-'));
    const boot = join(bootDir, 'bootstrap.json');
    await writeFile(boot, JSON.stringify({
      accounts: [{ id: OTHER_ACCOUNT, name: 'other', rootAccessKeys: [OTHER_KEY], buckets: [{ name: 'other-owned' }] }],
    }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: boot });
    s3 = s3Client(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  after(async () => {
    s3.destroy();
    await srv.stop();
    await rm(bootDir, { recursive: true, force: true });
  });

  const exists = async (key: string, bucket = B): Promise<boolean> => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'NotFound') return false;
      throw e;
    }
  };

  /** No temporary blob and no committed blob that metadata does not reference (releases are asynchronous: wait briefly). */
  const noGarbage = async (): Promise<void> => {
    const root = join(srv.dataDir, 'blobs');
    let problem = '';
    for (let i = 0; i < 40; i++) {
      const tmp = await readdir(join(root, 'tmp'));
      const committed: string[] = [];
      for (const a of await readdir(root)) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await readdir(join(root, a))) committed.push(...await readdir(join(root, a, b)));
      }
      const referenced = await srv.running.app.meta.referencedBlobIds();
      const orphans = committed.filter((id) => !referenced.has(id));
      problem = tmp.length ? `blobs/tmp holds ${tmp.join(', ')}` : orphans.length ? `orphan blobs ${orphans.join(', ')}` : '';
      if (!problem) return;
      await sleep(50);
    }
    assert.fail(problem);
  };

  const alive = async (): Promise<void> => {
    const key = `alive-${randomBytes(4).toString('hex')}`;
    await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: 'ok' }));
    const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
    assert.equal(await r.Body!.transformToString(), 'ok');
  };

  const signed = (r: Omit<Parameters<typeof signedRequest>[1], 'key'>): Promise<RawResponse> => signedRequest(srv.port, { key: ROOT_KEY, ...r });

  test('malformed XML bodies answer MalformedXML and change nothing', async () => {
    const bad = Buffer.from('<Oops><not-closed>');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mx-upload' }));
    await s3.send(new UploadPartCommand({ Bucket: B, Key: 'mx-upload', UploadId, PartNumber: 1, Body: 'part' }));
    s3ErrorOf(await signed({ method: 'POST', path: `/${B}/mx-upload`, query: `uploadId=${encodeURIComponent(UploadId!)}`, body: bad }), 'MalformedXML', 400);
    assert.equal(await exists('mx-upload'), false);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
    assert.ok(uploads.Uploads?.some((u) => u.UploadId === UploadId), 'the upload is still open');

    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'mx-keep', Body: 'keep', Tagging: 'a=1' }));
    s3ErrorOf(await signed({ method: 'POST', path: `/${B}`, query: 'delete=', body: bad, headers: { 'content-md5': md5b64(bad) } }), 'MalformedXML', 400);
    assert.equal(await exists('mx-keep'), true);
    s3ErrorOf(await signed({ method: 'PUT', path: `/${B}`, query: 'versioning=', body: bad }), 'MalformedXML', 400);
    s3ErrorOf(await signed({ method: 'PUT', path: `/${B}/mx-keep`, query: 'tagging=', body: bad }), 'MalformedXML', 400);
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'mx-keep' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'a', Value: '1' }]);
    // Well-formed XML with the wrong root is no better.
    s3ErrorOf(await signed({ method: 'PUT', path: `/${B}`, query: 'versioning=', body: Buffer.from('<Foo><Status>Enabled</Status></Foo>') }), 'MalformedXML', 400);
    await noGarbage();
  });

  test('bad bucket names answer InvalidBucketName', async () => {
    for (const name of ['ab', 'Bad_Name', '-leading', 'trailing-', 'a..b', '192.168.1.1', 'xn--punycode', 'name-s3alias', 'x'.repeat(64)]) {
      await rejects(s3.send(new CreateBucketCommand({ Bucket: name })), 'InvalidBucketName', 400);
    }
  });

  test('key over 1024 bytes and metadata over 2 KB are refused', async () => {
    const long = 'k'.repeat(1025);
    await rejects(s3.send(new PutObjectCommand({ Bucket: B, Key: long, Body: 'x' })), 'KeyTooLongError', 400);
    // 1024 bytes of UTF-8 is still fine; 1025 bytes in fewer characters is not.
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'é'.repeat(512), Body: 'x' }));
    await rejects(s3.send(new PutObjectCommand({ Bucket: B, Key: `${'é'.repeat(512)}x`, Body: 'x' })), 'KeyTooLongError', 400);
    await rejects(s3.send(new PutObjectCommand({ Bucket: B, Key: 'meta-big', Body: randomBytes(300_000), Metadata: { big: 'v'.repeat(2100) } })), 'MetadataTooLarge', 400);
    assert.equal(await exists('meta-big'), false);
    await noGarbage();
  });

  test('a body shorter than its Content-Length leaves no object, and the server stays up', async () => {
    const key = 'short-body';
    const s = signRequest({ method: 'PUT', path: `/${B}/${key}`, headers: { host: `127.0.0.1:${srv.port}` }, payloadHash: 'UNSIGNED-PAYLOAD', key: ROOT_KEY });
    const ex = rawSend(srv.port, requestHead('PUT', `/${B}/${key}`, { ...s.headers, 'content-length': '1000' }), randomBytes(500));
    await sleep(100);
    ex.socket.end(); // close the write side: the body can never be completed
    const res = parseResponse(await ex.received);
    assert.ok(res, 'an S3 answer, not a bare close');
    s3ErrorOf(res, 'IncompleteBody', 400);
    assert.equal(await exists(key), false);
    await noGarbage();
    await alive();
  });

  test('a connection dropped mid-upload leaves no object and no blob', async () => {
    const key = 'dropped';
    const s = signRequest({ method: 'PUT', path: `/${B}/${key}`, headers: { host: `127.0.0.1:${srv.port}` }, payloadHash: 'UNSIGNED-PAYLOAD', key: ROOT_KEY });
    // Blob-sized (2 MiB), half of it sent: the server has spilled to a temporary blob by then.
    const ex = rawSend(srv.port, requestHead('PUT', `/${B}/${key}`, { ...s.headers, 'content-length': String(2 * 1024 * 1024) }), randomBytes(1024 * 1024));
    await sleep(300);
    ex.socket.destroy();
    await ex.received;
    await noGarbage();
    assert.equal(await exists(key), false);
    await alive();
  });

  test('payload integrity: x-amz-content-sha256, Content-MD5, x-amz-checksum-crc32', async () => {
    const body = Buffer.from('the real body');
    s3ErrorOf(await signed({ method: 'PUT', path: `/${B}/sha-bad`, body, payloadHash: sha256Hex('another body') }), 'XAmzContentSHA256Mismatch', 400);
    assert.equal(await exists('sha-bad'), false);
    // The same with a blob-sized body, so a blob was written and must be removed.
    const big = randomBytes(1024 * 1024);
    s3ErrorOf(await signed({ method: 'PUT', path: `/${B}/sha-bad-big`, body: big, payloadHash: sha256Hex('another body') }), 'XAmzContentSHA256Mismatch', 400);
    assert.equal(await exists('sha-bad-big'), false);

    await rejects(s3.send(new PutObjectCommand({ Bucket: B, Key: 'md5-bad', Body: big, ContentMD5: md5b64('other') })), 'BadDigest', 400);
    assert.equal(await exists('md5-bad'), false);
    await rejects(s3.send(new PutObjectCommand({ Bucket: B, Key: 'md5-malformed', Body: 'x', ContentMD5: 'not-an-md5' })), 'InvalidDigest', 400);
    assert.equal(await exists('md5-malformed'), false);
    s3ErrorOf(await signed({ method: 'PUT', path: `/${B}/crc-bad`, body: big, headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } }), 'BadDigest', 400);
    assert.equal(await exists('crc-bad'), false);
    await rejects(s3.send(new PutObjectCommand({ Bucket: B, Key: 'crc-bad-sdk', Body: 'x', ChecksumCRC32: 'AAAAAA==' })), 'BadDigest', 400);
    assert.equal(await exists('crc-bad-sdk'), false);
    await noGarbage();
  });

  test('aws-chunked: a well-signed stream stores; a tampered chunk is SignatureDoesNotMatch and stores nothing', async () => {
    const data = randomBytes(200_000);
    const put = async (key: string, tamper: boolean): Promise<RawResponse> => {
      const path = `/${B}/${key}`;
      const s = signRequest({
        method: 'PUT', path, key: ROOT_KEY, payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        headers: { host: `127.0.0.1:${srv.port}`, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length) },
      });
      const body = signedChunkedBody(data, 64 * 1024, s);
      if (tamper) body[body.length - 1000] ^= 0x01; // a data byte of the last non-empty chunk
      const ex = rawSend(srv.port, requestHead('PUT', path, { ...s.headers, 'content-length': String(body.length) }), body);
      const res = parseResponse(await ex.received);
      assert.ok(res, 'a response');
      return res;
    };
    const ok = await put('chunked-good', false);
    assert.equal(ok.status, 200, ok.body);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'chunked-good' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), data);
    s3ErrorOf(await put('chunked-tampered', true), 'SignatureDoesNotMatch', 403);
    assert.equal(await exists('chunked-tampered'), false);
    await noGarbage();
  });

  test('a single PUT over 5 GiB is EntityTooLarge before any body is read', async () => {
    const key = 'too-large';
    const s = signRequest({ method: 'PUT', path: `/${B}/${key}`, headers: { host: `127.0.0.1:${srv.port}` }, payloadHash: 'UNSIGNED-PAYLOAD', key: ROOT_KEY });
    const ex = rawSend(srv.port, requestHead('PUT', `/${B}/${key}`, { ...s.headers, 'content-length': String(5 * 1024 ** 3 + 1) }));
    const res = parseResponse(await ex.received);
    assert.ok(res, 'answered without the body');
    s3ErrorOf(res, 'EntityTooLarge', 400);
    assert.equal(await exists(key), false);
  });

  test('authentication: wrong secret, unknown key, skewed clock', async () => {
    const wrong = s3Client(srv.endpoint, { accessKeyId: ROOT_KEY.accessKeyId, secretAccessKey: 'not-the-secret-key-000000000000000000000' });
    await rejects(wrong.send(new PutObjectCommand({ Bucket: B, Key: 'auth-wrong', Body: 'x' })), 'SignatureDoesNotMatch', 403);
    wrong.destroy();
    const unknown = s3Client(srv.endpoint, { accessKeyId: 'AKIANOSUCHKEY0000001', secretAccessKey: 'whatever-secret-00000000000000000000000' });
    await rejects(unknown.send(new ListObjectsV2Command({ Bucket: B })), 'InvalidAccessKeyId', 403);
    unknown.destroy();
    const skewed = new S3Client({
      endpoint: srv.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: ROOT_KEY, maxAttempts: 1, systemClockOffset: 20 * 60 * 1000,
    });
    await rejects(skewed.send(new PutObjectCommand({ Bucket: B, Key: 'auth-skewed', Body: 'x' })), 'RequestTimeTooSkewed', 403);
    skewed.destroy();
    const raw = await signed({ method: 'GET', path: `/${B}`, now: new Date(Date.now() - 20 * 60 * 1000) });
    s3ErrorOf(raw, 'RequestTimeTooSkewed', 403);
    assert.equal(await exists('auth-wrong'), false);
    assert.equal(await exists('auth-skewed'), false);
  });

  test('presigned URLs: expired, and X-Amz-Expires over a week', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'presigned', Body: 'secret' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: B, Key: 'presigned' }), { expiresIn: 1 });
    const fresh = await fetch(url);
    assert.equal(fresh.status, 200);
    assert.equal(await fresh.text(), 'secret');
    await sleep(2100);
    const expired = await fetch(url);
    const body = await expired.text();
    assert.equal(expired.status, 403);
    assert.equal(xmlText(body, 'Code'), 'AccessDenied');
    assert.equal(xmlText(body, 'Message'), 'Request has expired');
    const tooLong = await fetch(presignUrl(srv.endpoint, 'GET', `/${B}/presigned`, ROOT_KEY, 604_801));
    assert.equal(tooLong.status, 400);
    assert.equal(xmlText(await tooLong.text(), 'Code'), 'AuthorizationQueryParametersError');
    const aWeek = await fetch(presignUrl(srv.endpoint, 'GET', `/${B}/presigned`, ROOT_KEY, 604_800));
    assert.equal(aWeek.status, 200, 'a week exactly is allowed');
    assert.equal(await aWeek.text(), 'secret');
  });

  test('authorization: anonymous caller, another account\'s bucket', async () => {
    const anon = await fetch(`${srv.endpoint}/${B}`);
    assert.equal(anon.status, 403);
    assert.equal(xmlText(await anon.text(), 'Code'), 'AccessDenied');
    const anonPut = await fetch(`${srv.endpoint}/${B}/anon-put`, { method: 'PUT', body: 'x' });
    assert.equal(anonPut.status, 403);
    assert.equal(xmlText(await anonPut.text(), 'Code'), 'AccessDenied');
    assert.equal(await exists('anon-put'), false);

    await rejects(s3.send(new ListObjectsV2Command({ Bucket: 'other-owned' })), 'AccessDenied', 403);
    await rejects(s3.send(new PutObjectCommand({ Bucket: 'other-owned', Key: 'intruder', Body: 'x' })), 'AccessDenied', 403);
    const other = s3Client(srv.endpoint, OTHER_KEY);
    await other.send(new PutObjectCommand({ Bucket: 'other-owned', Key: 'mine', Body: 'x' }));
    await rejects(other.send(new GetObjectCommand({ Bucket: B, Key: 'presigned' })), 'AccessDenied', 403);
    const list = await other.send(new ListObjectsV2Command({ Bucket: 'other-owned' }));
    assert.deepEqual(list.Contents?.map((o) => o.Key), ['mine'], 'the intruder stored nothing');
    other.destroy();
  });

  test('unimplemented operations and services answer 501 NotImplemented in their own protocol', async () => {
    await rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })), 'NotImplemented', 501);
    await rejects(s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })), 'NotImplemented', 501);

    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    for (const [service, body, ns] of [
      ['sts', 'Action=AssumeRoleWithSAML&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&PrincipalArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Asaml-provider%2Fp&SAMLAssertion=' + 'x'.repeat(8), 'https://sts.amazonaws.com/doc/2011-06-15/'],
      ['iam', 'Action=CreateVirtualMFADevice&Version=2010-05-08&VirtualMFADeviceName=mfa', 'https://iam.amazonaws.com/doc/2010-05-08/'],
    ] as const) {
      const r = await signed({ method: 'POST', path: '/', service, headers: form, body: Buffer.from(body) });
      assert.equal(r.status, 501, `${service}: ${r.body}`);
      assert.match(r.body, new RegExp(`^<ErrorResponse xmlns="${ns.replace(/[./]/g, '\\$&')}"><Error>`));
      assert.equal(xmlText(r.body, 'Code'), 'NotImplemented');
      // A 5xx is the service's fault, not the caller's: Query errors call that Receiver.
      assert.equal(xmlText(r.body, 'Type'), 'Receiver');
      assert.ok(xmlText(r.body, 'RequestId'));
    }
    for (const [service, target] of [['kms', 'TrentService.CreateCustomKeyStore'], ['organizations', 'AWSOrganizationsV20161128.CreateGovCloudAccount']] as const) {
      const r = await signed({
        method: 'POST', path: '/', service, body: Buffer.from('{}'),
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      });
      assert.equal(r.status, 501, `${service}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1');
      assert.equal((JSON.parse(r.body) as { __type: string }).__type, 'NotImplemented');
    }
  });

  test('Expect: 100-continue is honoured; other Expect values are ignored', async () => {
    const body = Buffer.from('continued body');
    const path = `/${B}/expect-100`;
    const s = signRequest({ method: 'PUT', path, headers: { host: `127.0.0.1:${srv.port}`, expect: '100-continue' }, payloadHash: sha256Hex(body), key: ROOT_KEY });
    const ex = rawSend(srv.port, requestHead('PUT', path, { ...s.headers, 'content-length': String(body.length) }));
    let seen = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no 100 Continue')), 3000);
      ex.socket.on('data', (d: Buffer) => {
        seen = Buffer.concat([seen, d]);
        if (seen.toString('latin1').startsWith('HTTP/1.1 100 Continue\r\n\r\n')) { clearTimeout(t); resolve(); }
      });
    });
    ex.socket.write(body);
    const res = parseResponse(await ex.received);
    assert.equal(res?.status, 200, res?.body);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'expect-100' }));
    assert.equal(await got.Body!.transformToString(), 'continued body');

    const other = await signed({ method: 'PUT', path: `/${B}/expect-other`, headers: { expect: 'something-else' }, body });
    assert.equal(other.status, 200, `not 417: ${other.status} ${other.body}`);
    assert.equal(await exists('expect-other'), true);
  });

  test('100 KB of headers is refused and the server stays up', async () => {
    const ex = rawSend(srv.port, requestHead('GET', `/${B}`, { host: `127.0.0.1:${srv.port}`, 'x-amz-meta-huge': 'h'.repeat(100 * 1024) }));
    const res = parseResponse(await ex.received);
    assert.ok(res, 'an HTTP answer, not a silent reset');
    s3ErrorOf(res, 'RequestHeaderSectionTooLarge', 400);
    await alive();
  });

  test('hostile keys are opaque: stored and read back, nothing outside the data dir', async () => {
    const marker = `coffer-escape-${randomBytes(6).toString('hex')}`;
    const keys = ['../../etc/passwd', `../../../../${marker}`, 'a/../../b', 'ctl\u0001\u0002\u001fkey', '/', '//', '///', `..\\..\\${marker}`, '.', '..'];
    const before = new Set(await readdir(tmpdir()));
    for (const [i, key] of keys.entries()) {
      const body = `body ${i}`;
      await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: body }));
      const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
      assert.equal(await got.Body!.transformToString(), body, `read back ${JSON.stringify(key)}`);
    }
    const listed = new Set<string>();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: B, ContinuationToken: token }));
      for (const o of page.Contents ?? []) listed.add(o.Key!);
      token = page.NextContinuationToken;
    } while (token);
    for (const key of keys) assert.ok(listed.has(key), `listed ${JSON.stringify(key)}`);
    const created = (await readdir(tmpdir())).filter((n) => !before.has(n) && n.includes(marker));
    assert.deepEqual(created, []);
    assert.deepEqual((await readdir(srv.dataDir)).filter((n) => n.includes(marker) || n === 'etc'), []);
  });

  test('after all of it the server still serves requests', async () => {
    await alive();
    await noGarbage();
  });
});
