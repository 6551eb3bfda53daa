import { s3Error } from '../../../errors/s3.js';
import { canonicalUserId } from '../../../services/s3/canonical-id.js';
import { PAB_FIELDS, type PublicAccessBlock } from '../../../services/s3/public-access-block.js';
import { discardBody, readSmallBody, readXmlBody, type RestRequest } from '../rest-message.js';
import { asArray, S3_NS, text, toXml } from '../xml.js';
import type { BucketEncryption } from '../../../services/s3/encryption.js';
import { bucketOf, empty, keyOf, optionalQuery, xmlResponse, type Wire } from './wire.js';

type BucketInput = { bucket: string };
const bucketOnly = async (req: RestRequest): Promise<BucketInput> => {
  await discardBody(req.body);
  return { bucket: bucketOf(req) };
};

export const PutBucketPolicy: Wire<{ bucket: string; policy: string }, void> = {
  async decode(req) {
    const policy = await readSmallBody(req.body, 64 * 1024);
    if (policy.trim() === '') throw s3Error('MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\'');
    return { bucket: bucketOf(req), policy };
  },
  encode: () => empty(204),
};

export const GetBucketPolicy: Wire<BucketInput, { policy: string }> = {
  decode: bucketOnly,
  encode: (out) => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: out.policy }),
};

export const DeleteBucketPolicy: Wire<BucketInput, void> = { decode: bucketOnly, encode: () => empty(204) };

export const GetBucketPolicyStatus: Wire<BucketInput, { isPublic: boolean }> = {
  decode: bucketOnly,
  encode: (out) => xmlResponse(toXml('PolicyStatus', { IsPublic: out.isPublic }, S3_NS)),
};

export const PutPublicAccessBlock: Wire<{ bucket: string; config: PublicAccessBlock }, void> = {
  async decode(req) {
    const doc = await readXmlBody(req.body, 'PublicAccessBlockConfiguration');
    const config = {} as PublicAccessBlock;
    for (const f of PAB_FIELDS) {
      const v = text(doc[f])?.trim().toLowerCase();
      if (v !== undefined && v !== 'true' && v !== 'false') throw s3Error('MalformedXML');
      config[f] = v === 'true';
    }
    return { bucket: bucketOf(req), config };
  },
  encode: () => empty(200),
};

export const GetPublicAccessBlock: Wire<BucketInput, PublicAccessBlock> = {
  decode: bucketOnly,
  encode: (out) => xmlResponse(toXml('PublicAccessBlockConfiguration', { ...out }, S3_NS)),
};

export const DeletePublicAccessBlock: Wire<BucketInput, void> = { decode: bucketOnly, encode: () => empty(204) };

function aclXml(ownerAccountId: string): string {
  const owner = { ID: canonicalUserId(ownerAccountId), DisplayName: ownerAccountId };
  // The grantee carries an xsi:type attribute, which the element writer does not produce.
  const grant = `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${owner.ID}</ID><DisplayName>${owner.DisplayName}</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>`;
  return toXml('AccessControlPolicy', { Owner: owner }, S3_NS).replace('</AccessControlPolicy>', `<AccessControlList>${grant}</AccessControlList></AccessControlPolicy>`);
}

export const GetBucketAcl: Wire<BucketInput, { ownerAccountId: string }> = {
  decode: bucketOnly,
  encode: (out) => xmlResponse(aclXml(out.ownerAccountId)),
};

export const GetObjectAcl: Wire<{ bucket: string; key: string; versionId?: string }, { ownerAccountId: string; versionId: string }> = {
  async decode(req) {
    await discardBody(req.body);
    const v = optionalQuery(req, 'versionId');
    return v === undefined ? { bucket: bucketOf(req), key: keyOf(req) } : { bucket: bucketOf(req), key: keyOf(req), versionId: v };
  },
  encode: (out) => xmlResponse(aclXml(out.ownerAccountId), 200, { 'x-amz-version-id': out.versionId !== 'null' ? out.versionId : undefined }),
};

function hasGrantHeaders(req: RestRequest): boolean {
  return Object.keys(req.headers).some((h) => h.startsWith('x-amz-grant-'));
}

/** An ACL body that only restates the owner's FULL_CONTROL changes nothing; anything else is a grant. */
async function aclBodyHasGrants(req: RestRequest): Promise<boolean> {
  const body = await readSmallBody(req.body, 64 * 1024);
  if (body.trim() === '') return false;
  const grants = body.match(/<Grant>/g)?.length ?? 0;
  return grants > 1 || (grants === 1 && !/<Permission>\s*FULL_CONTROL\s*<\/Permission>/.test(body));
}

export const PutBucketAcl: Wire<{ bucket: string; acl?: string; hasGrants: boolean }, void> = {
  async decode(req) {
    const hasGrants = hasGrantHeaders(req) || (await aclBodyHasGrants(req));
    const acl = req.headers['x-amz-acl'];
    return acl === undefined ? { bucket: bucketOf(req), hasGrants } : { bucket: bucketOf(req), acl, hasGrants };
  },
  encode: () => empty(200),
};

export const PutObjectAcl: Wire<{ bucket: string; key: string; versionId?: string; acl?: string; hasGrants: boolean }, void> = {
  async decode(req) {
    const hasGrants = hasGrantHeaders(req) || (await aclBodyHasGrants(req));
    const out: { bucket: string; key: string; versionId?: string; acl?: string; hasGrants: boolean } = { bucket: bucketOf(req), key: keyOf(req), hasGrants };
    const acl = req.headers['x-amz-acl'];
    if (acl !== undefined) out.acl = acl;
    const v = optionalQuery(req, 'versionId');
    if (v !== undefined) out.versionId = v;
    return out;
  },
  encode: () => empty(200),
};

export const GetBucketOwnershipControls: Wire<BucketInput, { ownership: string }> = {
  decode: bucketOnly,
  encode: (out) => xmlResponse(toXml('OwnershipControls', { Rule: { ObjectOwnership: out.ownership } }, S3_NS)),
};

export const PutBucketOwnershipControls: Wire<{ bucket: string; ownership: string }, void> = {
  async decode(req) {
    const doc = await readXmlBody(req.body, 'OwnershipControls');
    const rule = doc['Rule'];
    const ownership = rule && typeof rule === 'object' ? text((rule as Record<string, unknown>)['ObjectOwnership']) : undefined;
    if (!ownership) throw s3Error('MalformedXML');
    return { bucket: bucketOf(req), ownership };
  },
  encode: () => empty(200),
};

export const DeleteBucketOwnershipControls: Wire<BucketInput, void> = { decode: bucketOnly, encode: () => empty(204) };

/** ServerSideEncryptionConfiguration: one Rule (ApplyServerSideEncryptionByDefault, BucketKeyEnabled, BlockedEncryptionTypes). */
export const PutBucketEncryption: Wire<{ bucket: string; config: BucketEncryption }, void> = {
  async decode(req) {
    const doc = await readXmlBody(req.body, 'ServerSideEncryptionConfiguration');
    const rules = asArray(doc['Rule'] as unknown);
    if (rules.length !== 1 || !rules[0] || typeof rules[0] !== 'object') throw s3Error('MalformedXML');
    const rule = rules[0] as Record<string, unknown>;
    const byDefault = rule['ApplyServerSideEncryptionByDefault'];
    if (!byDefault || typeof byDefault !== 'object') throw s3Error('MalformedXML');
    const d = byDefault as Record<string, unknown>;
    const sseAlgorithm = text(d['SSEAlgorithm'])?.trim();
    if (!sseAlgorithm) throw s3Error('MalformedXML');
    const config: BucketEncryption = { sseAlgorithm, bucketKeyEnabled: false, blockedEncryptionTypes: ['SSE-C'] };
    const keyId = text(d['KMSMasterKeyID'])?.trim();
    if (keyId) config.kmsMasterKeyId = keyId;
    const bke = text(rule['BucketKeyEnabled'])?.trim().toLowerCase();
    if (bke !== undefined && bke !== 'true' && bke !== 'false') throw s3Error('MalformedXML');
    config.bucketKeyEnabled = bke === 'true';
    // Left out, the bucket keeps AWS's default for new buckets: SSE-C blocked.
    const blocked = rule['BlockedEncryptionTypes'];
    if (blocked !== undefined) {
      const types = typeof blocked === 'object' && blocked !== null ? asArray((blocked as Record<string, unknown>)['EncryptionType']).map((t) => text(t)?.trim() ?? '') : [];
      if (types.length) config.blockedEncryptionTypes = types;
    }
    return { bucket: bucketOf(req), config };
  },
  encode: () => empty(200),
};

export const GetBucketEncryption: Wire<BucketInput, BucketEncryption> = {
  decode: bucketOnly,
  encode: (e) => xmlResponse(toXml('ServerSideEncryptionConfiguration', {
    Rule: {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: e.sseAlgorithm, KMSMasterKeyID: e.kmsMasterKeyId },
      BucketKeyEnabled: e.bucketKeyEnabled,
      BlockedEncryptionTypes: { EncryptionType: e.blockedEncryptionTypes },
    },
  }, S3_NS)),
};

export const DeleteBucketEncryption: Wire<BucketInput, void> = { decode: bucketOnly, encode: () => empty(204) };
