/**
 * `authenticate`: decides whether a request is anonymous or carries a valid SigV4
 * signature (Authorization header or presigned query), with S3's error for each failure,
 * in S3's order: malformed input, then the access key lookup, then time, then signature.
 * Pure apart from the injected secret lookup; reads no clock (`now` is a parameter).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { s3Error } from '../errors/s3.js';
import { parseAuthorizationHeader, parsePresignedQuery, queryParameters, type HeaderAuthorization } from './authorization.js';
import { UNSIGNED_PAYLOAD, headerValue, payloadModeOf, type PayloadMode } from './payload-mode.js';
import {
  EMPTY_SHA256, canonicalHeaders, canonicalQueryString, canonicalRequest, canonicalUri, formatAmzDate, hexBytes, hmacHex,
  parseAmzDate, signaturesEqual, signingKey, stringToSign, type CredentialScope,
} from './sigv4.js';

export type { PayloadMode } from './payload-mode.js';
export type { CredentialScope } from './sigv4.js';

export interface AuthRequest {
  readonly method: string;
  /** Path exactly as received, still percent-encoded. */
  readonly rawPath: string;
  /** Everything after `?`, or ''. */
  readonly rawQuery: string;
  /** Lower-case names. `req.headersDistinct` is also accepted and keeps repeated headers exact. */
  readonly headers: IncomingHttpHeaders;
  /**
   * Hex SHA-256 of the body, for services other than S3, whose clients sign the body hash
   * without sending x-amz-content-sha256 (the caller holds those small bodies in memory).
   * Without it, such a request is verified as having an empty body.
   */
  readonly payloadSha256?: string;
}

export type SecretLookup = (accessKeyId: string) =>
  | Promise<{ secretAccessKey: string } | undefined>
  | { secretAccessKey: string }
  | undefined;

export interface AnonymousAuth {
  readonly kind: 'anonymous';
}

export interface SigV4Auth {
  readonly kind: 'sigv4';
  readonly method: 'header' | 'presigned';
  readonly accessKeyId: string;
  readonly sessionToken?: string;
  readonly credentialScope: CredentialScope;
  readonly signedHeaders: string[];
  readonly requestTime: Date;
  /** Presigned URLs: the instant the URL stops being valid. */
  readonly expiresAt?: Date;
  /** The request signature (the seed of an aws-chunked signature chain). */
  readonly signature: string;
  /** Derived key for the request's scope, needed to verify chunk signatures. */
  readonly signingKey: Buffer;
  readonly payload: PayloadMode;
}

export type AuthResult = AnonymousAuth | SigV4Auth;

export interface AuthOptions {
  /** Allowed clock difference; S3's is 15 minutes. */
  readonly maxSkewMs?: number;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const PRESIGN_EXEMPT: ReadonlySet<string> = new Set(['x-amz-content-sha256', 'x-amz-date']);
const NOTHING_EXEMPT: ReadonlySet<string> = new Set();

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** S3 path rules for S3 (and S3 Control); the double-encoding rules for every other service. */
const isS3Scope = (scope: CredentialScope) => scope.service === 's3' || scope.service === 's3-object-lambda';

export async function authenticate(req: AuthRequest, lookupSecret: SecretLookup, now: Date, options: AuthOptions = {}): Promise<AuthResult> {
  const authorization = headerValue(req.headers, 'authorization');
  const query = queryParameters(req.rawQuery);
  const presigned = query.has('X-Amz-Algorithm');
  if (authorization !== undefined && (presigned || query.has('Signature'))) {
    throw s3Error('InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      { ArgumentName: 'Authorization', ArgumentValue: authorization });
  }
  if (authorization !== undefined) return verifyHeader(req, authorization, lookupSecret, now, options);
  if (presigned) return verifyPresigned(req, query, lookupSecret, now, options);
  if (query.has('AWSAccessKeyId') && query.has('Signature')) {
    throw s3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  }
  return { kind: 'anonymous' };
}

/** Every header a request carries must be signed if it is host or x-amz-*. */
function checkSignedHeaders(headers: IncomingHttpHeaders, signed: readonly string[], exempt: ReadonlySet<string>): void {
  const set = new Set(signed);
  const missing = ['host', ...Object.keys(headers).filter((h) => h.startsWith('x-amz-') && !exempt.has(h))]
    .filter((h) => !set.has(h));
  if (missing.length > 0) {
    throw s3Error('AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: missing.join(', ') });
  }
}

async function secretFor(lookupSecret: SecretLookup, accessKeyId: string): Promise<string> {
  const found = await lookupSecret(accessKeyId);
  if (!found) throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: accessKeyId });
  return found.secretAccessKey;
}

async function verifyHeader(req: AuthRequest, authorization: string, lookupSecret: SecretLookup, now: Date, options: AuthOptions): Promise<SigV4Auth> {
  const auth = parseAuthorizationHeader(authorization);
  const { scope } = auth.credential;
  const amzDateHeader = headerValue(req.headers, 'x-amz-date');
  const dateHeader = amzDateHeader ?? headerValue(req.headers, 'date');
  const requestTime = amzDateHeader !== undefined ? parseAmzDate(amzDateHeader) : dateHeader !== undefined ? rfc1123(dateHeader) : undefined;
  if (!requestTime) throw s3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  const amzDate = formatAmzDate(requestTime);
  if (scope.date !== amzDate.slice(0, 8)) {
    throw s3Error('AuthorizationHeaderMalformed',
      `The authorization header is malformed; Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  }
  checkSignedHeaders(req.headers, auth.signedHeaders, NOTHING_EXEMPT);
  const contentSha256 = headerValue(req.headers, 'x-amz-content-sha256')?.trim();
  if (contentSha256 === undefined && isS3Scope(scope)) {
    throw s3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  const payloadHash = contentSha256 ?? req.payloadSha256 ?? EMPTY_SHA256;
  const payload = payloadModeOf(payloadHash, req.headers);

  const secret = await secretFor(lookupSecret, auth.credential.accessKeyId);
  checkSkew(requestTime, dateHeader!, now, options);
  const key = signingKey(secret, scope);
  verifySignature(req, auth, amzDate, payloadHash, key, undefined);
  const sessionToken = headerValue(req.headers, 'x-amz-security-token');
  return {
    kind: 'sigv4', method: 'header', accessKeyId: auth.credential.accessKeyId,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    credentialScope: scope, signedHeaders: auth.signedHeaders, requestTime, signature: auth.signature, signingKey: key, payload,
  };
}

async function verifyPresigned(req: AuthRequest, query: Map<string, string>, lookupSecret: SecretLookup, now: Date, options: AuthOptions): Promise<SigV4Auth> {
  const auth = parsePresignedQuery(query);
  const { scope } = auth.credential;
  // Signers move x-amz-* values into the query; clients following the URL may still send
  // these two, which the query already covers.
  checkSignedHeaders(req.headers, auth.signedHeaders, PRESIGN_EXEMPT);
  const sentHash = auth.contentSha256 ?? headerValue(req.headers, 'x-amz-content-sha256')?.trim();
  const payloadHash = sentHash ?? (isS3Scope(scope) ? UNSIGNED_PAYLOAD : req.payloadSha256 ?? EMPTY_SHA256);
  payloadModeOf(payloadHash, req.headers); // validates the value before the key lookup
  // S3 presigned URLs are signed over UNSIGNED-PAYLOAD, but a generic signer given no body
  // signs the empty-body hash; accept that too, and then hold the body to it.
  const altHash = sentHash === undefined && isS3Scope(scope) ? EMPTY_SHA256 : undefined;

  const secret = await secretFor(lookupSecret, auth.credential.accessKeyId);
  const maxSkew = options.maxSkewMs ?? MAX_SKEW_MS;
  const expiresAt = new Date(auth.requestTime.getTime() + auth.expires * 1000);
  if (auth.requestTime.getTime() - now.getTime() > maxSkew) throw s3Error('AccessDenied', 'Request is not valid yet');
  if (now.getTime() > expiresAt.getTime()) {
    throw s3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': auth.expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now),
    });
  }
  const key = signingKey(secret, scope);
  const signedHash = verifySignature(req, auth, auth.amzDate, payloadHash, key, 'X-Amz-Signature', altHash);
  const payload = payloadModeOf(signedHash, req.headers);
  const sessionToken = auth.sessionToken ?? headerValue(req.headers, 'x-amz-security-token');
  return {
    kind: 'sigv4', method: 'presigned', accessKeyId: auth.credential.accessKeyId,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    credentialScope: scope, signedHeaders: auth.signedHeaders, requestTime: auth.requestTime, expiresAt,
    signature: auth.signature, signingKey: key, payload,
  };
}

function rfc1123(value: string): Date | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function checkSkew(requestTime: Date, sentValue: string, now: Date, options: AuthOptions): void {
  const maxSkew = options.maxSkewMs ?? MAX_SKEW_MS;
  if (Math.abs(now.getTime() - requestTime.getTime()) > maxSkew) {
    throw s3Error('RequestTimeTooSkewed', undefined, {
      RequestTime: sentValue, ServerTime: isoSeconds(now), MaxAllowedSkewMilliseconds: maxSkew,
    });
  }
}

/**
 * Checks the signature; returns the payload hash it was computed with. `altPayloadHash` is a
 * second hash the client may have signed instead (see verifyPresigned).
 */
function verifySignature(
  req: AuthRequest, auth: HeaderAuthorization, amzDate: string, payloadHash: string, key: Buffer, excludeParam: string | undefined,
  altPayloadHash?: string,
): string {
  const { scope } = auth.credential;
  const s3 = isS3Scope(scope);
  const parts = {
    method: req.method.toUpperCase(),
    canonicalUri: canonicalUri(req.rawPath, { doubleEncode: !s3 }),
    canonicalQuery: canonicalQueryString(req.rawQuery, excludeParam),
    canonicalHeaders: canonicalHeaders(req.headers, auth.signedHeaders),
    signedHeaders: auth.signedHeaders,
    payloadHash,
  };
  const uris = [parts.canonicalUri];
  // S3: a client that left a character unencoded (`$`, `@`, …) signed the path as it sent
  // it; the signature still covers exactly the bytes received, so accept that form too.
  const asSent = req.rawPath.startsWith('/') ? req.rawPath : '/' + req.rawPath;
  if (s3 && asSent !== parts.canonicalUri) uris.push(asSent);
  const hashes = altPayloadHash !== undefined ? [payloadHash, altPayloadHash] : [payloadHash];
  const canonical = canonicalRequest(parts);
  const sts = stringToSign(amzDate, scope, canonical);
  if (signaturesEqual(hmacHex(key, sts), auth.signature)) return payloadHash;
  for (const hash of hashes) {
    for (const uri of uris) {
      if (hash === payloadHash && uri === parts.canonicalUri) continue;
      const alt = stringToSign(amzDate, scope, canonicalRequest({ ...parts, canonicalUri: uri, payloadHash: hash }));
      if (signaturesEqual(hmacHex(key, alt), auth.signature)) return hash;
    }
  }
  throw s3Error('SignatureDoesNotMatch', undefined, {
    AWSAccessKeyId: auth.credential.accessKeyId,
    StringToSign: sts,
    SignatureProvided: auth.signature,
    StringToSignBytes: hexBytes(sts),
    CanonicalRequest: canonical,
    CanonicalRequestBytes: hexBytes(canonical),
  });
}
