import { s3Error } from '../../../errors/s3.js';
import type { GetObjectInput, GetObjectOutput } from '../../../services/s3/objects-read.js';
import type * as W from '../../../services/s3/objects-write.js';
import type * as D from '../../../services/s3/objects-delete.js';
import type { ObjectTaggingInput } from '../../../services/s3/object-tagging.js';
import type { ChecksumAlgorithm, ObjectVersion } from '../../../store/meta/types.js';
import { discardBody, readXmlBody, type RestRequest, type RestResponse } from '../rest-message.js';
import { asArray, S3_NS, text, toXml } from '../xml.js';
import { parseTagSet, tagSetXml } from './buckets-wire.js';
import {
  attributesFrom, CHECKSUM_HEADERS, CHECKSUM_XML, objectResponseHeaders, parseCopySource, quoted, readPreconditions,
  versionHeader, writeConditionFrom,
} from './headers.js';
import { bucketOf, empty, keyOf, optionalQuery, xmlResponse, type Wire } from './wire.js';
import { customerKeyFrom, encryptionHeaders } from '../../../services/s3/encryption.js';

function checksumHeaders(v: ObjectVersion): Record<string, string> {
  if (!v.checksum) return {};
  return { [CHECKSUM_HEADERS[v.checksum.algorithm]]: v.checksum.value, 'x-amz-checksum-type': v.checksum.type };
}

export const PutObject: Wire<W.PutObjectInput, W.PutObjectOutput> = {
  decode(req) {
    const input: W.PutObjectInput = { bucket: bucketOf(req), key: keyOf(req), body: req.body, ...attributesFrom(req.headers) };
    const condition = writeConditionFrom(req.headers);
    if (condition) input.condition = condition;
    return input;
  },
  encode(out) {
    return empty(200, {
      ETag: quoted(out.version.etag),
      'x-amz-version-id': versionHeader(out.version, out.versioned && out.version.versionId !== 'null'),
      ...checksumHeaders(out.version),
      ...encryptionHeaders(out.version.encryption, true),
    });
  },
};


const OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

function decodeGet(req: RestRequest): GetObjectInput {
  const input: GetObjectInput = {
    bucket: bucketOf(req),
    key: keyOf(req),
    conditions: readPreconditions(req.headers),
    overrides: {},
  };
  const versionId = optionalQuery(req, 'versionId');
  if (versionId !== undefined) input.versionId = versionId;
  if (req.headers['range'] !== undefined) input.range = req.headers['range'];
  const pn = optionalQuery(req, 'partNumber');
  if (pn !== undefined) {
    const n = Number(pn);
    if (!/^\d+$/.test(pn) || n < 1 || n > 10000) throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: pn });
    input.partNumber = n;
  }
  if (req.headers['x-amz-checksum-mode'] !== undefined) input.checksumMode = req.headers['x-amz-checksum-mode'];
  const customerKey = customerKeyFrom(req.headers);
  if (customerKey) input.customerKey = customerKey;
  for (const [q, header] of Object.entries(OVERRIDES)) {
    const v = optionalQuery(req, q);
    if (v !== undefined) input.overrides[header] = v;
  }
  return input;
}

function encodeGet(out: GetObjectOutput, input: GetObjectInput, withBody: boolean): RestResponse {
  const v = out.version;
  const headers = objectResponseHeaders(v);
  let status = 200;
  if (out.range) {
    status = 206;
    headers['Content-Range'] = `bytes ${out.range.start}-${out.range.end}/${v.size}`;
    headers['Content-Length'] = out.range.end - out.range.start + 1;
  } else {
    headers['Content-Length'] = v.size;
  }
  if (input.partNumber !== undefined && v.partsCount !== undefined) headers['x-amz-mp-parts-count'] = v.partsCount;
  if (out.checksumMode && v.checksum && (!out.range || input.partNumber !== undefined && v.data?.kind !== 'parts')) {
    Object.assign(headers, checksumHeaders(v));
  }
  Object.assign(headers, out.overrides);
  return { status, headers, body: withBody ? out.body : undefined };
}

export const GetObject: Wire<GetObjectInput, GetObjectOutput> = {
  async decode(req) {
    await discardBody(req.body);
    return decodeGet(req);
  },
  encode: (out, input) => encodeGet(out, input, true),
};

export const HeadObject: Wire<GetObjectInput, GetObjectOutput> = {
  async decode(req) {
    await discardBody(req.body);
    return decodeGet(req);
  },
  encode: (out, input) => encodeGet(out, input, false),
};

export const DeleteObject: Wire<D.DeleteObjectInput, D.DeleteObjectOutput> = {
  async decode(req) {
    await discardBody(req.body);
    const input: D.DeleteObjectInput = { bucket: bucketOf(req), key: keyOf(req) };
    const versionId = optionalQuery(req, 'versionId');
    if (versionId !== undefined) input.versionId = versionId;
    return input;
  },
  encode(out) {
    return empty(204, { 'x-amz-version-id': out.versionId, 'x-amz-delete-marker': out.deleteMarker ? 'true' : undefined });
  },
};

export const DeleteObjects: Wire<D.DeleteObjectsInput, D.DeleteObjectsOutput> = {
  async decode(req) {
    const h = req.headers;
    const hasChecksum = h['content-md5'] !== undefined || Object.values(CHECKSUM_HEADERS).some((n) => h[n] !== undefined)
      || h['x-amz-trailer'] !== undefined || h['x-amz-sdk-checksum-algorithm'] !== undefined;
    const doc = await readXmlBody(req.body, 'Delete', 2 * 1024 * 1024);
    if (!hasChecksum) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
    const objects = asArray(doc['Object'] as unknown).map((o) => {
      if (!o || typeof o !== 'object') throw s3Error('MalformedXML');
      const key = text((o as Record<string, unknown>)['Key']);
      if (key === undefined) throw s3Error('MalformedXML');
      const versionId = text((o as Record<string, unknown>)['VersionId']);
      return versionId === undefined ? { key } : { key, versionId };
    });
    if (objects.length === 0 || objects.length > 1000) throw s3Error('MalformedXML');
    const quiet = text(doc['Quiet'])?.trim().toLowerCase() === 'true';
    return { bucket: bucketOf(req), quiet, objects, denied: new Set<number>() };
  },
  encode(out) {
    return xmlResponse(toXml('DeleteResult', {
      Deleted: out.quiet ? undefined : out.deleted.map((d) => ({
        Key: d.key, VersionId: d.versionId, DeleteMarker: d.deleteMarker, DeleteMarkerVersionId: d.deleteMarkerVersionId,
      })),
      Error: out.errors.map((e) => ({ Key: e.key, VersionId: e.versionId, Code: e.code, Message: e.message })),
    }, S3_NS));
  },
};

function directive(v: string | undefined, name: string): 'COPY' | 'REPLACE' {
  if (v === undefined) return 'COPY';
  const u = v.toUpperCase();
  if (u !== 'COPY' && u !== 'REPLACE') throw s3Error('InvalidArgument', `Unknown ${name}`, { ArgumentName: `x-amz-${name.toLowerCase()}`, ArgumentValue: v });
  return u;
}

export const CopyObject: Wire<W.CopyObjectInput, W.CopyObjectOutput> = {
  async decode(req) {
    await discardBody(req.body);
    const src = parseCopySource(req.headers['x-amz-copy-source']!);
    const attrs = attributesFrom(req.headers);
    const input: W.CopyObjectInput = {
      bucket: bucketOf(req),
      key: keyOf(req),
      sourceBucket: src.bucket,
      sourceKey: src.key,
      sourceConditions: readPreconditions(req.headers, 'x-amz-copy-source-'),
      metadataDirective: directive(req.headers['x-amz-metadata-directive'], 'MetadataDirective'),
      taggingDirective: directive(req.headers['x-amz-tagging-directive'], 'TaggingDirective'),
      headers: attrs.headers,
      userMetadata: attrs.userMetadata,
      tags: attrs.tags,
    };
    if (attrs.storageClass !== undefined) input.storageClass = attrs.storageClass;
    if (attrs.acl !== undefined) input.acl = attrs.acl;
    if (attrs.hasGrants) input.hasGrants = true;
    if (attrs.sse) input.sse = attrs.sse;
    const sourceKey = customerKeyFrom(req.headers, true);
    if (sourceKey) input.sourceCustomerKey = sourceKey;
    if (src.versionId !== undefined) input.sourceVersionId = src.versionId;
    const condition = writeConditionFrom(req.headers);
    if (condition) input.condition = condition;
    return input;
  },
  encode(out) {
    const v = out.version;
    const cs: Record<string, string> = {};
    if (v.checksum) cs[CHECKSUM_XML[v.checksum.algorithm]] = v.checksum.value;
    return xmlResponse(toXml('CopyObjectResult', { ETag: quoted(v.etag), LastModified: v.lastModified, ChecksumType: v.checksum?.type, ...cs }, S3_NS), 200, {
      'x-amz-version-id': versionHeader(v, out.versioned && v.versionId !== 'null'),
      'x-amz-copy-source-version-id': out.source.versionId !== 'null' ? out.source.versionId : undefined,
      ...encryptionHeaders(v.encryption, true),
    });
  },
};

async function decodeTagging(req: RestRequest): Promise<ObjectTaggingInput> {
  const input: ObjectTaggingInput = { bucket: bucketOf(req), key: keyOf(req) };
  const versionId = optionalQuery(req, 'versionId');
  if (versionId !== undefined) input.versionId = versionId;
  return input;
}

export const GetObjectTagging: Wire<ObjectTaggingInput, { versionId: string; tags: Array<[string, string]> }> = {
  async decode(req) {
    await discardBody(req.body);
    return decodeTagging(req);
  },
  encode: (out) => xmlResponse(toXml('Tagging', tagSetXml(out.tags), S3_NS), 200, { 'x-amz-version-id': out.versionId !== 'null' ? out.versionId : undefined }),
};

export const PutObjectTagging: Wire<ObjectTaggingInput & { tags: Array<[string, string]> }, { versionId: string }> = {
  async decode(req) {
    const base = await decodeTagging(req);
    const doc = await readXmlBody(req.body, 'Tagging');
    return { ...base, tags: parseTagSet(doc) };
  },
  encode: (out) => empty(200, { 'x-amz-version-id': out.versionId !== 'null' ? out.versionId : undefined }),
};

export const DeleteObjectTagging: Wire<ObjectTaggingInput, { versionId: string }> = {
  async decode(req) {
    await discardBody(req.body);
    return decodeTagging(req);
  },
  encode: (out) => empty(204, { 'x-amz-version-id': out.versionId !== 'null' ? out.versionId : undefined }),
};

export type { ChecksumAlgorithm };
