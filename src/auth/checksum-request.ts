/**
 * Which digests a request body must be checked against and which to compute, from its
 * headers: Content-MD5, one `x-amz-checksum-<alg>` header or one announced trailer
 * (`x-amz-trailer`), and `x-amz-sdk-checksum-algorithm` / `x-amz-checksum-algorithm`.
 * Every header problem is reported up front, with S3's codes and messages.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  CHECKSUM_ALGORITHMS, algorithmFromHeaderName, checksumHeaderName, decodeChecksum, parseChecksumAlgorithm, type ChecksumAlgorithm,
} from '../checksum/checksum.js';
import { s3Error } from '../errors/s3.js';
import { headerValue, type PayloadMode } from './payload-mode.js';

export interface ChecksumPlan {
  /** Base64 MD5 the body must match (Content-MD5). */
  readonly contentMd5?: string;
  /** The client's checksum, sent as a header, or announced for the trailer (value unknown yet). */
  readonly client?: { readonly algorithm: ChecksumAlgorithm; readonly source: 'header' | 'trailer'; readonly value?: string };
  /** Every algorithm to compute while the body streams. */
  readonly compute: readonly ChecksumAlgorithm[];
}

export interface ChecksumPlanOptions {
  /** Computed when the client names no checksum; S3 computes CRC64NVME for every new object. */
  readonly defaultAlgorithm?: ChecksumAlgorithm | null;
  /** Computed in any case (for example the bucket's or the upload's algorithm). */
  readonly alsoCompute?: readonly ChecksumAlgorithm[];
}

// Headers under x-amz-checksum- that are not checksum values.
const NOT_VALUES = new Set(['x-amz-checksum-algorithm', 'x-amz-checksum-type', 'x-amz-checksum-mode']);
const invalid = (message: string) => s3Error('InvalidRequest', message);

function checkContentMd5(headers: IncomingHttpHeaders): string | undefined {
  const md5 = headerValue(headers, 'content-md5');
  if (md5 === undefined) return undefined;
  const bytes = /^[A-Za-z0-9+/]{22}==$/.test(md5.trim()) ? Buffer.from(md5.trim(), 'base64') : undefined;
  if (!bytes || bytes.length !== 16) throw s3Error('InvalidDigest', undefined, { 'Content-MD5': md5 });
  return md5.trim();
}

function algorithmHeader(headers: IncomingHttpHeaders, name: string): ChecksumAlgorithm | undefined {
  const value = headerValue(headers, name);
  if (value === undefined) return undefined;
  const algorithm = parseChecksumAlgorithm(value);
  if (!algorithm) {
    throw invalid(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${CHECKSUM_ALGORITHMS.join(', ')}]`);
  }
  return algorithm;
}

export function checksumPlan(headers: IncomingHttpHeaders, mode: PayloadMode, options: ChecksumPlanOptions = {}): ChecksumPlan {
  const contentMd5 = checkContentMd5(headers);
  const valueHeaders = Object.keys(headers).filter((h) => h.startsWith('x-amz-checksum-') && !NOT_VALUES.has(h));
  if (valueHeaders.length > 1) throw invalid('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const trailerName = headerValue(headers, 'x-amz-trailer')?.trim().toLowerCase();
  const trailerMode = mode.kind === 'streaming-unsigned-trailer' || (mode.kind === 'streaming-signed' && mode.trailer);

  let client: ChecksumPlan['client'];
  if (trailerName !== undefined) {
    if (valueHeaders.length > 0) throw invalid('Expecting a single x-amz-checksum- header');
    const algorithm = algorithmFromHeaderName(trailerName);
    if (!algorithm || trailerName.includes(',')) throw invalid('The value specified in the x-amz-trailer header is not supported');
    // A trailer announced on a body that cannot carry one.
    if (!trailerMode) throw s3Error('MalformedTrailerError');
    client = { algorithm, source: 'trailer' };
  } else if (valueHeaders.length === 1) {
    const name = valueHeaders[0]!;
    const algorithm = algorithmFromHeaderName(name);
    if (!algorithm) throw invalid('The algorithm type you specified in x-amz-checksum- header is invalid.');
    const value = headerValue(headers, name)!;
    if (!decodeChecksum(algorithm, value)) throw invalid(`Value for ${checksumHeaderName(algorithm)} header is invalid.`);
    client = { algorithm, source: 'header', value: value.trim() };
  }

  const sdkAlgorithm = headerValue(headers, 'x-amz-sdk-checksum-algorithm');
  if (sdkAlgorithm !== undefined) {
    if (!client) throw invalid('x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.');
    // S3 answers a mismatch as if the algorithm were unknown.
    if (parseChecksumAlgorithm(sdkAlgorithm) !== client.algorithm) throw invalid('Value for x-amz-sdk-checksum-algorithm header is invalid.');
  }
  // x-amz-checksum-algorithm alone asks S3 to compute that algorithm.
  const requested = algorithmHeader(headers, 'x-amz-checksum-algorithm');

  const compute = new Set<ChecksumAlgorithm>(options.alsoCompute ?? []);
  if (client) compute.add(client.algorithm);
  if (requested) compute.add(requested);
  const fallback = options.defaultAlgorithm === undefined ? 'CRC64NVME' : options.defaultAlgorithm;
  if (!client && !requested && fallback) compute.add(fallback);
  return {
    ...(contentMd5 !== undefined ? { contentMd5 } : {}),
    ...(client ? { client } : {}),
    compute: [...compute],
  };
}
