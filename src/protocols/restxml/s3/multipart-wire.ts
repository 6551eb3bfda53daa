import { s3Error } from '../../../errors/s3.js';
import { canonicalUserId } from '../../../services/s3/canonical-id.js';
import type * as M from '../../../services/s3/multipart.js';
import type { ChecksumAlgorithm, MultipartUpload, UploadPart as StoredPart } from '../../../store/meta/types.js';
import { discardBody, readXmlBody } from '../rest-message.js';
import { asArray, S3_NS, text, toXml } from '../xml.js';
import { attributesFrom, CHECKSUM_HEADERS, CHECKSUM_XML, parseCopySource, quoted, readPreconditions, versionHeader, writeConditionFrom } from './headers.js';
import { bucketOf, empty, keyOf, optionalQuery, urlEncoder, xmlResponse, type Wire } from './wire.js';
import { customerKeyFrom, encryptionHeaders } from '../../../services/s3/encryption.js';

function intParam(v: string | undefined, name: string, dflt: number, max: number): number {
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw s3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: v });
  return Math.min(Number(v), max);
}

function partNumberOf(v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) {
    throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: v });
  }
  return Number(v);
}

function uploadIdOf(v: string | undefined): string {
  if (!v) throw s3Error('NoSuchUpload');
  return v;
}

export const CreateMultipartUpload: Wire<M.CreateMultipartUploadInput, MultipartUpload> = {
  async decode(req) {
    await discardBody(req.body);
    const input: M.CreateMultipartUploadInput = { bucket: bucketOf(req), key: keyOf(req), ...attributesFrom(req.headers) };
    if (req.headers['x-amz-checksum-algorithm'] !== undefined) input.checksumAlgorithm = req.headers['x-amz-checksum-algorithm'];
    if (req.headers['x-amz-checksum-type'] !== undefined) input.checksumType = req.headers['x-amz-checksum-type'];
    return input;
  },
  encode(u) {
    return xmlResponse(toXml('InitiateMultipartUploadResult', { Bucket: u.bucket, Key: u.key, UploadId: u.uploadId }, S3_NS), 200, {
      'x-amz-checksum-algorithm': u.checksumAlgorithm,
      'x-amz-checksum-type': u.checksumType,
      ...encryptionHeaders(u.encryption, true),
    });
  },
};

function partChecksumHeaders(p: StoredPart): Record<string, string> {
  return p.checksum ? { [CHECKSUM_HEADERS[p.checksum.algorithm]]: p.checksum.value } : {};
}

export const UploadPart: Wire<M.UploadPartInput, M.UploadPartOutput> = {
  decode(req) {
    const input: M.UploadPartInput = {
      bucket: bucketOf(req),
      key: keyOf(req),
      uploadId: uploadIdOf(optionalQuery(req, 'uploadId')),
      partNumber: partNumberOf(optionalQuery(req, 'partNumber')),
      body: req.body,
    };
    const customerKey = customerKeyFrom(req.headers);
    if (customerKey) input.customerKey = customerKey;
    return input;
  },
  encode: (out) => empty(200, { ETag: quoted(out.part.etag), ...partChecksumHeaders(out.part), ...encryptionHeaders(out.upload.encryption) }),
};

export const UploadPartCopy: Wire<M.UploadPartCopyInput, { part: StoredPart; source: { versionId: string }; upload: MultipartUpload }> = {
  async decode(req) {
    await discardBody(req.body);
    const src = parseCopySource(req.headers['x-amz-copy-source']!);
    const input: M.UploadPartCopyInput = {
      bucket: bucketOf(req),
      key: keyOf(req),
      uploadId: uploadIdOf(optionalQuery(req, 'uploadId')),
      partNumber: partNumberOf(optionalQuery(req, 'partNumber')),
      sourceBucket: src.bucket,
      sourceKey: src.key,
      sourceConditions: readPreconditions(req.headers, 'x-amz-copy-source-'),
    };
    if (src.versionId !== undefined) input.sourceVersionId = src.versionId;
    if (req.headers['x-amz-copy-source-range'] !== undefined) input.sourceRange = req.headers['x-amz-copy-source-range'];
    const customerKey = customerKeyFrom(req.headers);
    if (customerKey) input.customerKey = customerKey;
    const sourceKey = customerKeyFrom(req.headers, true);
    if (sourceKey) input.sourceCustomerKey = sourceKey;
    return input;
  },
  encode(out) {
    return xmlResponse(toXml('CopyPartResult', { ETag: quoted(out.part.etag), LastModified: out.part.lastModified }, S3_NS), 200, {
      'x-amz-copy-source-version-id': out.source.versionId !== 'null' ? out.source.versionId : undefined,
      ...encryptionHeaders(out.upload.encryption),
    });
  },
};

export const CompleteMultipartUpload: Wire<M.CompleteMultipartUploadInput, M.CompleteMultipartUploadOutput> = {
  async decode(req) {
    const uploadId = uploadIdOf(optionalQuery(req, 'uploadId'));
    const doc = await readXmlBody(req.body, 'CompleteMultipartUpload', 4 * 1024 * 1024);
    const parts = asArray(doc['Part'] as unknown).map((p) => {
      if (!p || typeof p !== 'object') throw s3Error('MalformedXML');
      const o = p as Record<string, unknown>;
      const pn = text(o['PartNumber']);
      const etag = text(o['ETag']);
      if (pn === undefined || !/^\d+$/.test(pn.trim()) || etag === undefined) throw s3Error('MalformedXML');
      const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
      for (const [alg, el] of Object.entries(CHECKSUM_XML) as Array<[ChecksumAlgorithm, string]>) {
        const v = text(o[el]);
        if (v !== undefined) checksums[alg] = v;
      }
      return { partNumber: Number(pn.trim()), etag, checksums };
    });
    const input: M.CompleteMultipartUploadInput = { bucket: bucketOf(req), key: keyOf(req), uploadId, parts };
    const condition = writeConditionFrom(req.headers);
    if (condition) input.condition = condition;
    return input;
  },
  encode(out, input) {
    const v = out.version;
    const cs: Record<string, string> = {};
    if (v.checksum) cs[CHECKSUM_XML[v.checksum.algorithm]] = v.checksum.value;
    return xmlResponse(toXml('CompleteMultipartUploadResult', {
      Location: `/${encodeURIComponent(input.bucket)}/${input.key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: input.bucket,
      Key: input.key,
      ETag: quoted(v.etag),
      ...cs,
      ChecksumType: v.checksum?.type,
    }, S3_NS), 200, { 'x-amz-version-id': versionHeader(v, out.versioned && v.versionId !== 'null'), ...encryptionHeaders(v.encryption) });
  },
};

export const AbortMultipartUpload: Wire<{ bucket: string; key: string; uploadId: string }, void> = {
  async decode(req) {
    await discardBody(req.body);
    return { bucket: bucketOf(req), key: keyOf(req), uploadId: uploadIdOf(optionalQuery(req, 'uploadId')) };
  },
  encode: () => empty(204),
};

const initiator = (u: MultipartUpload) => ({ ID: u.initiatorArn, DisplayName: u.initiatorArn });
const uploadOwner = (u: MultipartUpload) => ({ ID: canonicalUserId(u.ownerAccountId), DisplayName: u.ownerAccountId });

export const ListParts: Wire<M.ListPartsInput, M.ListPartsOutput> = {
  async decode(req) {
    await discardBody(req.body);
    return {
      bucket: bucketOf(req),
      key: keyOf(req),
      uploadId: uploadIdOf(optionalQuery(req, 'uploadId')),
      maxParts: intParam(optionalQuery(req, 'max-parts'), 'max-parts', 1000, 1000),
      partNumberMarker: intParam(optionalQuery(req, 'part-number-marker'), 'part-number-marker', 0, 10000),
    };
  },
  encode(out, input) {
    const u = out.upload;
    return xmlResponse(toXml('ListPartsResult', {
      Bucket: u.bucket,
      Key: u.key,
      UploadId: u.uploadId,
      PartNumberMarker: input.partNumberMarker,
      NextPartNumberMarker: out.nextPartNumberMarker ?? 0,
      MaxParts: input.maxParts,
      IsTruncated: out.truncated,
      Part: out.parts.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: p.lastModified,
        ETag: quoted(p.etag),
        Size: p.size,
        ...(p.checksum ? { [CHECKSUM_XML[p.checksum.algorithm]]: p.checksum.value } : {}),
      })),
      Initiator: initiator(u),
      Owner: uploadOwner(u),
      StorageClass: u.storageClass,
      ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.checksumType,
    }, S3_NS));
  },
};

export const ListMultipartUploads: Wire<M.ListUploadsInput, M.ListUploadsOutput> = {
  async decode(req) {
    await discardBody(req.body);
    const input: M.ListUploadsInput = {
      bucket: bucketOf(req),
      prefix: optionalQuery(req, 'prefix') ?? '',
      keyMarker: optionalQuery(req, 'key-marker') ?? '',
      uploadIdMarker: optionalQuery(req, 'upload-id-marker') ?? '',
      maxUploads: intParam(optionalQuery(req, 'max-uploads'), 'max-uploads', 1000, 1000),
    };
    const d = optionalQuery(req, 'delimiter');
    if (d) input.delimiter = d;
    const enc = optionalQuery(req, 'encoding-type');
    if (enc !== undefined) input.encodingType = enc;
    return input;
  },
  encode(out, input) {
    const enc = urlEncoder(input.encodingType);
    return xmlResponse(toXml('ListMultipartUploadsResult', {
      Bucket: input.bucket,
      KeyMarker: enc(input.keyMarker),
      UploadIdMarker: input.uploadIdMarker,
      NextKeyMarker: enc(out.nextKeyMarker),
      NextUploadIdMarker: out.nextUploadIdMarker,
      Delimiter: enc(input.delimiter),
      Prefix: enc(input.prefix),
      MaxUploads: input.maxUploads,
      IsTruncated: out.truncated,
      Upload: out.uploads.map((u) => ({
        Key: enc(u.key), UploadId: u.uploadId, Initiator: initiator(u), Owner: uploadOwner(u), StorageClass: u.storageClass,
        Initiated: u.initiated, ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType,
      })),
      CommonPrefixes: out.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
      EncodingType: input.encodingType,
    }, S3_NS));
  },
};
