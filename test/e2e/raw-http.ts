import { connect, type Socket } from 'node:net';
import {
  canonicalHeaderValue, canonicalQueryString, canonicalRequest, canonicalUri, chunkStringToSign, EMPTY_SHA256, hmacHex, scopeString,
  sha256Hex, signingKey, stringToSign, type CredentialScope,
} from '../../src/auth/sigv4.js';

/** Raw SigV4-signed HTTP for what the SDK will not send: broken bodies, other services, odd headers. */

export interface Key { accessKeyId: string; secretAccessKey: string }

export interface SignInput {
  method: string;
  /** Already percent-encoded, as it goes on the wire. */
  path: string;
  query?: string;
  /** Header names in lower case; `host` is required and signed. */
  headers: Record<string, string>;
  /** The x-amz-content-sha256 value (S3) or the body's hash (other services). */
  payloadHash: string;
  key: Key;
  region?: string;
  service?: string;
  now?: Date;
}

export interface Signed {
  headers: Record<string, string>;
  signature: string;
  signingKey: Buffer;
  amzDate: string;
  scope: CredentialScope;
}

export function amzDateOf(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Signs every header given (plus x-amz-date), as a client would. */
export function signRequest(r: SignInput): Signed {
  const region = r.region ?? 'us-east-1';
  const service = r.service ?? 's3';
  const amzDate = amzDateOf(r.now ?? new Date());
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...r.headers, 'x-amz-date': amzDate };
  if (service === 's3') headers['x-amz-content-sha256'] = r.payloadHash;
  const names = Object.keys(headers).map((n) => n.toLowerCase()).sort();
  const lines = names.map((n) => `${n}:${canonicalHeaderValue([headers[n]!])}\n`).join('');
  const canonical = canonicalRequest({
    method: r.method, canonicalUri: canonicalUri(r.path, { doubleEncode: service !== 's3' }), canonicalQuery: canonicalQueryString(r.query ?? ''),
    canonicalHeaders: lines, signedHeaders: names, payloadHash: r.payloadHash,
  });
  const scope: CredentialScope = { date, region, service };
  const key = signingKey(r.key.secretAccessKey, scope);
  const signature = hmacHex(key, stringToSign(amzDate, scope, canonical));
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${r.key.accessKeyId}/${scopeString(scope)}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { headers, signature, signingKey: key, amzDate, scope };
}

/** An aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) for `data`, chunk signatures chained from the seed. */
export function signedChunkedBody(data: Buffer, chunkSize: number, s: Signed): Buffer {
  const out: Buffer[] = [];
  let prev = s.signature;
  const emit = (chunk: Buffer): void => {
    const sig = hmacHex(s.signingKey, chunkStringToSign(s.amzDate, s.scope, prev, chunk.length ? sha256Hex(chunk) : EMPTY_SHA256));
    prev = sig;
    out.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${sig}\r\n`), chunk, Buffer.from('\r\n'));
  };
  for (let i = 0; i < data.length; i += chunkSize) emit(data.subarray(i, i + chunkSize));
  emit(Buffer.alloc(0));
  return Buffer.concat(out);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 response (Content-Length framed, or until close) out of raw bytes. */
export function parseResponse(raw: Buffer): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  let m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  let offset = end + 4;
  // Skip interim 1xx responses (100 Continue).
  while (m && m[1]!.startsWith('1')) {
    const next = raw.indexOf('\r\n\r\n', offset);
    if (next < 0) return undefined;
    const lines = raw.subarray(offset, next).toString('latin1').split('\r\n');
    m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    head.splice(0, head.length, ...lines);
    offset = next + 4;
  }
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  let body = raw.subarray(offset);
  const cl = headers['content-length'];
  if (cl !== undefined) body = body.subarray(0, Number(cl));
  return { status: Number(m[1]), headers, body: body.toString('utf8') };
}

export interface RawExchange {
  socket: Socket;
  /** Everything received until the server closed the connection or `timeoutMs` passed. */
  received: Promise<Buffer>;
}

/** Opens a socket and writes `head` (then `body`, if given); the caller decides how the client side ends. */
export function rawSend(port: number, head: string, body?: Buffer, timeoutMs = 5000): RawExchange {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const received = new Promise<Buffer>((resolve) => {
    const timer = setTimeout(() => { socket.destroy(); }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => { /* a reset after an error answer is expected */ });
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks)); });
  });
  socket.write(head);
  if (body) socket.write(body);
  return { socket, received };
}

export function requestHead(method: string, target: string, headers: Record<string, string>): string {
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\nConnection: close\r\n\r\n`;
}

/** One complete signed request over a fresh connection; answers the parsed response. */
export async function signedRequest(port: number, r: Omit<SignInput, 'headers' | 'payloadHash'> & { headers?: Record<string, string>; body?: Buffer; payloadHash?: string }): Promise<RawResponse> {
  const body = r.body ?? Buffer.alloc(0);
  const s = signRequest({
    ...r,
    headers: { host: `127.0.0.1:${port}`, ...(r.headers ?? {}) },
    payloadHash: r.payloadHash ?? sha256Hex(body),
  });
  const headers = { ...s.headers, 'content-length': String(body.length) };
  const target = r.query ? `${r.path}?${r.query}` : r.path;
  const ex = rawSend(port, requestHead(r.method, target, headers), body);
  const res = parseResponse(await ex.received);
  if (!res) throw new Error(`no HTTP response to ${r.method} ${target}`);
  return res;
}

/** The text of one XML element, e.g. `<Code>`. */
export function xmlText(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** A presigned S3 URL built by hand, so X-Amz-Expires can be anything (the SDK refuses over a week). */
export function presignUrl(endpoint: string, method: string, path: string, key: Key, expires: number, now = new Date()): string {
  const host = new URL(endpoint).host;
  const amzDate = amzDateOf(now);
  const date = amzDate.slice(0, 8);
  const scope: CredentialScope = { date, region: 'us-east-1', service: 's3' };
  const params = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${key.accessKeyId}/${scopeString(scope)}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(expires),
    'X-Amz-SignedHeaders': 'host',
  });
  const rawQuery = params.toString();
  const canonical = canonicalRequest({
    method, canonicalUri: canonicalUri(path, { doubleEncode: false }), canonicalQuery: canonicalQueryString(rawQuery),
    canonicalHeaders: `host:${host}\n`, signedHeaders: ['host'], payloadHash: 'UNSIGNED-PAYLOAD',
  });
  const signature = hmacHex(signingKey(key.secretAccessKey, scope), stringToSign(amzDate, scope, canonical));
  return `${endpoint}${path}?${rawQuery}&X-Amz-Signature=${signature}`;
}
