import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateRequest } from '../auth/authenticate-request.js';
import { ANONYMOUS, rootPrincipal, type Principal } from '../auth/principal.js';
import { verifiedBody } from '../auth/request-body.js';
import { s3Error } from '../errors/s3.js';
import type { AccessKeyRecord } from '../store/meta/types.js';
import type { App, Authenticated } from './app.js';
import type { RequestContext } from './request-context.js';

function principalOf(k: AccessKeyRecord): Principal {
  switch (k.principalKind) {
    case 'Root':
      return rootPrincipal(k.accountId, k.accessKeyId);
    default:
      // Users and sessions arrive with IAM and STS; until then such keys cannot exist.
      throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: k.accessKeyId });
  }
}

/** Authenticates one request and hands back its caller and its verified body. */
export async function authenticateHttp(app: App, req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string): Promise<Authenticated> {
  let record: AccessKeyRecord | undefined;
  const auth = await authenticateRequest(
    { method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers, rawHeaders: req.rawHeaders },
    async (id) => {
      const k = await app.meta.getAccessKey(id);
      if (!k || k.status !== 'Active') return undefined;
      record = k;
      return { secretAccessKey: k.secretAccessKey };
    },
    app.clock(),
    { s3: rc.service === 's3' },
  );
  let principal = ANONYMOUS;
  if (auth.kind === 'sigv4') {
    principal = principalOf(record!);
    rc.authType = auth.method === 'header' ? 'REST-HEADER' : 'REST-QUERY-STRING';
  }
  rc.principal = principal;
  const expectContinue = (req.headers['expect'] ?? '').toLowerCase() === '100-continue';
  const body = verifiedBody(req, auth, () => {
    if (expectContinue && !res.headersSent) res.writeContinue();
  });
  rc.bytesInOf = body.received;
  return { principal, body };
}
