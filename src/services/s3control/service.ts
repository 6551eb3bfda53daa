import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { s3ControlError } from '../../errors/s3control.js';
import { routeS3Control } from '../../protocols/restxml/s3control/route.js';
import { decodeS3Control, encodeS3Control } from '../../protocols/restxml/s3control/wires.js';
import type { App, ServiceHandler } from '../../server/app.js';
import { writeResponse } from '../../server/http-response.js';
import type { RequestContext } from '../../server/request-context.js';
import { factsOf } from '../../server/request-facts.js';
import type { IdentityReader } from '../../store/meta/iam-types.js';
import type { AccessGrantsStore } from '../../store/meta/sqlite/s3control-types.js';
import { randomStsIds } from '../sts/operations.js';
import type { StsIds } from '../sts/context.js';
import type { S3ControlContext, S3ControlLimits } from './context.js';
import { S3CONTROL_OPERATION_TABLE } from './operations.js';

export const DEFAULT_LIMITS: S3ControlLimits = { grants: 100_000, locations: 1_000 };

export interface S3ControlOptions {
  limits?: Partial<S3ControlLimits>;
  stsIds?: StsIds;
  newId?: () => string;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(',') : v;
  return h;
}

/**
 * The account a request names: the `x-amz-account-id` header, or the `<account-id>.` host
 * prefix the SDKs' endpoint rules add; both forms are accepted, and must agree.
 */
export function requestAccountId(headers: Record<string, string>): string {
  const header = headers['x-amz-account-id'];
  const host = /^(\d{12})\./.exec(headers.host ?? '')?.[1];
  if (header !== undefined && !/^\d{12}$/.test(header)) throw s3ControlError('InvalidRequest', 'x-amz-account-id must be a 12-digit account id');
  if (header !== undefined && host !== undefined && header !== host) throw s3ControlError('InvalidRequest', `The account id of the host (${host}) and of x-amz-account-id (${header}) differ`);
  const id = header ?? host;
  if (id === undefined) throw s3ControlError('InvalidRequest', 'Missing required header for this request: x-amz-account-id');
  return id;
}

/** S3 Control (REST-XML): route → authenticate → decode → authorize → operate → encode. */
export function s3ControlService(app: App, store: AccessGrantsStore, iam: IdentityReader, opts: S3ControlOptions = {}): ServiceHandler {
  const limits: S3ControlLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const stsIds = opts.stsIds ?? randomStsIds;
  const newId = opts.newId ?? randomUUID;
  return async (req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string) => {
    const method = req.method ?? 'GET';
    const routed = routeS3Control(method, rawPath);
    rc.operation = routed.op;
    const auth = await app.authenticate(req, res, rc, rawPath, rawQuery);
    const headers = flatHeaders(req);
    const accountId = requestAccountId(headers);
    const operation = S3CONTROL_OPERATION_TABLE.get(routed.op);
    if (!operation) throw s3ControlError('NotImplemented', `${routed.op} is not implemented by Coffer.`);
    const input = await decodeS3Control(routed.op, { query: new URLSearchParams(rawQuery), headers, labels: routed.labels, body: auth.body }, accountId);
    const facts = factsOf(rc, app.config.region, app.clock());
    const ctx: S3ControlContext = {
      principal: auth.principal,
      requestId: rc.requestId,
      now: app.clock,
      region: app.config.region,
      accountId,
      store,
      iam,
      meta: app.meta,
      stsIds,
      limits,
      newId,
      authorizeAs: async (principal, name, requests) => {
        await app.authorizer.authorize({ principal, operation: name, requests, facts });
      },
    };
    await app.authorizer.authorize({ principal: auth.principal, operation: routed.op, requests: operation.access(input, ctx), facts });
    const out = await operation.handler(input, ctx);
    await writeResponse(res, encodeS3Control(routed.op, out), rc, false);
  };
}

/** COFFER_ACCESS_GRANTS_LIMIT: grants per instance (default 100,000, as in AWS); lower it for tests. */
export function accessGrantsLimitFromEnv(env: Record<string, string | undefined>): number {
  const v = env.COFFER_ACCESS_GRANTS_LIMIT;
  if (v === undefined || v === '') return DEFAULT_LIMITS.grants;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`COFFER_ACCESS_GRANTS_LIMIT must be a non-negative integer, not ${v}`);
  return n;
}
