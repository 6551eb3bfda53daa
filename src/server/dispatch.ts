import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../errors/aws-error.js';
import { asAwsError, encodeJsonError, encodeQueryError, encodeS3Error, encodeWrappedXmlError, type EncodedError } from '../protocols/errors.js';
import type { App } from './app.js';
import { newRequestContext, type RequestContext } from './request-context.js';
import { serveS3 } from './s3-handler.js';
import { isFormPost, routeService, scopeService, type ServiceRoute } from './service-route.js';
import { readWholeBody } from './authenticate.js';

const QUERY_NS = { iam: 'https://iam.amazonaws.com/doc/2010-05-08/', sts: 'https://sts.amazonaws.com/doc/2011-06-15/' };

function notImplemented(what: string): AwsError {
  return new AwsError({ code: 'NotImplemented', status: 501, message: `${what} is not implemented by Coffer yet.` });
}

function encodeFor(route: ServiceRoute, e: AwsError, rc: RequestContext): EncodedError {
  switch (route.service) {
    case 's3': return encodeS3Error(e, rc.requestId, rc.hostId, rc.key !== undefined ? `/${rc.bucket}/${rc.key}` : rc.bucket !== undefined ? `/${rc.bucket}` : undefined);
    case 's3control': return encodeWrappedXmlError(e, rc.requestId);
    case 'iam': case 'sts': return encodeQueryError(e, rc.requestId, QUERY_NS[route.service]);
    case 'kms': case 'organizations': return encodeJsonError(e);
  }
}

/** The one entry point of every request: request id, service routing, the error boundary, the access log. */
export function createDispatcher(app: App) {
  return function dispatch(req: IncomingMessage, res: ServerResponse): void {
    const rc = newRequestContext(req, Date.now());
    res.setHeader('x-amz-request-id', rc.requestId);
    res.setHeader('x-amz-id-2', rc.hostId);
    res.setHeader('Server', 'Coffer');
    res.on('close', () => app.accessLog(rc, res.statusCode, !res.writableFinished));
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    let route: ServiceRoute = { service: 's3' };
    const run = async (): Promise<void> => {
      const query = new URLSearchParams(rawQuery);
      // An unsigned Query request (AssumeRoleWithWebIdentity) names its service only by its
      // Action, in the form body: read the (small) body first; the handler reuses it.
      let action: string | undefined;
      if (isFormPost(req.method ?? 'GET', rawPath, req.headers) && scopeService(req.headers, query) === undefined) {
        action = new URLSearchParams((await readWholeBody(req, res)).toString('utf8')).get('Action') ?? undefined;
      }
      route = routeService(req.method ?? 'GET', rawPath, req.headers, query, action);
      rc.service = route.service;
      if (route.service === 's3') return serveS3(app, req, res, rc, rawPath, rawQuery);
      const service = app.services[route.service];
      if (!service) throw notImplemented(route.service === 's3control' ? 'S3 Control' : route.service.toUpperCase());
      return service(req, res, rc, rawPath, rawQuery);
    };
    run().catch((err: unknown) => {
      const e = asAwsError(err);
      rc.errorCode = e.code;
      if (e.code === 'InternalError') app.logger.error({ requestId: rc.requestId, err }, 'internal error');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const enc = encodeFor(route, e, rc);
      res.statusCode = enc.status;
      for (const [k, v] of Object.entries(enc.headers)) res.setHeader(k, v);
      // An unread request body would desynchronise a kept-alive connection.
      if (!req.complete) res.setHeader('Connection', 'close');
      const omit = req.method === 'HEAD' || enc.status === 304;
      if (omit) {
        res.end();
      } else {
        res.setHeader('Content-Length', Buffer.byteLength(enc.body));
        res.end(enc.body);
      }
      rc.bytesOut += omit ? 0 : Buffer.byteLength(enc.body);
    });
  };
}
