import { s3ControlError } from '../../../errors/s3control.js';
import type { S3ControlOperationName } from './operation-names.js';

/**
 * S3 Control routing: method + path (under `/v20180820/`) to one operation, from the HTTP
 * bindings of AWS's model. Labels come back decoded; `{ResourceArn+}` is greedy.
 */

type Route = { path: RegExp; label?: string; methods: Partial<Record<string, S3ControlOperationName>> };

const P = '/v20180820';
const ROUTES: Route[] = [
  { path: /^\/accessgrantsinstance$/, methods: { POST: 'CreateAccessGrantsInstance', GET: 'GetAccessGrantsInstance', DELETE: 'DeleteAccessGrantsInstance' } },
  { path: /^\/accessgrantsinstances$/, methods: { GET: 'ListAccessGrantsInstances' } },
  { path: /^\/accessgrantsinstance\/prefix$/, methods: { GET: 'GetAccessGrantsInstanceForPrefix' } },
  { path: /^\/accessgrantsinstance\/resourcepolicy$/, methods: { PUT: 'PutAccessGrantsInstanceResourcePolicy', GET: 'GetAccessGrantsInstanceResourcePolicy', DELETE: 'DeleteAccessGrantsInstanceResourcePolicy' } },
  { path: /^\/accessgrantsinstance\/identitycenter$/, methods: { POST: 'AssociateAccessGrantsIdentityCenter', DELETE: 'DissociateAccessGrantsIdentityCenter' } },
  { path: /^\/accessgrantsinstance\/location$/, methods: { POST: 'CreateAccessGrantsLocation' } },
  { path: /^\/accessgrantsinstance\/location\/([^/]+)$/, label: 'AccessGrantsLocationId', methods: { GET: 'GetAccessGrantsLocation', PUT: 'UpdateAccessGrantsLocation', DELETE: 'DeleteAccessGrantsLocation' } },
  { path: /^\/accessgrantsinstance\/locations$/, methods: { GET: 'ListAccessGrantsLocations' } },
  { path: /^\/accessgrantsinstance\/grant$/, methods: { POST: 'CreateAccessGrant' } },
  { path: /^\/accessgrantsinstance\/grant\/([^/]+)$/, label: 'AccessGrantId', methods: { GET: 'GetAccessGrant', DELETE: 'DeleteAccessGrant' } },
  { path: /^\/accessgrantsinstance\/grants$/, methods: { GET: 'ListAccessGrants' } },
  { path: /^\/accessgrantsinstance\/caller\/grants$/, methods: { GET: 'ListCallerAccessGrants' } },
  { path: /^\/accessgrantsinstance\/dataaccess$/, methods: { GET: 'GetDataAccess' } },
  { path: /^\/tags\/(.+)$/, label: 'ResourceArn', methods: { GET: 'ListTagsForResource', POST: 'TagResource', DELETE: 'UntagResource' } },
];

export interface S3ControlRoute {
  op: S3ControlOperationName;
  labels: Record<string, string>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw s3ControlError('InvalidRequest', 'Couldn\'t parse the specified URI.');
  }
}

export function routeS3Control(method: string, rawPath: string): S3ControlRoute {
  const rest = rawPath.startsWith(`${P}/`) ? rawPath.slice(P.length) : rawPath;
  for (const r of ROUTES) {
    const m = r.path.exec(rest);
    if (!m) continue;
    const op = r.methods[method];
    if (!op) throw s3ControlError('MethodNotAllowed', undefined, { Method: method }, { Allow: Object.keys(r.methods).join(', ') });
    return { op, labels: r.label ? { [r.label]: decode(m[1]!) } : {} };
  }
  const first = rest.split('/')[1] ?? '';
  throw s3ControlError('NotImplemented', `The S3 Control API ${method} ${P}/${first} is not implemented by Coffer: it implements S3 Access Grants (accessgrantsinstance…) and tags.`);
}
