/**
 * What the `x-amz-content-sha256` value (or its absence) says about the body: how it is
 * framed and what must be checked while it streams in.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { s3Error } from '../errors/s3.js';

export type PayloadMode =
  /** UNSIGNED-PAYLOAD: the body is not covered by the signature. */
  | { readonly kind: 'unsigned' }
  /** A hex SHA-256 the received bytes must match. */
  | { readonly kind: 'sha256'; readonly expected: string }
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: aws-chunked, every chunk signed. */
  | { readonly kind: 'streaming-signed'; readonly trailer: boolean; readonly decodedLength?: number }
  /** STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, unsigned chunks, a trailing checksum. */
  | { readonly kind: 'streaming-unsigned-trailer'; readonly decodedLength?: number };

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** First value of a header, whether given as string or string[] (headersDistinct). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decodedLength(headers: IncomingHttpHeaders): { decodedLength?: number } {
  const value = headerValue(headers, 'x-amz-decoded-content-length');
  if (value === undefined) return {};
  if (!/^\d{1,16}$/.test(value.trim())) {
    throw s3Error('InvalidArgument', 'x-amz-decoded-content-length must be a non-negative integer', {
      ArgumentName: 'x-amz-decoded-content-length',
      ArgumentValue: value,
    });
  }
  return { decodedLength: Number(value.trim()) };
}

/** The mode named by an `x-amz-content-sha256` value; S3's InvalidArgument otherwise. */
export function payloadModeOf(contentSha256: string, headers: IncomingHttpHeaders): PayloadMode {
  switch (contentSha256) {
    case UNSIGNED_PAYLOAD:
      return { kind: 'unsigned' };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      return { kind: 'streaming-signed', trailer: false, ...decodedLength(headers) };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER':
      return { kind: 'streaming-signed', trailer: true, ...decodedLength(headers) };
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      return { kind: 'streaming-unsigned-trailer', ...decodedLength(headers) };
  }
  if (/^[0-9a-fA-F]{64}$/.test(contentSha256)) return { kind: 'sha256', expected: contentSha256.toLowerCase() };
  throw s3Error('InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    { ArgumentName: 'x-amz-content-sha256', ArgumentValue: contentSha256 });
}

/**
 * The body's mode for an anonymous request: SDKs with no credentials still send
 * aws-chunked bodies with trailing checksums, and a sent hash is still worth checking.
 * A signed-chunk mode cannot be honoured without a signature.
 */
export function anonymousPayloadMode(headers: IncomingHttpHeaders): PayloadMode {
  const value = headerValue(headers, 'x-amz-content-sha256');
  if (value === undefined) return { kind: 'unsigned' };
  const mode = payloadModeOf(value.trim(), headers);
  if (mode.kind === 'streaming-signed') {
    throw s3Error('InvalidRequest', `${value.trim()} requires a signed request (an Authorization header).`);
  }
  return mode;
}
