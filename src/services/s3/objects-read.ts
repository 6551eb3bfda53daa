import type { Readable } from 'node:stream';
import { s3Error } from '../../errors/s3.js';
import type { ObjectVersion } from '../../store/meta/types.js';
import { requireBucket } from './buckets.js';
import { checkReadableStorageClass, findVersion } from './object-lookup.js';
import { readInlineObject, readObject } from './object-io.js';
import { checkReadPreconditions, type Preconditions } from './preconditions.js';
import { resolveRange, type ByteRange } from './range.js';
import { checkCustomerKeyForRead, type CustomerKeyHeaders } from './encryption.js';
import type { S3Context } from './types.js';

export interface GetObjectInput {
  bucket: string;
  key: string;
  versionId?: string;
  range?: string;
  partNumber?: number;
  conditions: Preconditions;
  checksumMode?: string;
  /** response-* query overrides, by the header they replace. */
  overrides: Record<string, string>;
  /** x-amz-server-side-encryption-customer-*: required for SSE-C objects. */
  customerKey?: CustomerKeyHeaders;
}

export interface GetObjectOutput {
  version: ObjectVersion;
  /** Set on a ranged or part read: the bytes returned. */
  range?: ByteRange;
  body?: Readable | Buffer;
  checksumMode: boolean;
  overrides: Record<string, string>;
}

/** The byte range of a part of a multipart object; part 1 of a single-piece object is all of it. */
function partRange(v: ObjectVersion, partNumber: number): ByteRange | undefined {
  if (v.data?.kind !== 'parts') {
    if (partNumber !== 1) throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable');
    return v.size === 0 ? undefined : { start: 0, end: v.size - 1 };
  }
  let offset = 0;
  for (const p of v.data.parts) {
    if (p.partNumber === partNumber) return { start: offset, end: offset + p.size - 1 };
    offset += p.size;
  }
  throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable');
}

async function resolve(input: GetObjectInput, ctx: S3Context): Promise<{ v: ObjectVersion; range?: ByteRange }> {
  if (input.range !== undefined && input.partNumber !== undefined) {
    throw s3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
  }
  await requireBucket(ctx, input.bucket);
  const v = await findVersion(ctx, input.bucket, input.key, input.versionId);
  checkReadPreconditions(input.conditions, v);
  const range = input.partNumber !== undefined ? partRange(v, input.partNumber) : resolveRange(input.range, v.size);
  return { v, range };
}

export async function getObject(input: GetObjectInput, ctx: S3Context): Promise<GetObjectOutput> {
  const { v, range } = await resolve(input, ctx);
  checkReadableStorageClass(v);
  checkCustomerKeyForRead(ctx, v.encryption, input.customerKey);
  const access = { services: ctx.encryption, customerKey: input.customerKey };
  const body = (await readInlineObject(ctx, v, range, access)) ?? (await readObject(ctx, v, range, access));
  return { version: v, range, body, checksumMode: input.checksumMode === 'ENABLED', overrides: input.overrides };
}

/** HEAD reports the encryption from the object's record: it never calls KMS. */
export async function headObject(input: GetObjectInput, ctx: S3Context): Promise<GetObjectOutput> {
  const { v, range } = await resolve(input, ctx);
  checkCustomerKeyForRead(ctx, v.encryption, input.customerKey);
  return { version: v, range, checksumMode: input.checksumMode === 'ENABLED', overrides: input.overrides };
}
