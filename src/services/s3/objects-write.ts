import { s3Error } from '../../errors/s3.js';
import { StoreConflict, type ChecksumAlgorithm, type ContentHeaders, type NewObjectVersion, type ObjectChecksum, type ObjectVersion, type PutObjectResult, type WriteCondition } from '../../store/meta/types.js';
import { requireBucket } from './buckets.js';
import { checkAclWrite } from './ownership.js';
import { checkReadableStorageClass, findVersion, storageClassOf } from './object-lookup.js';
import { readObject, releasePieces, writePiece, writeVerifiedBody } from './object-io.js';
import { checkCopySourcePreconditions, type Preconditions } from './preconditions.js';
import { validateTagSet } from './tags.js';
import { checkCustomerKeyForRead, resolveWriteEncryption, type CustomerKeyHeaders, type SseRequest } from './encryption.js';
import type { RequestBody, S3Context } from './types.js';

export const MAX_KEY_BYTES = 1024;
export const MAX_METADATA_BYTES = 2048;
export const MAX_SINGLE_PUT = 5 * 1024 ** 3;

export function validateKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw s3Error('KeyTooLongError', undefined, { Size: Buffer.byteLength(key), MaxSizeAllowed: MAX_KEY_BYTES });
  if (key.length === 0) throw s3Error('InvalidArgument', 'Object key must not be empty');
}

/** User metadata counts key and value bytes, as S3 measures its 2 KB limit. */
export function validateMetadata(meta: Record<string, string>): void {
  let size = 0;
  for (const [k, v] of Object.entries(meta)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > MAX_METADATA_BYTES) throw s3Error('MetadataTooLarge', undefined, { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES });
}

export interface ObjectAttributes {
  headers: ContentHeaders;
  userMetadata: Record<string, string>;
  tags: Array<[string, string]>;
  storageClass?: string;
  /** x-amz-acl and x-amz-grant-*: checked against the bucket's Object Ownership. */
  acl?: string;
  hasGrants?: boolean;
  /** x-amz-server-side-encryption* headers, validated. */
  sse?: SseRequest;
}

export interface PutObjectInput extends ObjectAttributes {
  bucket: string;
  key: string;
  body: RequestBody;
  condition?: WriteCondition;
}

export interface PutObjectOutput {
  version: ObjectVersion;
  versioned: boolean;
}

/** Turns the store's conflicts into S3's answers for conditional writes. */
export async function commitVersion(commit: () => Promise<PutObjectResult>, key: string, ctx: S3Context): Promise<ObjectVersion> {
  try {
    const r = await commit();
    releasePieces(ctx, r.released);
    return r.version;
  } catch (e) {
    if (e instanceof StoreConflict && e.reason === 'precondition') throw s3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match/If-Match' });
    if (e instanceof StoreConflict && e.reason === 'not-found') throw s3Error('NoSuchKey', undefined, { Key: key });
    throw e;
  }
}

export function checksumFrom(checksums: Partial<Record<ChecksumAlgorithm, string>>): ObjectChecksum | undefined {
  for (const algorithm of ['CRC64NVME', 'CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
    const value = checksums[algorithm];
    if (value) return { algorithm, type: 'FULL_OBJECT', value };
  }
  return undefined;
}

export async function putObject(input: PutObjectInput, ctx: S3Context): Promise<PutObjectOutput> {
  validateKey(input.key);
  validateMetadata(input.userMetadata);
  validateTagSet(input.tags, 10);
  const storageClass = storageClassOf(input.storageClass);
  if (input.body.length !== undefined && input.body.length > ctx.settings.maxObjectSize) {
    throw s3Error('EntityTooLarge', undefined, { ProposedSize: input.body.length, MaxSizeAllowed: ctx.settings.maxObjectSize });
  }
  const bucket = await requireBucket(ctx, input.bucket);
  checkAclWrite(bucket, input.acl, input.hasGrants === true);
  const access = { services: ctx.encryption };
  const prepared = await ctx.codec.prepare(resolveWriteEncryption(ctx, bucket, input.sse), { bucket: input.bucket, key: input.key }, access);
  const written = await writeVerifiedBody(ctx, input.body, { bucket: input.bucket, key: input.key, allowInline: true, maxSize: ctx.settings.maxObjectSize, prepared, access });
  const { checksums, md5 } = written;
  const v: NewObjectVersion = {
    isDeleteMarker: false,
    size: written.piece.size,
    etag: md5.toString('hex'),
    lastModified: ctx.now(),
    ownerAccountId: bucket.ownerAccountId,
    storageClass,
    headers: input.headers,
    userMetadata: input.userMetadata,
    tags: input.tags,
    checksum: checksumFrom(checksums),
    data: { kind: 'single', piece: written.piece },
    encryption: prepared.record,
  };
  let version: ObjectVersion;
  try {
    version = await commitVersion(() => ctx.meta.putObject(input.bucket, input.key, v, bucket.versioning, input.condition), input.key, ctx);
  } catch (e) {
    releasePieces(ctx, [written.piece]);
    throw e;
  }
  return { version, versioned: bucket.versioning !== 'Unversioned' };
}

export interface CopyObjectInput extends Partial<ObjectAttributes> {
  bucket: string;
  key: string;
  sourceBucket: string;
  sourceKey: string;
  sourceVersionId?: string;
  sourceConditions: Preconditions;
  metadataDirective: 'COPY' | 'REPLACE';
  taggingDirective: 'COPY' | 'REPLACE';
  condition?: WriteCondition;
  /** x-amz-copy-source-server-side-encryption-customer-*: the source's SSE-C key. */
  sourceCustomerKey?: CustomerKeyHeaders;
}

export interface CopyObjectOutput {
  version: ObjectVersion;
  source: ObjectVersion;
  versioned: boolean;
}

export async function copyObject(input: CopyObjectInput, ctx: S3Context): Promise<CopyObjectOutput> {
  validateKey(input.key);
  const target = await requireBucket(ctx, input.bucket);
  checkAclWrite(target, input.acl, input.hasGrants === true);
  await requireBucket(ctx, input.sourceBucket);
  const source = await findVersion(ctx, input.sourceBucket, input.sourceKey, input.sourceVersionId);
  checkCopySourcePreconditions(input.sourceConditions, source);
  checkReadableStorageClass(source);
  checkCustomerKeyForRead(ctx, source.encryption, input.sourceCustomerKey);
  if (source.size > MAX_SINGLE_PUT) {
    throw s3Error('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_SINGLE_PUT}`);
  }
  const replace = input.metadataDirective === 'REPLACE';
  const sameObject = input.bucket === input.sourceBucket && input.key === input.sourceKey && input.sourceVersionId === undefined;
  const changesEncryption = input.sse !== undefined && Object.keys(input.sse).length > 0;
  if (sameObject && !replace && input.storageClass === undefined && input.taggingDirective !== 'REPLACE' && !changesEncryption) {
    throw s3Error('InvalidRequest', 'This copy request is illegal because it is trying to copy an object to itself without changing the object\'s metadata, storage class, website redirect location or encryption attributes.');
  }
  const headers = replace ? input.headers ?? {} : source.headers;
  const userMetadata = replace ? input.userMetadata ?? {} : source.userMetadata;
  validateMetadata(userMetadata);
  const tags = input.taggingDirective === 'REPLACE' ? input.tags ?? [] : source.tags;
  validateTagSet(tags, 10);
  const storageClass = storageClassOf(input.storageClass ?? 'STANDARD');
  const settings = resolveWriteEncryption(ctx, target, input.sse);
  const body = await readObject(ctx, source, undefined, { services: ctx.encryption, customerKey: input.sourceCustomerKey });
  const access = { services: ctx.encryption };
  let prepared;
  try {
    prepared = await ctx.codec.prepare(settings, { bucket: input.bucket, key: input.key }, access);
  } catch (e) {
    body.destroy();
    throw e;
  }
  const written = await writePiece(ctx, body, { bucket: input.bucket, key: input.key, allowInline: true, maxSize: MAX_SINGLE_PUT, prepared, access, declaredLength: source.size });
  const v: NewObjectVersion = {
    isDeleteMarker: false,
    size: written.piece.size,
    etag: written.md5!.toString('hex'),
    lastModified: ctx.now(),
    ownerAccountId: target.ownerAccountId,
    storageClass,
    headers,
    userMetadata,
    tags,
    checksum: source.checksum?.type === 'FULL_OBJECT' ? source.checksum : undefined,
    data: { kind: 'single', piece: written.piece },
    encryption: prepared.record,
  };
  let version: ObjectVersion;
  try {
    version = await commitVersion(() => ctx.meta.putObject(input.bucket, input.key, v, target.versioning, input.condition), input.key, ctx);
  } catch (e) {
    releasePieces(ctx, [written.piece]);
    throw e;
  }
  return { version, source, versioned: target.versioning !== 'Unversioned' };
}
