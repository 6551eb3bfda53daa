import { s3Error } from '../../../errors/s3.js';
import type * as B from '../../../services/s3/buckets.js';
import { canonicalUserId } from '../../../services/s3/canonical-id.js';
import { discardBody, readSmallBody, readXmlBody } from '../rest-message.js';
import { asArray, parseXml, S3_NS, text, toXml } from '../xml.js';
import { bucketOf, empty, optionalQuery, xmlResponse, type Wire } from './wire.js';

type BucketInput = { bucket: string };
const bucketOnly = async (req: Parameters<Wire<BucketInput, unknown>['decode']>[0]): Promise<BucketInput> => {
  await discardBody(req.body);
  return { bucket: bucketOf(req) };
};

export const ListBuckets: Wire<B.ListBucketsInput, B.ListBucketsOutput> = {
  decode(req) {
    const input: B.ListBucketsInput = {};
    const max = optionalQuery(req, 'max-buckets');
    if (max !== undefined) {
      const n = Number(max);
      if (!/^\d+$/.test(max) || n < 1 || n > 10000) throw s3Error('InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000.', { ArgumentName: 'max-buckets', ArgumentValue: max });
      input.maxBuckets = n;
    }
    input.continuationToken = optionalQuery(req, 'continuation-token');
    input.prefix = optionalQuery(req, 'prefix');
    input.bucketRegion = optionalQuery(req, 'bucket-region');
    return input;
  },
  encode(out) {
    return xmlResponse(toXml('ListAllMyBucketsResult', {
      Buckets: { Bucket: out.buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region })) },
      Owner: { ID: canonicalUserId(out.ownerAccountId), DisplayName: out.ownerAccountId },
      ContinuationToken: out.continuationToken,
      Prefix: out.prefix,
    }, S3_NS));
  },
};

export const CreateBucket: Wire<B.CreateBucketInput, { location: string }> = {
  async decode(req) {
    const body = await readSmallBody(req.body);
    const input: B.CreateBucketInput = { bucket: bucketOf(req) };
    if (body.trim() !== '') {
      let doc: Record<string, unknown>;
      try {
        doc = parseXml(body);
      } catch {
        throw s3Error('MalformedXML');
      }
      const conf = doc['CreateBucketConfiguration'];
      if (conf === undefined) throw s3Error('MalformedXML');
      if (conf && typeof conf === 'object') {
        const lc = text((conf as Record<string, unknown>)['LocationConstraint']);
        if (lc !== undefined) input.locationConstraint = lc;
      }
    }
    if (req.headers['x-amz-object-ownership'] !== undefined) input.objectOwnership = req.headers['x-amz-object-ownership'];
    if (req.headers['x-amz-acl'] !== undefined) input.acl = req.headers['x-amz-acl'];
    return input;
  },
  encode(out) {
    return empty(200, { Location: out.location });
  },
};

export const HeadBucket: Wire<BucketInput, { region: string }> = {
  decode: bucketOnly,
  encode(out) {
    return empty(200, { 'x-amz-bucket-region': out.region, 'x-amz-access-point-alias': 'false' });
  },
};

export const DeleteBucket: Wire<BucketInput, void> = {
  decode: bucketOnly,
  encode: () => empty(204),
};

export const GetBucketLocation: Wire<BucketInput, { region: string }> = {
  decode: bucketOnly,
  encode(out) {
    // us-east-1 is reported as an empty constraint, as S3 has always done.
    const region = out.region === 'us-east-1' ? '' : out.region;
    return xmlResponse(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NS}">${region}</LocationConstraint>`);
  },
};

export const GetBucketVersioning: Wire<BucketInput, { status: string }> = {
  decode: bucketOnly,
  encode(out) {
    return xmlResponse(toXml('VersioningConfiguration', { Status: out.status === 'Unversioned' ? undefined : out.status }, S3_NS));
  },
};

export const PutBucketVersioning: Wire<B.PutBucketVersioningInput, void> = {
  async decode(req) {
    const doc = await readXmlBody(req.body, 'VersioningConfiguration');
    const input: B.PutBucketVersioningInput = { bucket: bucketOf(req) };
    const status = text(doc['Status']);
    if (status !== undefined) input.status = status;
    const mfa = text(doc['MfaDelete']);
    if (mfa !== undefined) input.mfaDelete = mfa;
    return input;
  },
  encode: () => empty(200),
};

export function parseTagSet(doc: Record<string, unknown>): Array<[string, string]> {
  const set = doc['TagSet'];
  if (set === undefined) throw s3Error('MalformedXML');
  const tags: Array<[string, string]> = [];
  const items = set && typeof set === 'object' ? asArray((set as Record<string, unknown>)['Tag'] as unknown) : [];
  for (const t of items) {
    if (!t || typeof t !== 'object') throw s3Error('MalformedXML');
    const k = text((t as Record<string, unknown>)['Key']);
    const v = text((t as Record<string, unknown>)['Value']) ?? '';
    if (k === undefined) throw s3Error('MalformedXML');
    tags.push([k, v]);
  }
  return tags;
}

export const tagSetXml = (tags: Array<[string, string]>) => ({ TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } });

export const GetBucketTagging: Wire<BucketInput, { tags: Array<[string, string]> }> = {
  decode: bucketOnly,
  encode: (out) => xmlResponse(toXml('Tagging', tagSetXml(out.tags), S3_NS)),
};

export const PutBucketTagging: Wire<{ bucket: string; tags: Array<[string, string]> }, void> = {
  async decode(req) {
    const doc = await readXmlBody(req.body, 'Tagging');
    return { bucket: bucketOf(req), tags: parseTagSet(doc) };
  },
  encode: () => empty(204),
};

export const DeleteBucketTagging: Wire<BucketInput, void> = {
  decode: bucketOnly,
  encode: () => empty(204),
};
