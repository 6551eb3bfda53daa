/**
 * A SigV4 signer on the client side, built from the same canonical pieces: for tests that
 * need signed requests (wrong secret, odd regions, signed aws-chunked bodies with chosen
 * chunk sizes and trailers) and for end-to-end tooling. Not used by the server path.
 */
import { createHash } from 'node:crypto';
import {
  canonicalHeaders, canonicalQueryString, canonicalRequest, canonicalUri, chunkStringToSign, formatAmzDate, hmacHex,
  sha256Hex, signingKey, stringToSign, trailerStringToSign, uriEncode, type CredentialScope,
} from './sigv4.js';

export interface ClientCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface ClientRequest {
  readonly method: string;
  /** Already percent-encoded, as it will be sent. */
  readonly rawPath: string;
  readonly rawQuery?: string;
  /** Lower-case names; host must be present. */
  readonly headers: Record<string, string>;
}

export interface SigningContext {
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: CredentialScope;
  readonly seedSignature: string;
}

function scopeAt(now: Date, region: string, service: string): CredentialScope {
  return { date: formatAmzDate(now).slice(0, 8), region, service };
}

/** Adds x-amz-date, x-amz-content-sha256 (S3), the token and Authorization; signs every header given. */
export function signWithHeader(
  req: ClientRequest, creds: ClientCredentials, region: string, service: string, now: Date, payloadHash: string,
): { headers: Record<string, string>; context: SigningContext } {
  const amzDate = formatAmzDate(now);
  const headers: Record<string, string> = { ...req.headers, 'x-amz-date': amzDate };
  if (service === 's3') headers['x-amz-content-sha256'] = payloadHash;
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const signed = Object.keys(headers).filter((h) => h !== 'authorization').sort();
  const scope = scopeAt(now, region, service);
  const canonical = canonicalRequest({
    method: req.method, canonicalUri: canonicalUri(req.rawPath, { doubleEncode: service !== 's3' }),
    canonicalQuery: canonicalQueryString(req.rawQuery ?? ''), canonicalHeaders: canonicalHeaders(headers, signed),
    signedHeaders: signed, payloadHash,
  });
  const key = signingKey(creds.secretAccessKey, scope);
  const signature = hmacHex(key, stringToSign(amzDate, scope, canonical));
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return { headers, context: { signingKey: key, amzDate, scope, seedSignature: signature } };
}

/** The raw query of a presigned URL (signing only host), with the caller's own query first. */
export function presignQuery(
  req: ClientRequest, creds: ClientCredentials, region: string, service: string, now: Date, expiresSeconds: number,
): string {
  const amzDate = formatAmzDate(now);
  const scope = scopeAt(now, region, service);
  const params = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${creds.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/aws4_request`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
    ...(creds.sessionToken ? [['X-Amz-Security-Token', creds.sessionToken]] : []),
  ].map(([k, v]) => `${k}=${uriEncode(v!)}`).join('&');
  const rawQuery = req.rawQuery ? `${req.rawQuery}&${params}` : params;
  const canonical = canonicalRequest({
    method: req.method, canonicalUri: canonicalUri(req.rawPath, { doubleEncode: service !== 's3' }),
    canonicalQuery: canonicalQueryString(rawQuery), canonicalHeaders: canonicalHeaders({ host: req.headers.host }, ['host']),
    signedHeaders: ['host'], payloadHash: service === 's3' ? 'UNSIGNED-PAYLOAD' : sha256Hex(''),
  });
  const signature = hmacHex(signingKey(creds.secretAccessKey, scope), stringToSign(amzDate, scope, canonical));
  return `${rawQuery}&X-Amz-Signature=${signature}`;
}

export interface ChunkedOptions {
  /** Signs each chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD…) when given; unsigned chunks otherwise. */
  readonly signing?: SigningContext;
  /** Trailing headers after the final chunk, e.g. [['x-amz-checksum-crc32', '…']]. */
  readonly trailers?: ReadonlyArray<readonly [string, string]>;
}

/** An aws-chunked body for the given data chunks, as the pieces a client would write. */
export function encodeAwsChunked(chunks: readonly Buffer[], options: ChunkedOptions = {}): Buffer[] {
  const out: Buffer[] = [];
  let previous = options.signing?.seedSignature ?? '';
  const sign = (data: Buffer): string => {
    const s = options.signing!;
    previous = hmacHex(s.signingKey, chunkStringToSign(s.amzDate, s.scope, previous, createHash('sha256').update(data).digest('hex')));
    return previous;
  };
  for (const data of [...chunks.filter((c) => c.length > 0), Buffer.alloc(0)]) {
    const ext = options.signing ? `;chunk-signature=${sign(data)}` : '';
    out.push(Buffer.from(`${data.length.toString(16)}${ext}\r\n`));
    if (data.length > 0) out.push(data, Buffer.from('\r\n'));
  }
  if (options.trailers) {
    const lines = options.trailers.map(([n, v]) => `${n}:${v}`);
    out.push(Buffer.from(lines.map((l) => l + '\r\n').join('')));
    if (options.signing) {
      const s = options.signing;
      const hash = sha256Hex(lines.map((l) => l + '\n').join(''));
      out.push(Buffer.from(`x-amz-trailer-signature:${hmacHex(s.signingKey, trailerStringToSign(s.amzDate, s.scope, previous, hash))}\r\n`));
    }
  }
  out.push(Buffer.from('\r\n'));
  return out;
}
