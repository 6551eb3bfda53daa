import { s3Error } from '../../../errors/s3.js';
import type { ChecksumAlgorithm, ContentHeaders, ObjectVersion, WriteCondition } from '../../../store/meta/types.js';
import type { Preconditions } from '../../../services/s3/preconditions.js';
import { parseTaggingHeader } from '../../../services/s3/tags.js';
import type { ObjectAttributes } from '../../../services/s3/objects-write.js';
import { sseRequestFrom } from '../../../services/s3/encryption.js';

/** Header conventions shared by S3 object operations. */

type Headers = Record<string, string>;

export function httpDate(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  // S3 ignores a conditional header whose date it cannot read.
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function contentHeadersFrom(h: Headers): ContentHeaders {
  const c: ContentHeaders = {};
  if (h['content-type'] !== undefined) c.contentType = h['content-type'];
  if (h['content-encoding'] !== undefined) {
    // aws-chunked is transfer framing, not a property of the object.
    const enc = h['content-encoding'].split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked').join(',');
    if (enc) c.contentEncoding = enc;
  }
  if (h['content-disposition'] !== undefined) c.contentDisposition = h['content-disposition'];
  if (h['content-language'] !== undefined) c.contentLanguage = h['content-language'];
  if (h['cache-control'] !== undefined) c.cacheControl = h['cache-control'];
  if (h['expires'] !== undefined) c.expires = h['expires'];
  if (h['x-amz-website-redirect-location'] !== undefined) c.websiteRedirectLocation = h['x-amz-website-redirect-location'];
  return c;
}

export function userMetadataFrom(h: Headers): Record<string, string> {
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (k.startsWith('x-amz-meta-')) m[k.slice(11)] = v;
  return m;
}

/**
 * Write headers for features this Coffer does not have yet are refused, never silently
 * dropped: the caller would believe its object was locked.
 */
function refuseUnsupported(h: Headers): void {
  for (const name of Object.keys(h)) {
    if (name.startsWith('x-amz-object-lock-')) throw s3Error('NotImplemented', 'Object Lock is not implemented by Coffer yet', { Header: name });
  }
}

export function attributesFrom(h: Headers): ObjectAttributes {
  refuseUnsupported(h);
  const a: ObjectAttributes = {
    headers: contentHeadersFrom(h),
    userMetadata: userMetadataFrom(h),
    tags: h['x-amz-tagging'] !== undefined ? parseTaggingHeader(h['x-amz-tagging']) : [],
  };
  if (h['x-amz-storage-class'] !== undefined) a.storageClass = h['x-amz-storage-class'];
  if (h['x-amz-acl'] !== undefined) a.acl = h['x-amz-acl'];
  if (Object.keys(h).some((k) => k.startsWith('x-amz-grant-'))) a.hasGrants = true;
  const sse = sseRequestFrom(h);
  if (Object.keys(sse).length) a.sse = sse;
  return a;
}

export function readPreconditions(h: Headers, prefix = ''): Preconditions {
  const p: Preconditions = {};
  const g = (n: string): string | undefined => h[prefix + n];
  if (g('if-match') !== undefined) p.ifMatch = g('if-match');
  if (g('if-none-match') !== undefined) p.ifNoneMatch = g('if-none-match');
  const ims = httpDate(g('if-modified-since'));
  if (ims) p.ifModifiedSince = ims;
  const ius = httpDate(g('if-unmodified-since'));
  if (ius) p.ifUnmodifiedSince = ius;
  return p;
}

/** `If-None-Match: *` and `If-Match: <etag>` on writes (PutObject, CompleteMultipartUpload, CopyObject). */
export function writeConditionFrom(h: Headers): WriteCondition | undefined {
  const inm = h['if-none-match'];
  const im = h['if-match'];
  if (inm !== undefined && im !== undefined) throw s3Error('NotImplemented', 'If-Match and If-None-Match together are not supported on writes');
  if (inm !== undefined) {
    if (inm.trim() !== '*') throw s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
    return { kind: 'if-none-match' };
  }
  if (im !== undefined) return { kind: 'if-match', etag: im.trim().replace(/^"|"$/g, '') };
  return undefined;
}

/** `x-amz-copy-source: [/]bucket/key[?versionId=id]`, URL-encoded. */
export function parseCopySource(v: string): { bucket: string; key: string; versionId?: string } {
  let s = v;
  let versionId: string | undefined;
  const q = s.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(s.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    s = s.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(s);
  } catch {
    throw s3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source', ArgumentValue: v });
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw s3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source', ArgumentValue: v });
  }
  const out: { bucket: string; key: string; versionId?: string } = { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
  if (versionId !== undefined) out.versionId = versionId;
  return out;
}

export const CHECKSUM_HEADERS: Record<ChecksumAlgorithm, string> = {
  CRC32: 'x-amz-checksum-crc32',
  CRC32C: 'x-amz-checksum-crc32c',
  CRC64NVME: 'x-amz-checksum-crc64nvme',
  SHA1: 'x-amz-checksum-sha1',
  SHA256: 'x-amz-checksum-sha256',
};

export const CHECKSUM_XML: Record<ChecksumAlgorithm, string> = {
  CRC32: 'ChecksumCRC32', CRC32C: 'ChecksumCRC32C', CRC64NVME: 'ChecksumCRC64NVME', SHA1: 'ChecksumSHA1', SHA256: 'ChecksumSHA256',
};

export function quoted(etag: string): string {
  return `"${etag}"`;
}

export function versionHeader(v: { versionId: string }, versioned: boolean): string | undefined {
  return versioned || v.versionId !== 'null' ? v.versionId : undefined;
}

/** The headers GET and HEAD return for an object version. */
export function objectResponseHeaders(v: ObjectVersion): Record<string, string | number | undefined> {
  const h: Record<string, string | number | undefined> = {
    'Last-Modified': v.lastModified.toUTCString(),
    ETag: quoted(v.etag),
    'Content-Type': v.headers.contentType ?? 'binary/octet-stream',
    'Accept-Ranges': 'bytes',
    'Cache-Control': v.headers.cacheControl,
    'Content-Disposition': v.headers.contentDisposition,
    'Content-Encoding': v.headers.contentEncoding,
    'Content-Language': v.headers.contentLanguage,
    Expires: v.headers.expires,
    'x-amz-website-redirect-location': v.headers.websiteRedirectLocation,
    'x-amz-version-id': v.versionId !== 'null' ? v.versionId : undefined,
    'x-amz-storage-class': v.storageClass !== 'STANDARD' ? v.storageClass : undefined,
    'x-amz-tagging-count': v.tags.length ? v.tags.length : undefined,
  };
  for (const [k, val] of Object.entries(v.userMetadata)) h[`x-amz-meta-${k}`] = val;
  for (const [k, val] of Object.entries(v.encryption ?? {})) if (typeof val === 'string' && k.startsWith('x-amz-')) h[k] = val;
  return h;
}
