import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { AwsError, isAwsError } from '../errors/aws-error.js';
import { asJsonAuthError } from '../protocols/auth-errors.js';
import { encodeJsonOutput, operationFromTarget, parseJsonInput, unknownOperation } from '../protocols/json/json-service.js';
import type { App, ServiceHandler } from './app.js';
import { authenticateBuffered, readWholeBody } from './authenticate.js';
import type { RequestContext } from './request-context.js';
import { factsOf } from './request-facts.js';
import type { BaseServiceContext, ServiceOperation } from './service-operation.js';

export interface JsonServiceSpec<C extends BaseServiceContext> {
  /** `TrentService`, `AWSOrganizationsV20161128`. */
  targetPrefix: string;
  /** Every operation the service defines (from AWS's model): the rest are unknown. */
  allOperations: ReadonlySet<string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operations: ReadonlyMap<string, ServiceOperation<any, any, C>>;
  context(principal: Principal, rc: RequestContext): C;
  /** Anonymous callers get this error (KMS: MissingAuthenticationTokenException). */
  anonymousError?: AwsError;
}

/** AWS JSON 1.1: read → authenticate → decode → authorize → operate → encode. */
export function jsonServiceHandler<C extends BaseServiceContext>(app: App, spec: JsonServiceSpec<C>): ServiceHandler {
  return async (req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const name = operationFromTarget(target, spec.targetPrefix);
    rc.operation = name;
    const body = await readWholeBody(req, res);
    rc.bytesIn = body.length;
    let principal: Principal;
    try {
      principal = await authenticateBuffered(app, req, rc, rawPath, rawQuery, body);
    } catch (e) {
      throw isAwsError(e) ? asJsonAuthError(e) : e;
    }
    if (principal.type === 'Anonymous') {
      throw spec.anonymousError ?? new AwsError({ code: 'MissingAuthenticationTokenException', status: 400, message: 'Missing Authentication Token' });
    }
    if (!spec.allOperations.has(name)) throw unknownOperation(name);
    const op = spec.operations.get(name);
    if (!op) throw new AwsError({ code: 'NotImplemented', status: 501, message: `${name} is not implemented by Coffer.` });
    const raw = parseJsonInput(body);
    const input = op.validate ? op.validate(raw) : raw;
    const ctx = spec.context(principal, rc);
    try {
      await app.authorizer.authorize({ principal: op.authorizeAs ? await op.authorizeAs(input, ctx) : principal, operation: name, requests: await op.access(input, ctx), facts: factsOf(rc, app.config.region, app.clock()) });
    } catch (e) {
      throw isAwsError(e) ? asJsonAuthError(e) : e;
    }
    const out = await op.handler(input, ctx);
    const text = encodeJsonOutput(out);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/x-amz-json-1.1');
    res.setHeader('x-amzn-RequestId', rc.requestId);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    rc.bytesOut += Buffer.byteLength(text);
    res.end(text);
  };
}
