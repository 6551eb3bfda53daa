import { createHash } from 'node:crypto';
import { compositeChecksum, fullObjectChecksum, isCrcAlgorithm } from '../../checksum/checksum.js';
import { s3Error } from '../../errors/s3.js';
import { prefixSuccessor } from '../../store/meta/key-order.js';
import {
  StoreConflict, type ChecksumAlgorithm, type MultipartUpload, type NewObjectVersion, type ObjectChecksum, type ObjectPart,
  type ObjectVersion, type UploadPart, type WriteCondition,
} from '../../store/meta/types.js';
import { requireBucket } from './buckets.js';
import { checkAclWrite } from './ownership.js';
import { commonPrefixOf, cursorFromMarker } from './listing.js';
import { checkReadableStorageClass, findVersion, storageClassOf } from './object-lookup.js';
import { readObject, releasePieces, writePiece, writeVerifiedBody } from './object-io.js';
import { checksumFrom, commitVersion, validateKey, validateMetadata, type ObjectAttributes } from './objects-write.js';
import { checkCopySourcePreconditions, type Preconditions } from './preconditions.js';
import { validateTagSet } from './tags.js';
import {
  checkCustomerKeyForRead, defaultEncryption, requireSecureForCustomerKey, resolveWriteEncryption, SSE_C_VERIFIER, UPLOAD_ENVELOPE,
  type CustomerKeyHeaders,
} from './encryption.js';
import type { Prepared } from './object-codec.js';
import type { RequestBody, S3Context } from './types.js';

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
const CHECKSUM_ALGORITHMS = new Set(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']);

export interface CreateMultipartUploadInput extends ObjectAttributes {
  bucket: string;
  key: string;
  checksumAlgorithm?: string;
  checksumType?: string;
}

export async function createMultipartUpload(input: CreateMultipartUploadInput, ctx: S3Context): Promise<MultipartUpload> {
  validateKey(input.key);
  validateMetadata(input.userMetadata);
  validateTagSet(input.tags, 10);
  const bucket = await requireBucket(ctx, input.bucket);
  checkAclWrite(bucket, input.acl, input.hasGrants === true);
  const alg = input.checksumAlgorithm?.toUpperCase();
  if (alg !== undefined && !CHECKSUM_ALGORITHMS.has(alg)) throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported.');
  const type = input.checksumType?.toUpperCase();
  if (type !== undefined && type !== 'COMPOSITE' && type !== 'FULL_OBJECT') throw s3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  if (type === 'FULL_OBJECT' && (alg === 'SHA1' || alg === 'SHA256')) {
    throw s3Error('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${alg.toLowerCase()} checksum algorithm.`);
  }
  // CRC64NVME has no composite form: S3 offers it only as FULL_OBJECT.
  if (type === 'COMPOSITE' && alg === 'CRC64NVME') {
    throw s3Error('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  }
  const u: MultipartUpload = {
    uploadId: ctx.ids.uploadId(),
    bucket: input.bucket,
    key: input.key,
    initiated: ctx.now(),
    ownerAccountId: bucket.ownerAccountId,
    initiatorArn: ctx.principal.arn,
    storageClass: storageClassOf(input.storageClass),
    headers: input.headers,
    userMetadata: input.userMetadata,
    tags: input.tags,
  };
  // The upload's data-key envelope is made now (SSE-KMS: GenerateDataKey as the caller) and shared by its parts.
  const prepared = await ctx.codec.prepare(resolveWriteEncryption(ctx, bucket, input.sse), { bucket: input.bucket, key: input.key }, { services: ctx.encryption });
  for (const k of prepared.keys ?? []) k.fill(0);
  u.encryption = { ...prepared.record, [UPLOAD_ENVELOPE]: prepared.envelope };
  if (alg) {
    u.checksumAlgorithm = alg as ChecksumAlgorithm;
    u.checksumType = (type ?? (alg === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE')) as 'COMPOSITE' | 'FULL_OBJECT';
  }
  await ctx.meta.createUpload(u);
  return u;
}

async function requireUpload(ctx: S3Context, bucket: string, key: string, uploadId: string): Promise<MultipartUpload> {
  await requireBucket(ctx, bucket);
  const u = await ctx.meta.getUpload(uploadId);
  if (!u || u.bucket !== bucket || u.key !== key) throw s3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return u;
}

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: String(n) });
  }
}

async function storePart(ctx: S3Context, u: MultipartUpload, part: UploadPart): Promise<void> {
  try {
    const replaced = await ctx.meta.putPart(u.uploadId, part);
    if (replaced) releasePieces(ctx, [replaced]);
  } catch (e) {
    releasePieces(ctx, [part]);
    if (e instanceof StoreConflict) throw s3Error('NoSuchUpload', undefined, { UploadId: u.uploadId });
    throw e;
  }
}

/** The upload's envelope; uploads created before encryption settings existed are SSE-S3. */
function uploadEnvelope(u: MultipartUpload): Prepared {
  const envelope = u.encryption?.[UPLOAD_ENVELOPE];
  return { envelope: envelope && typeof envelope === 'object' ? envelope as Prepared['envelope'] : { codec: 'sse-s3' }, record: {} };
}

/** The object record a completed upload reports (its envelope lives in each part's seal). */
function uploadRecord(u: MultipartUpload): Record<string, unknown> {
  if (!u.encryption) return defaultEncryption();
  const { [UPLOAD_ENVELOPE]: _env, ...record } = u.encryption;
  return record;
}

/** SSE-C uploads need the same customer key on every part request, as S3 requires. */
function checkUploadCustomerKey(ctx: S3Context, u: MultipartUpload, given: CustomerKeyHeaders | undefined): void {
  requireSecureForCustomerKey(ctx, given !== undefined);
  const verifier = u.encryption?.[SSE_C_VERIFIER];
  if (typeof verifier !== 'string') {
    if (given) throw s3Error('InvalidRequest', 'The encryption parameters are not applicable to this object.');
    return;
  }
  if (!given) throw s3Error('InvalidRequest', 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.');
  if (!ctx.codec.customerKeyMatches(verifier, given.key)) throw s3Error('InvalidRequest', 'The provided encryption parameters did not match the ones used originally.');
}

export interface UploadPartInput { bucket: string; key: string; uploadId: string; partNumber: number; body: RequestBody; customerKey?: CustomerKeyHeaders }
export interface UploadPartOutput { part: UploadPart; upload: MultipartUpload }

export async function uploadPart(input: UploadPartInput, ctx: S3Context): Promise<UploadPartOutput> {
  checkPartNumber(input.partNumber);
  const u = await requireUpload(ctx, input.bucket, input.key, input.uploadId);
  if (input.body.length !== undefined && input.body.length > MAX_PART_SIZE) throw s3Error('EntityTooLarge', undefined, { ProposedSize: input.body.length, MaxSizeAllowed: MAX_PART_SIZE });
  checkUploadCustomerKey(ctx, u, input.customerKey);
  const access = { services: ctx.encryption, customerKey: input.customerKey };
  const written = await writeVerifiedBody(ctx, input.body, { bucket: input.bucket, key: input.key, allowInline: false, maxSize: MAX_PART_SIZE, prepared: uploadEnvelope(u), access });
  const { checksums, md5 } = written;
  const checksum = checksumFrom(checksums);
  if (u.checksumAlgorithm && checksum?.algorithm !== u.checksumAlgorithm) {
    releasePieces(ctx, [written.piece]);
    throw s3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${u.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${checksum?.algorithm.toLowerCase() ?? 'null'}`);
  }
  const part: UploadPart = { ...written.piece, partNumber: input.partNumber, etag: md5.toString('hex'), lastModified: ctx.now() };
  if (checksum) part.checksum = checksum;
  await storePart(ctx, u, part);
  return { part, upload: u };
}

export interface UploadPartCopyInput {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  sourceBucket: string;
  sourceKey: string;
  sourceVersionId?: string;
  sourceRange?: string;
  sourceConditions: Preconditions;
  customerKey?: CustomerKeyHeaders;
  sourceCustomerKey?: CustomerKeyHeaders;
}

export async function uploadPartCopy(input: UploadPartCopyInput, ctx: S3Context): Promise<{ part: UploadPart; source: ObjectVersion; upload: MultipartUpload }> {
  checkPartNumber(input.partNumber);
  const u = await requireUpload(ctx, input.bucket, input.key, input.uploadId);
  checkUploadCustomerKey(ctx, u, input.customerKey);
  await requireBucket(ctx, input.sourceBucket);
  const source = await findVersion(ctx, input.sourceBucket, input.sourceKey, input.sourceVersionId);
  checkCopySourcePreconditions(input.sourceConditions, source);
  checkReadableStorageClass(source);
  checkCustomerKeyForRead(ctx, source.encryption, input.sourceCustomerKey);
  let range: { start: number; end: number } | undefined;
  if (input.sourceRange !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(input.sourceRange);
    if (!m) throw s3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: input.sourceRange });
    range = { start: Number(m[1]), end: Number(m[2]) };
    if (range.end < range.start || range.end >= source.size) {
      throw s3Error('InvalidRange', 'The requested range is not satisfiable', { RangeRequested: input.sourceRange, ActualObjectSize: source.size });
    }
  }
  const length = range ? range.end - range.start + 1 : source.size;
  if (length > MAX_PART_SIZE) throw s3Error('InvalidRequest', 'The specified copy source is larger than the maximum allowable size for a copy source: 5368709120');
  const body = await readObject(ctx, source, source.size === 0 ? undefined : range, { services: ctx.encryption, customerKey: input.sourceCustomerKey });
  const access = { services: ctx.encryption, customerKey: input.customerKey };
  const written = await writePiece(ctx, body, { bucket: input.bucket, key: input.key, allowInline: false, maxSize: MAX_PART_SIZE, prepared: uploadEnvelope(u), access });
  const part: UploadPart = { ...written.piece, partNumber: input.partNumber, etag: written.md5!.toString('hex'), lastModified: ctx.now() };
  await storePart(ctx, u, part);
  return { part, source, upload: u };
}

export interface CompleteMultipartUploadInput {
  bucket: string;
  key: string;
  uploadId: string;
  parts: Array<{ partNumber: number; etag: string; checksums: Partial<Record<ChecksumAlgorithm, string>> }>;
  condition?: WriteCondition;
}

export interface CompleteMultipartUploadOutput { version: ObjectVersion; versioned: boolean }

/**
 * The object's checksum from its parts' checksums: COMPOSITE (checksum of the part digests,
 * "-N") for any algorithm but CRC64NVME, FULL_OBJECT (the CRCs combined) for the CRCs.
 */
function multipartChecksum(alg: ChecksumAlgorithm, type: 'COMPOSITE' | 'FULL_OBJECT', parts: ObjectPart[]): ObjectChecksum | undefined {
  if (!parts.every((p) => p.checksum?.algorithm === alg)) return undefined;
  const digests = parts.map((p) => Buffer.from(p.checksum!.value, 'base64'));
  if (type === 'COMPOSITE') return { algorithm: alg, type, value: compositeChecksum(alg, digests) };
  if (!isCrcAlgorithm(alg)) return undefined;
  return { algorithm: alg, type, value: fullObjectChecksum(alg, parts.map((p, i) => ({ digest: digests[i]!, length: p.size }))) };
}

export async function completeMultipartUpload(input: CompleteMultipartUploadInput, ctx: S3Context): Promise<CompleteMultipartUploadOutput> {
  const u = await requireUpload(ctx, input.bucket, input.key, input.uploadId);
  const bucket = await requireBucket(ctx, input.bucket);
  if (input.parts.length === 0) throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  for (let i = 1; i < input.parts.length; i++) {
    if (input.parts[i]!.partNumber <= input.parts[i - 1]!.partNumber) throw s3Error('InvalidPartOrder', undefined, { UploadId: input.uploadId });
  }
  const stored = new Map<number, UploadPart>();
  for (let after = 0; ;) {
    const batch = await ctx.meta.listParts(input.uploadId, after, 1000);
    for (const p of batch) stored.set(p.partNumber, p);
    if (batch.length < 1000) break;
    after = batch[batch.length - 1]!.partNumber;
  }
  const chosen: ObjectPart[] = [];
  for (const [i, want] of input.parts.entries()) {
    const have = stored.get(want.partNumber);
    const etag = want.etag.trim().replace(/^"|"$/g, '');
    if (!have || have.etag !== etag) throw s3Error('InvalidPart', undefined, { UploadId: input.uploadId, PartNumber: want.partNumber, ETag: want.etag });
    if (u.checksumAlgorithm && have.checksum) {
      const given = want.checksums[u.checksumAlgorithm];
      if (given !== undefined && given !== have.checksum.value) throw s3Error('InvalidPart', undefined, { UploadId: input.uploadId, PartNumber: want.partNumber });
    }
    if (i < input.parts.length - 1 && have.size < MIN_PART_SIZE) {
      throw s3Error('EntityTooSmall', undefined, { UploadId: input.uploadId, PartNumber: want.partNumber, ProposedSize: have.size, MinSizeAllowed: MIN_PART_SIZE });
    }
    const { lastModified: _lm, ...part } = have;
    chosen.push(part);
  }
  const md5 = createHash('md5');
  for (const p of chosen) md5.update(Buffer.from(p.etag, 'hex'));
  const v: NewObjectVersion = {
    isDeleteMarker: false,
    size: chosen.reduce((n, p) => n + p.size, 0),
    etag: `${md5.digest('hex')}-${chosen.length}`,
    lastModified: ctx.now(),
    ownerAccountId: bucket.ownerAccountId,
    storageClass: u.storageClass,
    headers: u.headers,
    userMetadata: u.userMetadata,
    tags: u.tags,
    partsCount: chosen.length,
    encryption: uploadRecord(u),
    checksum: u.checksumAlgorithm && u.checksumType ? multipartChecksum(u.checksumAlgorithm, u.checksumType, chosen) : undefined,
  };
  const version = await commitVersion(async () => {
    try {
      return await ctx.meta.completeUpload(input.uploadId, v, chosen, bucket.versioning, input.condition);
    } catch (e) {
      if (e instanceof StoreConflict && e.reason === 'no-such-upload') throw s3Error('NoSuchUpload', undefined, { UploadId: input.uploadId });
      throw e;
    }
  }, input.key, ctx);
  return { version, versioned: bucket.versioning !== 'Unversioned' };
}

export async function abortMultipartUpload(input: { bucket: string; key: string; uploadId: string }, ctx: S3Context): Promise<void> {
  await requireUpload(ctx, input.bucket, input.key, input.uploadId);
  try {
    releasePieces(ctx, await ctx.meta.abortUpload(input.uploadId));
  } catch (e) {
    if (e instanceof StoreConflict) throw s3Error('NoSuchUpload', undefined, { UploadId: input.uploadId });
    throw e;
  }
}

export interface ListPartsInput { bucket: string; key: string; uploadId: string; maxParts: number; partNumberMarker: number }
export interface ListPartsOutput { upload: MultipartUpload; parts: UploadPart[]; truncated: boolean; nextPartNumberMarker?: number }

export async function listParts(input: ListPartsInput, ctx: S3Context): Promise<ListPartsOutput> {
  const upload = await requireUpload(ctx, input.bucket, input.key, input.uploadId);
  const rows = await ctx.meta.listParts(input.uploadId, input.partNumberMarker, input.maxParts + 1);
  const truncated = rows.length > input.maxParts;
  const parts = rows.slice(0, input.maxParts);
  const out: ListPartsOutput = { upload, parts, truncated };
  if (parts.length) out.nextPartNumberMarker = parts[parts.length - 1]!.partNumber;
  return out;
}

export interface ListUploadsInput { bucket: string; prefix: string; delimiter?: string; keyMarker: string; uploadIdMarker: string; maxUploads: number; encodingType?: string }
export interface ListUploadsOutput { uploads: MultipartUpload[]; commonPrefixes: string[]; truncated: boolean; nextKeyMarker?: string; nextUploadIdMarker?: string }

export async function listMultipartUploads(input: ListUploadsInput, ctx: S3Context): Promise<ListUploadsOutput> {
  await requireBucket(ctx, input.bucket);
  const out: ListUploadsOutput = { uploads: [], commonPrefixes: [], truncated: false };
  const { prefix, delimiter } = input;
  let q: { keyMarker: string; uploadIdMarker: string; startInclusive?: string } = { keyMarker: input.keyMarker, uploadIdMarker: input.uploadIdMarker };
  if (input.keyMarker && !input.uploadIdMarker) {
    const c = cursorFromMarker(input.keyMarker, prefix, delimiter);
    if (c.inclusive) q = { keyMarker: '', uploadIdMarker: '', startInclusive: c.start };
  }
  let count = 0;
  let last: { key: string; uploadId?: string } | undefined;
  outer: for (;;) {
    const rows = await ctx.meta.listUploads(input.bucket, { prefix, limit: 1000, ...q });
    for (const u of rows) {
      if (count === input.maxUploads) { out.truncated = input.maxUploads > 0; break outer; }
      count++;
      const cp = commonPrefixOf(u.key, prefix, delimiter);
      if (cp !== undefined) {
        out.commonPrefixes.push(cp);
        last = { key: cp };
        const next = prefixSuccessor(cp);
        if (next === undefined) break outer;
        // Resume at the first key past the rolled-up prefix, all of its uploads included.
        q = { keyMarker: '', uploadIdMarker: '', startInclusive: next };
        continue outer;
      }
      out.uploads.push(u);
      last = { key: u.key, uploadId: u.uploadId };
      q = { keyMarker: u.key, uploadIdMarker: u.uploadId };
    }
    if (rows.length < 1000) break;
  }
  if (out.truncated && last) {
    out.nextKeyMarker = last.key;
    if (last.uploadId) out.nextUploadIdMarker = last.uploadId;
  }
  return out;
}
