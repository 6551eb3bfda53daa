// A minimal S3 client for the benchmark: node:http with keep-alive agents, SigV4 signed
// with Coffer's own primitives. Bodies are sent as UNSIGNED-PAYLOAD, as a fast client does
// over TLS (the payload hash would otherwise cost one SHA-256 pass over every byte on the
// client and a second on the server).
import { Agent, request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { canonicalQueryString, canonicalRequest, hmacHex, signingKey, stringToSign, type CredentialScope } from '../src/auth/sigv4.js';

export interface Credentials { accessKeyId: string; secretAccessKey: string; region: string }

export interface Endpoint {
  name: string;
  host: string;
  port: number;
  agent: Agent;
  creds: Credentials;
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
}

const UNSIGNED = 'UNSIGNED-PAYLOAD';
const SIGNED_HEADERS = 'host;x-amz-content-sha256;x-amz-date';

let cachedSecond = -1;
let cachedAmzDate = '';
function amzDateNow(): string {
  const s = Math.floor(Date.now() / 1000);
  if (s !== cachedSecond) {
    cachedSecond = s;
    cachedAmzDate = new Date(s * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  }
  return cachedAmzDate;
}

/** SigV4 headers for an S3 request whose path needs no encoding (the benchmark's keys do not). */
export function signedHeaders(ep: Endpoint, method: string, path: string, rawQuery = ''): Record<string, string> {
  const amzDate = amzDateNow();
  const date = amzDate.slice(0, 8);
  const host = `${ep.host}:${ep.port}`;
  const lines = `host:${host}\nx-amz-content-sha256:${UNSIGNED}\nx-amz-date:${amzDate}\n`;
  const scope: CredentialScope = { date, region: ep.creds.region, service: 's3' };
  const canonical = canonicalRequest({
    method, canonicalUri: path, canonicalQuery: canonicalQueryString(rawQuery), canonicalHeaders: lines,
    signedHeaders: SIGNED_HEADERS.split(';'), payloadHash: UNSIGNED,
  });
  const signature = hmacHex(signingKey(ep.creds.secretAccessKey, scope), stringToSign(amzDate, scope, canonical));
  return {
    host,
    'x-amz-content-sha256': UNSIGNED,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${ep.creds.accessKeyId}/${date}/${ep.creds.region}/s3/aws4_request, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
  };
}

export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

export interface SendOptions {
  /** A whole body (small objects) … */
  body?: Buffer;
  /** … or a stream of `length` bytes. */
  stream?: () => Readable;
  length?: number;
  signal?: AbortSignal;
}

/** Sends one request; the response body is counted and discarded (never held). */
export function send(ep: Endpoint, method: string, path: string, opts: SendOptions = {}): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const q = path.indexOf('?');
    const headers: Record<string, string | number> = q < 0 ? signedHeaders(ep, method, path) : signedHeaders(ep, method, path.slice(0, q), path.slice(q + 1));
    const length = opts.body ? opts.body.length : opts.length;
    if (length !== undefined) headers['content-length'] = length;
    const req = request({ host: ep.host, port: ep.port, method, path, headers, agent: ep.agent, signal: opts.signal });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      let bytes = 0;
      const errorBody: Buffer[] = [];
      const ok = res.statusCode! >= 200 && res.statusCode! < 300;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (!ok && bytes < 4096) errorBody.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        if (ok) resolve({ status: res.statusCode!, bytes });
        else reject(new HttpStatusError(res.statusCode!, Buffer.concat(errorBody).toString('utf8')));
      });
    });
    if (opts.stream) pipeline(opts.stream(), req).catch(reject);
    else req.end(opts.body);
  });
}

/** `total` bytes as slices of one reused buffer: a generator, so nothing big is ever held. */
export function repeatedBody(block: Buffer, total: number): () => Readable {
  return () => Readable.from((function* gen() {
    let left = total;
    while (left > 0) {
      const n = Math.min(left, block.length);
      yield n === block.length ? block : block.subarray(0, n);
      left -= n;
    }
  })(), { objectMode: false });
}
