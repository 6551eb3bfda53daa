/**
 * SigV4 building blocks, server side: canonical request parts from a request as received,
 * string to sign, signing key (cached), signatures, and the aws-chunked chunk and trailer
 * strings to sign. Pure functions, no I/O.
 *
 * Reference: "Create a signed AWS API request" (IAM user guide) and, for S3's differences,
 * "Authenticating Requests (AWS Signature Version 4)" in the S3 API reference.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface CredentialScope {
  /** YYYYMMDD */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

// ---------------------------------------------------------------- encoding

// RFC 3986 unreserved characters stay; every other byte becomes %XX (upper-case hex).
const ENCODED: string[] = Array.from({ length: 256 }, (_, b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
});

function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const b of bytes) out += keepSlash && b === 0x2f ? '/' : ENCODED[b]!;
  return out;
}

/** AWS's UriEncode of a string's UTF-8 bytes; `/` kept when `keepSlash` (paths). */
export function uriEncode(value: string, keepSlash = false): string {
  return encodeBytes(Buffer.from(value, 'utf8'), keepSlash);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Percent-decodes to bytes. Tolerant on purpose: a `%` not followed by two hex digits is
 * kept as a literal byte (it then re-encodes as %25), and `+` may be taken as a space
 * (query strings, as curl and MinIO do).
 */
export function percentDecode(value: string, plusAsSpace: boolean): Buffer {
  if (!/[%+\u0080-\uffff]/.test(value)) return Buffer.from(value, 'latin1');
  const utf8 = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(utf8.length);
  let n = 0;
  for (let i = 0; i < utf8.length; i++) {
    const c = utf8[i]!;
    if (c === 0x25 && i + 2 < utf8.length) {
      const hi = hexValue(utf8[i + 1]!);
      const lo = hexValue(utf8[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = c === 0x2b && plusAsSpace ? 0x20 : c;
  }
  return out.subarray(0, n);
}

// ---------------------------------------------------------------- canonical request

export interface CanonicalUriOptions {
  /**
   * S3 (false): the path is used as sent, only brought to AWS's exact encoding (decode,
   * then encode each byte once), with no `.`/`..`/`//` normalisation, because S3 keys may
   * contain them. Other services (true): segments are normalised and the path, already
   * URI-encoded on the wire, is encoded a second time, as the SDKs do when they sign.
   */
  readonly doubleEncode: boolean;
}

export function canonicalUri(rawPath: string, options: CanonicalUriOptions): string {
  if (!options.doubleEncode) {
    const path = encodeBytes(percentDecode(rawPath, false), true);
    return path.startsWith('/') ? path : '/' + path;
  }
  // Same normalisation as the SDKs' signers (smithy signature-v4 getCanonicalPath).
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return uriEncode('/' + segments.join('/') + trailing, true);
}

/**
 * Canonical query string from the raw query (after `?`): each name and value decoded and
 * re-encoded the AWS way, sorted by name then value (byte order). `exclude` drops a
 * parameter by exact name (X-Amz-Signature for presigned URLs).
 */
export function canonicalQueryString(rawQuery: string, exclude?: string): string {
  if (rawQuery === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = encodeBytes(percentDecode(rawName, true), false);
    if (exclude !== undefined && name === exclude) continue;
    const value = eq < 0 ? '' : encodeBytes(percentDecode(part.slice(eq + 1), true), false);
    pairs.push([name, value]);
  }
  // Encoded strings are ASCII, so code-unit order is byte order.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/**
 * The value of one header in canonical form. Several values (Node gives string[] for
 * `headersDistinct` and for set-cookie) are joined with `,`; each is trimmed and its runs
 * of whitespace collapsed to one space, as the SDK signers do. A signed header that is
 * absent canonicalises to the empty string (the signature will not match).
 */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

/** `name:value\n` for each signed header, in the order the client listed them. */
export function canonicalHeaders(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) out += `${name}:${canonicalHeaderValue(headers[name])}\n`;
  return out;
}

export interface CanonicalRequestParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  readonly canonicalHeaders: string;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  return [p.method, p.canonicalUri, p.canonicalQuery, p.canonicalHeaders, p.signedHeaders.join(';'), p.payloadHash].join('\n');
}

// ---------------------------------------------------------------- string to sign, keys

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: CredentialScope, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scopeString(scope)}\n${sha256Hex(canonical)}`;
}

/** String to sign of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD). */
export function chunkStringToSign(amzDate: string, scope: CredentialScope, previousSignature: string, chunkSha256: string): string {
  return `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scopeString(scope)}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256}`;
}

/** String to sign of the trailing headers (…-PAYLOAD-TRAILER); the hash is of `name:value\n`… */
export function trailerStringToSign(amzDate: string, scope: CredentialScope, previousSignature: string, trailerSha256: string): string {
  return `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scopeString(scope)}\n${previousSignature}\n${trailerSha256}`;
}

// Deriving a key costs four HMACs; a client reuses one key for a whole day, so a small LRU
// keyed by secret, date, region and service removes that cost from nearly every request.
const KEY_CACHE_LIMIT = 256;
const keyCache = new Map<string, Buffer>();

export function signingKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  // JSON keeps the parts apart whatever characters a (decoded) scope contains.
  const cacheKey = JSON.stringify([scope.date, scope.region, scope.service, secretAccessKey]);
  const cached = keyCache.get(cacheKey);
  if (cached) {
    keyCache.delete(cacheKey);
    keyCache.set(cacheKey, cached);
    return cached;
  }
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(scope.date).digest();
  const kRegion = createHmac('sha256', kDate).update(scope.region).digest();
  const kService = createHmac('sha256', kRegion).update(scope.service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  keyCache.set(cacheKey, key);
  if (keyCache.size > KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  return key;
}

export function hmacHex(key: Uint8Array, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** Constant-time comparison of a computed hex signature with the one provided. */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(provided, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** S3's `StringToSignBytes` / `CanonicalRequestBytes` form: hex bytes separated by spaces. */
export function hexBytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}

// ---------------------------------------------------------------- dates

/** `YYYYMMDDTHHMMSSZ` (ISO 8601 basic), the X-Amz-Date form. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject rolled-over values such as month 13 or 25:00.
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi
    ? date : undefined;
}
