import { s3Error } from '../../errors/s3.js';
import { prefixSuccessor } from '../../store/meta/key-order.js';
import type { Bucket, ObjectVersion } from '../../store/meta/types.js';
import { requireBucket } from './buckets.js';
import type { S3Context } from './types.js';

const BATCH = 1000;

/** Where a listing resumes: after a key, or at the first key past a rolled-up common prefix. */
interface Cursor { start: string; inclusive: boolean }

export interface ListPage {
  bucket: Bucket;
  contents: ObjectVersion[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned when truncated (v1 NextMarker). */
  nextMarker?: string;
  nextCursor?: Cursor;
}

export function parseMaxKeys(v: string | undefined, name = 'max-keys'): number {
  if (v === undefined || v === '') return 1000;
  if (!/^\d+$/.test(v)) throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: name, ArgumentValue: v });
  return Math.min(Number(v), 1000);
}

/** The common prefix of `key` under `prefix` for `delimiter`, if it has one. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const i = key.indexOf(delimiter, prefix.length);
  return i < 0 ? undefined : key.slice(0, i + delimiter.length);
}

/** A marker that is itself a rolled-up prefix resumes past everything under it. */
export function cursorFromMarker(marker: string, prefix: string, delimiter: string | undefined): Cursor {
  if (delimiter && marker.startsWith(prefix) && marker.endsWith(delimiter) && commonPrefixOf(marker, prefix, delimiter) === marker) {
    const s = prefixSuccessor(marker);
    if (s !== undefined) return { start: s, inclusive: true };
  }
  return { start: marker, inclusive: false };
}

async function listLatest(ctx: S3Context, bucket: Bucket, prefix: string, delimiter: string | undefined, maxKeys: number, cursor: Cursor): Promise<ListPage> {
  const page: ListPage = { bucket, contents: [], commonPrefixes: [], truncated: false };
  let { start, inclusive } = cursor;
  let count = 0;
  let last: { marker: string; cursor: Cursor } | undefined;
  outer: for (;;) {
    const rows = await ctx.meta.listObjects(bucket.name, { prefix, start, inclusive, limit: BATCH });
    for (const row of rows) {
      if (count === maxKeys) { page.truncated = maxKeys > 0; break outer; }
      const cp = commonPrefixOf(row.key, prefix, delimiter);
      count++;
      if (cp !== undefined) {
        page.commonPrefixes.push(cp);
        const next = prefixSuccessor(cp);
        if (next === undefined) break outer;
        start = next;
        inclusive = true;
        last = { marker: cp, cursor: { start, inclusive } };
        continue outer;
      }
      page.contents.push(row);
      start = row.key;
      inclusive = false;
      last = { marker: row.key, cursor: { start, inclusive } };
    }
    if (rows.length < BATCH) break;
  }
  if (page.truncated && last) {
    page.nextMarker = last.marker;
    page.nextCursor = last.cursor;
  }
  return page;
}

export interface ListObjectsInput {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encodingType?: string;
}

export interface ListObjectsV1Input extends ListObjectsInput { marker: string }
export interface ListObjectsV2Input extends ListObjectsInput { startAfter?: string; continuationToken?: string; fetchOwner: boolean }

function checkEncoding(t: string | undefined): void {
  if (t !== undefined && t !== 'url') throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: t });
}

export async function listObjects(input: ListObjectsV1Input, ctx: S3Context): Promise<ListPage> {
  checkEncoding(input.encodingType);
  const bucket = await requireBucket(ctx, input.bucket);
  const cursor = input.marker ? cursorFromMarker(input.marker, input.prefix, input.delimiter) : { start: '', inclusive: false };
  return listLatest(ctx, bucket, input.prefix, input.delimiter, input.maxKeys, cursor);
}

export function encodeToken(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.start, c.inclusive ? 1 : 0])).toString('base64url');
}

function decodeToken(token: string): Cursor {
  try {
    const [start, inc] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof start === 'string' && (inc === 0 || inc === 1)) return { start, inclusive: inc === 1 };
  } catch { /* fall through */ }
  throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
}

export async function listObjectsV2(input: ListObjectsV2Input, ctx: S3Context): Promise<ListPage> {
  checkEncoding(input.encodingType);
  const bucket = await requireBucket(ctx, input.bucket);
  let cursor: Cursor = { start: '', inclusive: false };
  if (input.continuationToken !== undefined) cursor = decodeToken(input.continuationToken);
  else if (input.startAfter) cursor = { start: input.startAfter, inclusive: false };
  return listLatest(ctx, bucket, input.prefix, input.delimiter, input.maxKeys, cursor);
}

export interface ListVersionsInput extends ListObjectsInput { keyMarker: string; versionIdMarker?: string }

export interface VersionsPage {
  bucket: Bucket;
  entries: ObjectVersion[];
  commonPrefixes: string[];
  truncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

export async function listObjectVersions(input: ListVersionsInput, ctx: S3Context): Promise<VersionsPage> {
  checkEncoding(input.encodingType);
  const bucket = await requireBucket(ctx, input.bucket);
  if (input.versionIdMarker && !input.keyMarker) throw s3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker' });
  const page: VersionsPage = { bucket, entries: [], commonPrefixes: [], truncated: false };
  const { prefix, delimiter, maxKeys } = input;
  let q: { keyMarker: string; versionIdMarker?: string; startInclusive?: string } = { keyMarker: input.keyMarker, versionIdMarker: input.versionIdMarker };
  if (input.keyMarker && !input.versionIdMarker) {
    const c = cursorFromMarker(input.keyMarker, prefix, delimiter);
    if (c.inclusive) q = { keyMarker: '', startInclusive: c.start };
  }
  let count = 0;
  let last: { key: string; versionId?: string } | undefined;
  outer: for (;;) {
    const rows = await ctx.meta.listObjectVersions(bucket.name, { prefix, limit: BATCH, ...q });
    for (const row of rows) {
      if (count === maxKeys) { page.truncated = maxKeys > 0; break outer; }
      const cp = commonPrefixOf(row.key, prefix, delimiter);
      count++;
      if (cp !== undefined) {
        page.commonPrefixes.push(cp);
        last = { key: cp };
        const next = prefixSuccessor(cp);
        if (next === undefined) break outer;
        q = { keyMarker: '', startInclusive: next };
        continue outer;
      }
      page.entries.push(row);
      last = { key: row.key, versionId: row.versionId };
      q = { keyMarker: row.key, versionIdMarker: row.versionId };
    }
    if (rows.length < BATCH) break;
  }
  if (page.truncated && last) {
    page.nextKeyMarker = last.key;
    if (last.versionId !== undefined) page.nextVersionIdMarker = last.versionId;
  }
  return page;
}
