import type { IncomingHttpHeaders } from 'node:http';
import { s3Error } from '../errors/s3.js';
import {
  ALGORITHM, canonicalHeaderValue, canonicalQuery, canonicalRequest, canonicalUri, sign, signaturesEqual, signingKey, stringToSign,
} from './signature-v4.js';

/** What authentication needs of a request: its bytes-level parts, untouched. */
export interface SignedRequestParts {
  method: string;
  /** As received, still percent-encoded. */
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Node's rawHeaders: name/value pairs in arrival order (repeated headers kept apart). */
  rawHeaders: string[];
}

export type PayloadMode =
  | { kind: 'unsigned' }
  | { kind: 'sha256'; expected: string }
  | { kind: 'streaming-signed'; trailer: boolean }
  | { kind: 'streaming-unsigned-trailer' };

export interface CredentialScope { date: string; region: string; service: string }

export type AuthResult =
  | { kind: 'anonymous' }
  | {
    kind: 'sigv4';
    method: 'header' | 'presigned';
    accessKeyId: string;
    sessionToken?: string;
    scope: CredentialScope;
    /** `date/region/service/aws4_request` */
    scopeString: string;
    amzDate: string;
    requestTime: Date;
    signedHeaders: string[];
    signature: string;
    signingKey: Buffer;
    payload: PayloadMode;
  };

export type SecretLookup = (accessKeyId: string) => Promise<{ secretAccessKey: string } | undefined>;

export const MAX_SKEW_MS = 15 * 60 * 1000;
export const MAX_PRESIGN_SECONDS = 604_800;

interface Parsed {
  method: 'header' | 'presigned';
  credential: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  expires?: number;
  sessionToken?: string;
}

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function parseAuthorizationHeader(auth: string, h: IncomingHttpHeaders): Parsed {
  if (auth.startsWith('AWS ')) throw s3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  if (!auth.startsWith(`${ALGORITHM} `)) throw s3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: auth.split(' ')[0] });
  const fields: Record<string, string> = {};
  for (const part of auth.slice(ALGORITHM.length + 1).split(',')) {
    const p = part.trim();
    const eq = p.indexOf('=');
    if (eq > 0) fields[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const { Credential: credential, SignedHeaders: sh, Signature: signature } = fields;
  if (!credential || !sh || !signature) {
    const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !fields[k]).join(', ');
    throw s3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; the authorization component(s) ${missing} are missing.`);
  }
  const amzDate = header(h, 'x-amz-date') ?? dateHeaderAsAmz(header(h, 'date'));
  if (!amzDate) throw s3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const p: Parsed = { method: 'header', credential, signedHeaders: sh.split(';'), signature, amzDate };
  const token = header(h, 'x-amz-security-token');
  if (token) p.sessionToken = token;
  return p;
}

function dateHeaderAsAmz(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parsePresigned(q: URLSearchParams): Parsed {
  const algorithm = q.get('X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) {
    throw s3Error('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const credential = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  const expires = q.get('X-Amz-Expires');
  const sh = q.get('X-Amz-SignedHeaders');
  const signature = q.get('X-Amz-Signature');
  if (!credential || !amzDate || !expires || !sh || !signature) {
    throw s3Error('AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (!/^\d+$/.test(expires)) throw s3Error('AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
  const n = Number(expires);
  if (n < 1) throw s3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative');
  if (n > MAX_PRESIGN_SECONDS) throw s3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
  const p: Parsed = { method: 'presigned', credential, signedHeaders: sh.split(';'), signature, amzDate, expires: n };
  const token = q.get('X-Amz-Security-Token');
  if (token) p.sessionToken = token;
  return p;
}

function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function payloadMode(value: string | undefined, presigned: boolean, s3: boolean): PayloadMode {
  if (value === undefined) {
    if (presigned || !s3) return { kind: 'unsigned' };
    throw s3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  switch (value) {
    case 'UNSIGNED-PAYLOAD': return { kind: 'unsigned' };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': return { kind: 'streaming-signed', trailer: false };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': return { kind: 'streaming-signed', trailer: true };
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER': return { kind: 'streaming-unsigned-trailer' };
  }
  if (/^[0-9a-f]{64}$/.test(value)) return { kind: 'sha256', expected: value };
  throw s3Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value });
}

/** The canonical header lines, from raw headers so repeated headers keep their order. */
function headerLines(req: SignedRequestParts, names: string[]): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (!values.has(name)) values.set(name, []);
    values.get(name)!.push(req.rawHeaders[i + 1]!);
  }
  return names.map((n) => `${n}:${canonicalHeaderValue(values.get(n) ?? [])}\n`).join('');
}

/**
 * Verifies a SigV4 request (header or presigned) against the secret of its access key, in
 * the region and service of the request's own credential scope. Throws S3's errors.
 */
/**
 * `opts.bodySha256`: services other than S3 sign the hash of the whole (small) body, which
 * the caller reads first; S3 signs whatever x-amz-content-sha256 says.
 */
export async function authenticateRequest(req: SignedRequestParts, lookup: SecretLookup, now: Date, opts: { s3: boolean; bodySha256?: string }): Promise<AuthResult> {
  const query = new URLSearchParams(req.rawQuery);
  const auth = header(req.headers, 'authorization');
  let parsed: Parsed;
  if (auth !== undefined) parsed = parseAuthorizationHeader(auth, req.headers);
  else if (query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) parsed = parsePresigned(query);
  else if (query.has('AWSAccessKeyId') && query.has('Signature')) throw s3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  else return { kind: 'anonymous' };

  const parts = parsed.credential.split('/');
  if (parts.length < 5 || parts[parts.length - 1] !== 'aws4_request') {
    const code = parsed.method === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError';
    throw s3Error(code, `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  // Access key ids never contain '/', but tolerate them by taking the scope from the end.
  const [date, region, service] = parts.slice(-4, -1) as [string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  const requestTime = parseAmzDate(parsed.amzDate);
  if (!requestTime) {
    if (parsed.method === 'presigned') throw s3Error('AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
    throw s3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  }
  if (parsed.amzDate.slice(0, 8) !== date) {
    throw s3Error(parsed.method === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError', `The authorization header is malformed; Invalid credential date "${date}". This date is not the same as X-Amz-Date: "${parsed.amzDate.slice(0, 8)}".`);
  }
  const secret = await lookup(accessKeyId);
  if (!secret) throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: accessKeyId });
  if (parsed.method === 'presigned') {
    const expiresAt = requestTime.getTime() + parsed.expires! * 1000;
    if (now.getTime() > expiresAt) {
      throw s3Error('AccessDenied', 'Request has expired', { 'X-Amz-Expires': parsed.expires, Expires: new Date(expiresAt).toISOString(), ServerTime: now.toISOString() });
    }
    if (requestTime.getTime() - now.getTime() > MAX_SKEW_MS) throw s3Error('AccessDenied', 'Request is not valid yet');
  } else if (Math.abs(now.getTime() - requestTime.getTime()) > MAX_SKEW_MS) {
    throw s3Error('RequestTimeTooSkewed', undefined, { RequestTime: parsed.amzDate, ServerTime: now.toISOString(), MaxAllowedSkewMilliseconds: MAX_SKEW_MS });
  }
  if (!parsed.signedHeaders.includes('host')) {
    throw s3Error(parsed.method === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError', 'The authorization header is malformed; SignedHeaders must include host.');
  }
  const payload = payloadMode(header(req.headers, 'x-amz-content-sha256'), parsed.method === 'presigned', opts.s3);
  const payloadHash = header(req.headers, 'x-amz-content-sha256') ?? (opts.s3 ? 'UNSIGNED-PAYLOAD' : opts.bodySha256);
  const scopeString = `${date}/${region}/${service}/aws4_request`;
  const canonical = canonicalRequest(
    req.method,
    canonicalUri(req.rawPath, service === 's3'),
    canonicalQuery(req.rawQuery, parsed.method === 'presigned' ? 'X-Amz-Signature' : undefined),
    headerLines(req, parsed.signedHeaders),
    parsed.signedHeaders.join(';'),
    payloadHash ?? '',
  );
  const toSign = stringToSign(parsed.amzDate, scopeString, canonical);
  const key = signingKey(secret.secretAccessKey, date, region, service);
  if (!signaturesEqual(sign(key, toSign), parsed.signature)) {
    throw s3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: accessKeyId,
      StringToSign: toSign,
      SignatureProvided: parsed.signature,
      StringToSignBytes: Buffer.from(toSign).toString('hex').replace(/(..)(?!$)/g, '$1 '),
      CanonicalRequest: canonical,
      CanonicalRequestBytes: Buffer.from(canonical).toString('hex').replace(/(..)(?!$)/g, '$1 '),
    });
  }
  const result: AuthResult = {
    kind: 'sigv4',
    method: parsed.method,
    accessKeyId,
    scope: { date, region, service },
    scopeString,
    amzDate: parsed.amzDate,
    requestTime,
    signedHeaders: parsed.signedHeaders,
    signature: parsed.signature,
    signingKey: key,
    payload,
  };
  if (parsed.sessionToken) result.sessionToken = parsed.sessionToken;
  return result;
}
