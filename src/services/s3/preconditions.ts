import { s3Error } from '../../errors/s3.js';
import type { ObjectVersion } from '../../store/meta/types.js';

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return v === '*' || v === etag;
  });
}

/** Seconds resolution, as HTTP dates carry. */
const secs = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * GET/HEAD preconditions in S3's order (RFC 7232 §6): If-Match, else If-Unmodified-Since
 * (412); then If-None-Match, else If-Modified-Since (304).
 */
export function checkReadPreconditions(p: Preconditions, v: ObjectVersion): void {
  if (p.ifMatch !== undefined) {
    if (!etagMatches(p.ifMatch, v.etag)) throw s3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  } else if (p.ifUnmodifiedSince && secs(v.lastModified) > secs(p.ifUnmodifiedSince)) {
    throw s3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  }
  if (p.ifNoneMatch !== undefined) {
    if (etagMatches(p.ifNoneMatch, v.etag)) throw notModified(v);
  } else if (p.ifModifiedSince && secs(v.lastModified) <= secs(p.ifModifiedSince)) {
    throw notModified(v);
  }
}

function notModified(v: ObjectVersion) {
  return s3Error('NotModified', undefined, undefined, { ETag: `"${v.etag}"`, 'Last-Modified': v.lastModified.toUTCString() });
}

/** x-amz-copy-source-if-*: every failure is 412, as S3 documents for CopyObject. */
export function checkCopySourcePreconditions(p: Preconditions, v: ObjectVersion): void {
  if (p.ifMatch !== undefined && !etagMatches(p.ifMatch, v.etag)) throw s3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-Match' });
  if (p.ifNoneMatch !== undefined && etagMatches(p.ifNoneMatch, v.etag)) throw s3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-None-Match' });
  if (p.ifMatch === undefined && p.ifUnmodifiedSince && secs(v.lastModified) > secs(p.ifUnmodifiedSince)) {
    throw s3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-Unmodified-Since' });
  }
  if (p.ifNoneMatch === undefined && p.ifModifiedSince && secs(v.lastModified) <= secs(p.ifModifiedSince)) {
    throw s3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-Modified-Since' });
  }
}
