import { createHash } from 'node:crypto';
import { s3ControlError } from '../../../errors/s3control.js';
import type { RequestBody } from '../../../services/s3/types.js';
import { readSmallBody, type RestResponse } from '../rest-message.js';
import { asArray, MalformedXmlError, parseXml, text, toXml, type XmlNode, type XmlValue } from '../xml.js';
import type { S3ControlOperationName } from './operation-names.js';

/**
 * S3 Control's REST-XML wire: request members from the `x-amz-account-id` header, the path
 * labels, the query and the XML body (root `<Operation>Request`); results as `<Operation>Result`
 * in the S3 Control namespace. Members keep AWS's names, so inputs read like the model.
 */

export const S3CONTROL_NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

export interface S3ControlRequest {
  query: URLSearchParams;
  headers: Record<string, string>;
  labels: Record<string, string>;
  body: RequestBody;
}

type Input = Record<string, unknown>;

async function xmlBody(req: S3ControlRequest): Promise<Record<string, unknown>> {
  const raw = await readSmallBody(req.body, 512 * 1024);
  const md5 = req.headers['content-md5'];
  if (md5 !== undefined && createHash('md5').update(raw, 'utf8').digest('base64') !== md5) throw s3ControlError('BadDigest');
  if (raw.trim() === '') return {};
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(raw);
  } catch (e) {
    if (e instanceof MalformedXmlError) throw s3ControlError('MalformedXML');
    throw e;
  }
  const root = Object.values(doc)[0];
  return root && typeof root === 'object' ? root as Record<string, unknown> : {};
}

async function noBody(req: S3ControlRequest): Promise<void> {
  for await (const _ of req.body.stream) { /* drain */ }
  await req.body.done;
}

function tagsOf(v: unknown): Array<{ Key: string; Value: string }> | undefined {
  if (v === undefined) return undefined;
  const list = v && typeof v === 'object' ? (v as Record<string, unknown>).Tag : undefined;
  return asArray(list as Record<string, unknown> | Array<Record<string, unknown>> | undefined).map((t) => ({ Key: text(t.Key) ?? '', Value: text(t.Value) ?? '' }));
}

function int(name: string, v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw s3ControlError('InvalidRequest', `${name} must be an integer`);
  return Number(v);
}

function set(o: Input, k: string, v: unknown): void {
  if (v !== undefined && v !== null) o[k] = v;
}

function queryMembers(req: S3ControlRequest, map: Record<string, string>, ints: string[] = []): Input {
  const o: Input = {};
  for (const [member, q] of Object.entries(map)) {
    const v = req.query.get(q);
    if (ints.includes(member)) set(o, member, int(member, v));
    else if (v !== null) o[member] = v;
  }
  return o;
}

function required(o: Input, ...names: string[]): Input {
  for (const n of names) if (o[n] === undefined || o[n] === '') throw s3ControlError('InvalidRequest', `Missing required parameter ${n}`);
  return o;
}

const PAGE = { NextToken: 'nextToken', MaxResults: 'maxResults' };

type Decoder = (req: S3ControlRequest) => Promise<Input>;

const DECODERS: Record<S3ControlOperationName, Decoder> = {
  async CreateAccessGrantsInstance(req) {
    const b = await xmlBody(req);
    const o: Input = {};
    set(o, 'IdentityCenterArn', text(b.IdentityCenterArn));
    set(o, 'Tags', tagsOf(b.Tags));
    return o;
  },
  GetAccessGrantsInstance: async (req) => (await noBody(req), {}),
  DeleteAccessGrantsInstance: async (req) => (await noBody(req), {}),
  ListAccessGrantsInstances: async (req) => (await noBody(req), queryMembers(req, PAGE, ['MaxResults'])),
  GetAccessGrantsInstanceForPrefix: async (req) => (await noBody(req), required(queryMembers(req, { S3Prefix: 's3prefix' }), 'S3Prefix')),
  async PutAccessGrantsInstanceResourcePolicy(req) {
    const b = await xmlBody(req);
    const o: Input = {};
    set(o, 'Policy', text(b.Policy));
    set(o, 'Organization', text(b.Organization));
    return required(o, 'Policy');
  },
  GetAccessGrantsInstanceResourcePolicy: async (req) => (await noBody(req), {}),
  DeleteAccessGrantsInstanceResourcePolicy: async (req) => (await noBody(req), {}),
  async AssociateAccessGrantsIdentityCenter(req) {
    const b = await xmlBody(req);
    const o: Input = {};
    set(o, 'IdentityCenterArn', text(b.IdentityCenterArn));
    return o;
  },
  DissociateAccessGrantsIdentityCenter: async (req) => (await noBody(req), {}),
  async CreateAccessGrantsLocation(req) {
    const b = await xmlBody(req);
    const o: Input = {};
    set(o, 'LocationScope', text(b.LocationScope));
    set(o, 'IAMRoleArn', text(b.IAMRoleArn));
    set(o, 'Tags', tagsOf(b.Tags));
    return required(o, 'LocationScope', 'IAMRoleArn');
  },
  GetAccessGrantsLocation: async (req) => (await noBody(req), { AccessGrantsLocationId: req.labels.AccessGrantsLocationId }),
  async UpdateAccessGrantsLocation(req) {
    const b = await xmlBody(req);
    const o: Input = { AccessGrantsLocationId: req.labels.AccessGrantsLocationId };
    set(o, 'IAMRoleArn', text(b.IAMRoleArn));
    return required(o, 'IAMRoleArn');
  },
  DeleteAccessGrantsLocation: async (req) => (await noBody(req), { AccessGrantsLocationId: req.labels.AccessGrantsLocationId }),
  ListAccessGrantsLocations: async (req) => (await noBody(req), queryMembers(req, { ...PAGE, LocationScope: 'locationscope' }, ['MaxResults'])),
  async CreateAccessGrant(req) {
    const b = await xmlBody(req);
    const o: Input = {};
    set(o, 'AccessGrantsLocationId', text(b.AccessGrantsLocationId));
    const conf = b.AccessGrantsLocationConfiguration as Record<string, unknown> | undefined;
    if (conf && typeof conf === 'object') {
      const sub = text(conf.S3SubPrefix);
      o.AccessGrantsLocationConfiguration = sub !== undefined ? { S3SubPrefix: sub } : {};
    }
    const g = b.Grantee as Record<string, unknown> | undefined;
    if (g && typeof g === 'object') o.Grantee = { GranteeType: text(g.GranteeType), GranteeIdentifier: text(g.GranteeIdentifier) };
    set(o, 'Permission', text(b.Permission));
    set(o, 'ApplicationArn', text(b.ApplicationArn));
    set(o, 'S3PrefixType', text(b.S3PrefixType));
    set(o, 'Tags', tagsOf(b.Tags));
    return required(o, 'AccessGrantsLocationId', 'Grantee', 'Permission');
  },
  GetAccessGrant: async (req) => (await noBody(req), { AccessGrantId: req.labels.AccessGrantId }),
  DeleteAccessGrant: async (req) => (await noBody(req), { AccessGrantId: req.labels.AccessGrantId }),
  ListAccessGrants: async (req) => (await noBody(req), queryMembers(req, {
    ...PAGE, GranteeType: 'granteetype', GranteeIdentifier: 'granteeidentifier', Permission: 'permission', GrantScope: 'grantscope', ApplicationArn: 'application_arn',
  }, ['MaxResults'])),
  async ListCallerAccessGrants(req) {
    await noBody(req);
    const o = queryMembers(req, { ...PAGE, GrantScope: 'grantscope' }, ['MaxResults']);
    const a = req.query.get('allowedByApplication');
    if (a !== null) o.AllowedByApplication = a === 'true';
    return o;
  },
  GetDataAccess: async (req) => (await noBody(req), required(queryMembers(req, {
    Target: 'target', Permission: 'permission', DurationSeconds: 'durationSeconds', Privilege: 'privilege', TargetType: 'targetType',
  }, ['DurationSeconds']), 'Target', 'Permission')),
  async TagResource(req) {
    const b = await xmlBody(req);
    return { ResourceArn: req.labels.ResourceArn, Tags: tagsOf(b.Tags) ?? [] };
  },
  async UntagResource(req) {
    await noBody(req);
    const keys = req.query.getAll('tagKeys').flatMap((k) => k.split(',')).filter((k) => k !== '');
    return { ResourceArn: req.labels.ResourceArn, TagKeys: keys };
  },
  ListTagsForResource: async (req) => (await noBody(req), { ResourceArn: req.labels.ResourceArn }),
};

/** Decodes one request into the operation's input; `AccountId` from the header (or host prefix). */
export async function decodeS3Control(op: S3ControlOperationName, req: S3ControlRequest, accountId: string): Promise<Input> {
  const input = await DECODERS[op](req);
  input.AccountId = accountId;
  return input;
}

/** Lists of the model whose members have an element name of their own. */
const LIST_MEMBERS: Record<string, string> = {
  AccessGrantsList: 'AccessGrant', AccessGrantsInstancesList: 'AccessGrantsInstance', AccessGrantsLocationsList: 'AccessGrantsLocation',
  CallerAccessGrantsList: 'AccessGrant', Tags: 'Tag',
};

function toNode(v: unknown, name?: string): XmlValue {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date || typeof v !== 'object') return v as XmlValue;
  if (Array.isArray(v)) {
    const member = name ? LIST_MEMBERS[name] : undefined;
    const items = v.map((x) => toNode(x));
    return member ? { [member]: items } : items;
  }
  const out: XmlNode = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toNode(x, k);
  return out;
}

const NO_CONTENT = new Set<S3ControlOperationName>(['TagResource', 'UntagResource']);

export function encodeS3Control(op: S3ControlOperationName, out: unknown): RestResponse {
  if (NO_CONTENT.has(op)) return { status: 204, headers: {} };
  if (out === undefined || out === null) return { status: 200, headers: {} };
  const body = toXml(`${op}Result`, toNode(out) as XmlNode, S3CONTROL_NS);
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
}
