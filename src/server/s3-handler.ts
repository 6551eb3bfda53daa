import type { IncomingMessage, ServerResponse } from 'node:http';
import { s3Error } from '../errors/s3.js';
import { routeS3 } from '../protocols/restxml/s3/route.js';
import { S3_WIRES } from '../protocols/restxml/s3/wires.js';
import type { RestRequest } from '../protocols/restxml/rest-message.js';
import { S3_OPERATION_TABLE } from '../services/s3/operations.js';
import type { S3Context } from '../services/s3/types.js';
import { BucketKeyCache, kmsCaller, type EncryptionServices } from '../services/s3/sse-kms.js';
import type { App } from './app.js';
import { writeResponse } from './http-response.js';
import type { RequestContext } from './request-context.js';
import { factsOf } from './request-facts.js';

export interface S3Address { bucket?: string; key?: string }

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw s3Error('InvalidURI', 'Couldn\'t parse the specified URI.');
  }
}

/** Path-style (`/bucket/key`) or virtual-hosted (`bucket.<domain>/key`) addressing. */
export function s3Address(host: string | undefined, rawPath: string, domains: string[]): S3Address {
  const hostname = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  for (const d of domains) {
    if (hostname.endsWith(`.${d}`)) {
      const bucket = hostname.slice(0, -(d.length + 1));
      const key = rawPath.length > 1 ? decodeSegment(rawPath.slice(1)) : undefined;
      return key ? { bucket, key } : { bucket };
    }
  }
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodeSegment(path) };
  const bucket = decodeSegment(path.slice(0, slash));
  const key = decodeSegment(path.slice(slash + 1));
  return key ? { bucket, key } : { bucket };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(',') : v;
  return h;
}

/** S3 Bucket Keys outlive requests: one cache per app. */
const bucketKeyCaches = new WeakMap<App, BucketKeyCache>();

/** What the codec needs to seal and open as this caller: KMS as the principal (kms:ViaService s3.<region>), transport facts. */
function encryptionServices(app: App, rc: RequestContext, principal: S3Context['principal']): EncryptionServices {
  let bucketKeys = bucketKeyCaches.get(app);
  if (!bucketKeys) {
    bucketKeys = new BucketKeyCache();
    bucketKeyCaches.set(app, bucketKeys);
  }
  const services: EncryptionServices = {
    secureTransport: rc.secureTransport,
    allowSseCOverHttp: app.config.allowSseCOverHttp === true,
    memo: new Map(),
    bucketKeys,
  };
  if (app.kms) services.kms = kmsCaller(app.kms, principal, app.config.region, rc.requestId);
  return services;
}

/** The S3 request path: route → authenticate → decode → authorize → operate → encode. */
export async function serveS3(app: App, req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string): Promise<void> {
  const query = new URLSearchParams(rawQuery);
  const address = s3Address(req.headers.host, rawPath, app.config.domains);
  const level = address.key !== undefined ? 'object' : address.bucket !== undefined ? 'bucket' : 'service';
  const method = req.method ?? 'GET';
  if (address.bucket !== undefined) rc.bucket = address.bucket;
  if (address.key !== undefined) rc.key = address.key;
  const routed = routeS3(method, level, query, req.headers);
  if ('error' in routed) throw s3Error('MethodNotAllowed', undefined, { Method: method, ResourceType: level.toUpperCase() }, { Allow: 'GET, PUT, HEAD, DELETE, POST' });
  rc.operation = routed.op;
  const auth = await app.authenticate(req, res, rc, rawPath, rawQuery);
  const operation = S3_OPERATION_TABLE.get(routed.op);
  const wire = S3_WIRES[routed.op];
  if (!operation || !wire) throw s3Error('NotImplemented', `${routed.op} is not implemented by Coffer.`);
  const restReq: RestRequest = { method, query, headers: flatHeaders(req), body: auth.body };
  if (address.bucket !== undefined) restReq.bucket = address.bucket;
  if (address.key !== undefined) restReq.key = address.key;
  const input = await wire.decode(restReq);
  const ctx: S3Context = {
    principal: auth.principal,
    requestId: rc.requestId,
    now: app.clock,
    meta: app.meta,
    blobs: app.blobs,
    codec: app.codec,
    encryption: encryptionServices(app, rc, auth.principal),
    ids: app.ids,
    settings: { region: app.config.region, inlineMaxBytes: app.config.inlineMaxBytes, maxObjectSize: app.config.maxObjectSize },
    versions: new Map(),
  };
  const facts = factsOf(rc, app.config.region, app.clock());
  const denied = await app.authorizer.authorize({ principal: auth.principal, operation: routed.op, requests: await operation.access(input, ctx), facts }, Boolean(operation.partialAccess));
  operation.partialAccess?.(input, denied);
  const output = await operation.handler(input, ctx);
  await writeResponse(res, wire.encode(output, input), rc, method === 'HEAD');
}
