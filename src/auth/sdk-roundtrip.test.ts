/**
 * Round trips with AWS's own signer and client, when the dev dependencies are installed:
 * requests signed by @smithy/signature-v4 (header and presigned, awkward keys and queries)
 * and real @aws-sdk/client-s3 uploads (header checksums, aws-chunked bodies with trailing
 * checksums, presigned URLs) against authenticate + createPayloadPipeline.
 */
import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { isAwsError } from '../errors/aws-error.js';
import { createPayloadPipeline, type PayloadSummary } from './payload.js';
import { authenticate, type AuthResult } from './verify.js';

const CREDS = { accessKeyId: 'AKIASDKROUNDTRIP0001', secretAccessKey: 'sdk/round+trip=secret' };
const lookup = (id: string) => (id === CREDS.accessKeyId ? { secretAccessKey: CREDS.secretAccessKey } : undefined);

// The SDK's hash constructor interface, built on node:crypto so no extra package is needed.
class Sha256 {
  private h;
  constructor(secret?: Uint8Array | string) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: Uint8Array | string): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

type AnyModule = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function optional(name: string): Promise<AnyModule | undefined> {
  try {
    return (await import(name)) as AnyModule;
  } catch {
    return undefined;
  }
}

const KEYS = ['plain.txt', 'my key with spaces.txt', 'ключ/файл ü.bin', 'a+b=c&d', '100%/x', "it's (1)*!~", 'dir//double/./dot/../x', 'emoji 😀'];

test('@smithy/signature-v4: header-signed and presigned requests verify', async (t) => {
  const mod = await optional('@smithy/signature-v4');
  if (!mod) return t.skip('@smithy/signature-v4 not installed');
  const { SignatureV4 } = mod;
  const now = new Date();
  for (const region of ['us-east-1', 'eu-central-1']) {
    const signer = new SignatureV4({ service: 's3', region, credentials: CREDS, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    for (const key of KEYS) {
      const path = '/bucket/' + key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())).join('/');
      const query = { prefix: 'a b+c/ü', 'list-type': '2', 'empty': '', 'x-id': 'GetObject' };
      const request = {
        method: 'GET', protocol: 'http:', hostname: 'localhost', port: 9000, path, query,
        headers: { host: 'localhost:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-meta-note': '  spaced   value ' },
      };
      const rawQuery = (q: Record<string, string | string[] | null>) => Object.entries(q)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v ?? ''))}`).join('&');
      const signed = await signer.sign(request, { signingDate: now });
      const headers = Object.fromEntries(Object.entries(signed.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
      const r = await authenticate({ method: 'GET', rawPath: path, rawQuery: rawQuery(query), headers }, lookup, now);
      assert.equal(r.kind, 'sigv4', key);

      // As @aws-sdk/s3-request-presigner does (UNSIGNED-PAYLOAD hoisted into the query), and
      // as the bare signer does (no hash given: the empty-body hash, body then held to it).
      for (const presignHeaders of [{ host: 'localhost:9000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, { host: 'localhost:9000' }]) {
        const presigned = await signer.presign({ ...request, headers: presignHeaders }, { signingDate: now, expiresIn: 300 });
        const p = await authenticate({ method: 'GET', rawPath: path, rawQuery: rawQuery(presigned.query), headers: { host: 'localhost:9000' } }, lookup, now);
        assert.equal(p.kind === 'sigv4' && p.method, 'presigned', key);
        assert.equal(p.kind === 'sigv4' && p.payload.kind, presignHeaders['x-amz-content-sha256'] ? 'unsigned' : 'sha256');
      }
      const presigned = await signer.presign({ ...request, headers: { host: 'localhost:9000' } }, { signingDate: now, expiresIn: 300 });
      await assert.rejects(authenticate({ method: 'GET', rawPath: path, rawQuery: rawQuery(presigned.query), headers: { host: 'localhost:9000' } },
        lookup, new Date(now.getTime() + 301_000)), { code: 'AccessDenied' });
    }
  }
  // Services other than S3: the signer double-encodes the path and signs the body hash.
  const sts = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: { ...CREDS, sessionToken: 'tok/en+' }, sha256: Sha256 });
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signed = await sts.sign({ method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/a%20b/', query: {},
    headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' }, body }, { signingDate: now });
  const headers = Object.fromEntries(Object.entries(signed.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
  const r = await authenticate({ method: 'POST', rawPath: '/a%20b/', rawQuery: '', headers, payloadSha256: createHash('sha256').update(body).digest('hex') }, lookup, now);
  assert.equal(r.kind === 'sigv4' && r.sessionToken, 'tok/en+');
  assert.equal(r.kind === 'sigv4' && r.credentialScope.service, 'sts');
});

// A minimal S3 endpoint: authenticate, stream the body through the pipeline, answer like S3.
let server: Server | undefined;
let endpoint = '';
const received: Array<{ key: string; data: Buffer; summary: PayloadSummary; auth: AuthResult }> = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  try {
    const auth = await authenticate({ method: req.method!, rawPath, rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headersDistinct }, lookup, new Date());
    const body = createPayloadPipeline(req, auth, req.headers);
    const parts: Buffer[] = [];
    for await (const chunk of body.stream) parts.push(chunk as Buffer);
    const summary = await body.done;
    received.push({ key: decodeURIComponent(rawPath), data: Buffer.concat(parts), summary, auth });
    const headers: Record<string, string> = { etag: `"${summary.md5.toString('hex')}"` };
    for (const [alg, v] of Object.entries(summary.checksums)) headers[`x-amz-checksum-${alg.toLowerCase()}`] = v;
    res.writeHead(200, headers).end(req.method === 'GET' ? 'object-bytes' : undefined);
  } catch (e) {
    const code = isAwsError(e) ? e.code : 'InternalError';
    res.writeHead(isAwsError(e) ? e.status : 500, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${isAwsError(e) ? e.message : String(e)}</Message></Error>`);
    req.resume();
  }
}

before(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

test('@aws-sdk/client-s3: PutObject (buffers, streams, checksums), presigned GET, wrong secret', async (t) => {
  const s3mod = await optional('@aws-sdk/client-s3');
  if (!s3mod) return t.skip('@aws-sdk/client-s3 not installed');
  const { S3Client, PutObjectCommand, GetObjectCommand } = s3mod;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDS });
  try {
    for (const key of KEYS) {
      const data = randomBytes(1000);
      await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: key, Body: data }));
      const got = received.at(-1)!;
      assert.equal(got.key, `/bucket/${key}`);
      assert.ok(got.data.equals(data), key);
      assert.equal(got.summary.clientChecksum?.source, 'header'); // the SDK's default CRC32, computed up front
    }
    for (const ChecksumAlgorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']) {
      // A stream of unknown shape makes the SDK send aws-chunked with a trailing checksum.
      const data = randomBytes(300_000);
      const Body = Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]);
      await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: `stream-${ChecksumAlgorithm}`, Body, ContentLength: data.length, ChecksumAlgorithm }));
      const got = received.at(-1)!;
      assert.ok(got.data.equals(data));
      assert.equal(got.summary.clientChecksum?.algorithm, ChecksumAlgorithm);
      assert.equal(got.summary.clientChecksum?.source, 'trailer');
      assert.equal(got.auth.kind === 'sigv4' && got.auth.payload.kind, 'streaming-unsigned-trailer');
    }
    const presigner = await optional('@aws-sdk/s3-request-presigner');
    if (presigner) {
      const url: string = await presigner.getSignedUrl(client, new GetObjectCommand({ Bucket: 'bucket', Key: 'ключ/файл ü.bin' }), { expiresIn: 60 });
      const res = await fetch(url);
      assert.equal(res.status, 200, await res.clone().text());
      const last = received.at(-1)!.auth;
      assert.equal(last.kind === 'sigv4' ? last.method : last.kind, 'presigned');
    }
    const wrong = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...CREDS, secretAccessKey: 'nope' } });
    await assert.rejects(wrong.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'x' })), { name: 'SignatureDoesNotMatch' });
    wrong.destroy();
  } finally {
    client.destroy();
  }
});
