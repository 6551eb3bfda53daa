import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { AwsError, isAwsError } from '../errors/aws-error.js';
import { asQueryAuthError } from '../protocols/auth-errors.js';
import { decodeQueryInput, parseQueryParams, type QueryDecodeOptions } from '../protocols/query/decode.js';
import { encodeQueryResponse, type QueryEncodeOptions } from '../protocols/query/encode.js';
import type { QueryServiceModel } from '../protocols/query/model.js';
import { missingAuthenticationToken, queryOperation } from '../protocols/query/query-service.js';
import type { App, ServiceHandler } from './app.js';
import { authenticateBuffered, readWholeBody } from './authenticate.js';
import type { RequestContext } from './request-context.js';
import { factsOf } from './request-facts.js';
import type { BaseServiceContext, ServiceOperation } from './service-operation.js';

export interface QueryServiceSpec<C extends BaseServiceContext> {
  /** The generated shape tables (src/protocols/query/shapes/). */
  model: QueryServiceModel;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operations: ReadonlyMap<string, ServiceOperation<any, any, C>>;
  context(principal: Principal, rc: RequestContext): C;
  /** Actions anonymous callers may call (STS AssumeRoleWithWebIdentity); the rest answer anonymousError. */
  allowAnonymous?: ReadonlySet<string>;
  anonymousError?: () => AwsError;
  decode?: QueryDecodeOptions;
  encode?: QueryEncodeOptions;
}

/** AWS Query (IAM, STS): read → authenticate → decode → authorize → operate → encode. */
export function queryServiceHandler<C extends BaseServiceContext>(app: App, spec: QueryServiceSpec<C>): ServiceHandler {
  return async (req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string) => {
    const body = await readWholeBody(req, res);
    rc.bytesIn = body.length;
    const params = parseQueryParams(body, rawQuery);
    const action = params.get('Action');
    if (action) rc.operation = action;
    let principal: Principal;
    try {
      principal = await authenticateBuffered(app, req, rc, rawPath, rawQuery, body);
    } catch (e) {
      throw isAwsError(e) ? asQueryAuthError(e) : e;
    }
    if (principal.type === 'Anonymous' && !(action && spec.allowAnonymous?.has(action))) {
      throw (spec.anonymousError ?? missingAuthenticationToken)();
    }
    const name = queryOperation(spec.model, action, params.get('Version'));
    const op = spec.operations.get(name);
    if (!op) throw new AwsError({ code: 'NotImplemented', status: 501, message: `${name} is not implemented by Coffer.` });
    const raw = decodeQueryInput(spec.model, name, params, spec.decode);
    const input = op.validate ? op.validate(raw) : raw;
    const ctx = spec.context(principal, rc);
    try {
      await app.authorizer.authorize({ principal: op.authorizeAs ? await op.authorizeAs(input, ctx) : principal, operation: name, requests: await op.access(input, ctx), facts: factsOf(rc, app.config.region, app.clock()) });
    } catch (e) {
      throw isAwsError(e) ? asQueryAuthError(e) : e;
    }
    const out = await op.handler(input, ctx);
    const text = encodeQueryResponse(spec.model, name, out, rc.requestId, spec.encode);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/xml');
    res.setHeader('x-amzn-RequestId', rc.requestId);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    rc.bytesOut += Buffer.byteLength(text);
    res.end(text);
  };
}
