/**
 * S3 flexible checksums: one streaming interface over CRC32, CRC32C, CRC64NVME, SHA1 and
 * SHA256, the base64 form S3 uses in `x-amz-checksum-*` headers, and the two multipart
 * forms (COMPOSITE "checksum of checksums" `<base64>-N`, FULL_OBJECT CRC combination).
 * Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { combineCrcDigests, type CrcAlgorithm } from './crc-combine.js';
import { Crc32, Crc32c } from './crc32.js';
import { Crc64Nvme } from './crc64nvme.js';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export type { CrcAlgorithm } from './crc-combine.js';

/** In the order S3 lists them in its error messages. */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** How a multipart object's checksum is formed (S3's `x-amz-checksum-type`). */
export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

export interface Checksum {
  update(data: Uint8Array): Checksum;
  /** The raw digest (big-endian for the CRCs). Call once. */
  digest(): Buffer;
}

const DIGEST_LENGTH: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

function nodeHash(name: 'sha1' | 'sha256' | 'md5'): Checksum {
  const hash = createHash(name);
  const checksum: Checksum = {
    update(data) {
      hash.update(data);
      return checksum;
    },
    digest: () => hash.digest(),
  };
  return checksum;
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'CRC32': return new Crc32();
    case 'CRC32C': return new Crc32c();
    case 'CRC64NVME': return new Crc64Nvme();
    case 'SHA1': return nodeHash('sha1');
    case 'SHA256': return nodeHash('sha256');
  }
}

/** MD5, for ETags and Content-MD5 (not a flexible checksum, same interface). */
export function createMd5(): Checksum {
  return nodeHash('md5');
}

/** Digest of data held in memory (one buffer or several, in order). */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Uint8Array | readonly Uint8Array[]): Buffer {
  const checksum = createChecksum(algorithm);
  for (const piece of data instanceof Uint8Array ? [data] : data) checksum.update(piece);
  return checksum.digest();
}

export function digestLength(algorithm: ChecksumAlgorithm): number {
  return DIGEST_LENGTH[algorithm];
}

export function isCrcAlgorithm(algorithm: ChecksumAlgorithm): algorithm is CrcAlgorithm {
  return algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';
}

/** S3 accepts algorithm names in any case (`crc32`, `CRC32`). */
export function parseChecksumAlgorithm(value: string): ChecksumAlgorithm | undefined {
  const upper = value.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

/** `x-amz-checksum-crc32` and so on: the header (or trailer) that carries the value. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm named by an `x-amz-checksum-<alg>` header name, if it is one S3 defines. */
export function algorithmFromHeaderName(name: string): ChecksumAlgorithm | undefined {
  const lower = name.trim().toLowerCase();
  if (!lower.startsWith('x-amz-checksum-')) return undefined;
  // x-amz-checksum-type, -algorithm and -mode name no algorithm, so they give undefined.
  return parseChecksumAlgorithm(lower.slice('x-amz-checksum-'.length));
}

/** Which multipart checksum types S3 allows for an algorithm. */
export function supportsChecksumType(algorithm: ChecksumAlgorithm, type: ChecksumType): boolean {
  if (type === 'COMPOSITE') return algorithm !== 'CRC64NVME';
  return isCrcAlgorithm(algorithm);
}

/** The header form of a digest: standard base64 with padding. */
export function encodeChecksum(digest: Uint8Array): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('base64');
}

/**
 * The digest carried by a header value, or undefined if the value is not the canonical
 * base64 of a digest of the right length (S3 answers InvalidRequest for those).
 */
export function decodeChecksum(algorithm: ChecksumAlgorithm, value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)) return undefined;
  const digest = Buffer.from(trimmed, 'base64');
  if (digest.length !== DIGEST_LENGTH[algorithm] || digest.toString('base64') !== trimmed) return undefined;
  return digest;
}

export function isValidChecksumValue(algorithm: ChecksumAlgorithm, value: string): boolean {
  return decodeChecksum(algorithm, value) !== undefined;
}

/**
 * COMPOSITE multipart checksum: the checksum of the concatenated part digests, in part
 * order, suffixed with the part count: `<base64>-N`.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partDigests: readonly Uint8Array[]): string {
  if (algorithm === 'CRC64NVME') throw new RangeError('CRC64NVME supports only FULL_OBJECT checksums');
  return `${encodeChecksum(computeChecksum(algorithm, partDigests))}-${partDigests.length}`;
}

/** Splits `<base64>-N` (a composite value) into its digest and part count. */
export function parseCompositeChecksum(value: string): { digest: string; parts: number } | undefined {
  const m = /^([A-Za-z0-9+/]+={0,2})-([1-9][0-9]{0,4})$/.exec(value.trim());
  return m ? { digest: m[1]!, parts: Number(m[2]) } : undefined;
}

/**
 * FULL_OBJECT multipart checksum (CRCs only): the CRC of the whole object, combined from
 * each part's digest and length, base64 as in the header. No `-N` suffix.
 */
export function fullObjectChecksum(
  algorithm: CrcAlgorithm,
  parts: ReadonlyArray<{ readonly digest: Uint8Array; readonly length: number }>,
): string {
  return encodeChecksum(combineCrcDigests(algorithm, parts));
}
