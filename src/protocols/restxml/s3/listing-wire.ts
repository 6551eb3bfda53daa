import { s3Error } from '../../../errors/s3.js';
import { canonicalUserId } from '../../../services/s3/canonical-id.js';
import * as L from '../../../services/s3/listing.js';
import type { ObjectVersion } from '../../../store/meta/types.js';
import { discardBody, type RestRequest } from '../rest-message.js';
import { S3_NS, toXml } from '../xml.js';
import { CHECKSUM_XML, quoted } from './headers.js';
import { bucketOf, optionalQuery, urlEncoder, xmlResponse, type Wire } from './wire.js';

async function common(req: RestRequest): Promise<L.ListObjectsInput> {
  await discardBody(req.body);
  const input: L.ListObjectsInput = {
    bucket: bucketOf(req),
    prefix: optionalQuery(req, 'prefix') ?? '',
    maxKeys: L.parseMaxKeys(optionalQuery(req, 'max-keys')),
  };
  const delimiter = optionalQuery(req, 'delimiter');
  if (delimiter) input.delimiter = delimiter;
  const enc = optionalQuery(req, 'encoding-type');
  if (enc !== undefined) input.encodingType = enc;
  return input;
}

/** The elements every listing shares, in S3's order: what was listed and how. */
function listingScope(input: L.ListObjectsInput, out: { commonPrefixes: string[] }, enc: (s: string | undefined) => string | undefined) {
  return {
    Name: input.bucket,
    Prefix: enc(input.prefix),
    Delimiter: enc(input.delimiter),
    MaxKeys: input.maxKeys,
    CommonPrefixes: out.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
    EncodingType: input.encodingType,
  };
}

const owner = (v: ObjectVersion) => ({ ID: canonicalUserId(v.ownerAccountId), DisplayName: v.ownerAccountId });

function contents(rows: ObjectVersion[], enc: (s: string | undefined) => string | undefined, withOwner: boolean) {
  return rows.map((r) => ({
    Key: enc(r.key),
    LastModified: r.lastModified,
    ETag: quoted(r.etag),
    ChecksumAlgorithm: r.checksum ? r.checksum.algorithm : undefined,
    ChecksumType: r.checksum ? r.checksum.type : undefined,
    Size: r.size,
    Owner: withOwner ? owner(r) : undefined,
    StorageClass: r.storageClass,
  }));
}

export const ListObjects: Wire<L.ListObjectsV1Input, L.ListPage> = {
  async decode(req) {
    return { ...(await common(req)), marker: optionalQuery(req, 'marker') ?? '' };
  },
  encode(out, input) {
    const enc = urlEncoder(input.encodingType);
    return xmlResponse(toXml('ListBucketResult', {
      IsTruncated: out.truncated,
      Marker: enc(input.marker),
      NextMarker: out.truncated && input.delimiter ? enc(out.nextMarker) : undefined,
      Contents: contents(out.contents, enc, true),
      ...listingScope(input, out, enc),
    }, S3_NS));
  },
};

export const ListObjectsV2: Wire<L.ListObjectsV2Input, L.ListPage> = {
  async decode(req) {
    const input: L.ListObjectsV2Input = { ...(await common(req)), fetchOwner: optionalQuery(req, 'fetch-owner') === 'true' };
    const sa = optionalQuery(req, 'start-after');
    if (sa !== undefined) input.startAfter = sa;
    const ct = optionalQuery(req, 'continuation-token');
    if (ct !== undefined) {
      if (ct === '') throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
      input.continuationToken = ct;
    }
    return input;
  },
  encode(out, input) {
    const enc = urlEncoder(input.encodingType);
    return xmlResponse(toXml('ListBucketResult', {
      IsTruncated: out.truncated,
      Contents: contents(out.contents, enc, input.fetchOwner),
      ...listingScope(input, out, enc),
      KeyCount: out.contents.length + out.commonPrefixes.length,
      ContinuationToken: input.continuationToken,
      NextContinuationToken: out.truncated && out.nextCursor ? L.encodeToken(out.nextCursor) : undefined,
      StartAfter: enc(input.startAfter),
    }, S3_NS));
  },
};

export const ListObjectVersions: Wire<L.ListVersionsInput, L.VersionsPage> = {
  async decode(req) {
    const input: L.ListVersionsInput = { ...(await common(req)), keyMarker: optionalQuery(req, 'key-marker') ?? '' };
    const vm = optionalQuery(req, 'version-id-marker');
    if (vm) input.versionIdMarker = vm;
    return input;
  },
  encode(out, input) {
    const enc = urlEncoder(input.encodingType);
    // Versions and delete markers interleave in one ordered sequence; the writer keeps
    // element order, so emit them as one list of single-key nodes.
    const entries = out.entries.map((r) => r.isDeleteMarker
      ? { DeleteMarker: { Owner: owner(r), Key: enc(r.key), VersionId: r.versionId, IsLatest: r.isLatest, LastModified: r.lastModified } }
      : { Version: {
        ETag: quoted(r.etag), ChecksumAlgorithm: r.checksum?.algorithm, ChecksumType: r.checksum?.type, Size: r.size, StorageClass: r.storageClass,
        Key: enc(r.key), VersionId: r.versionId, IsLatest: r.isLatest, LastModified: r.lastModified, Owner: owner(r),
      } });
    const body = toXml('ListVersionsResult', {
      IsTruncated: out.truncated,
      KeyMarker: enc(input.keyMarker),
      VersionIdMarker: input.versionIdMarker ?? '',
      NextKeyMarker: enc(out.nextKeyMarker),
      NextVersionIdMarker: out.nextVersionIdMarker,
      '#entries': entries,
      ...listingScope(input, out, enc),
    }, S3_NS);
    return xmlResponse(body);
  },
};

export { CHECKSUM_XML };
