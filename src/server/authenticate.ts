import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateRequest, type AuthResult } from '../auth/authenticate-request.js';
import { sha256Hex } from '../auth/sigv4.js';
import { ANONYMOUS, rootPrincipal, type Principal } from '../auth/principal.js';
import { verifiedBody } from '../auth/request-body.js';
import { s3Error } from '../errors/s3.js';
import type { AccessKeyRecord } from '../store/meta/types.js';
import type { App, Authenticated } from './app.js';
import type { RequestContext } from './request-context.js';
import { checkSessionToken, sessionPrincipal } from './session-principal.js';

async function principalOf(app: App, k: AccessKeyRecord): Promise<Principal> {
  switch (k.principalKind) {
    case 'Root':
      return rootPrincipal(k.accountId, k.accessKeyId);
    case 'User': {
      // An IAM user's long-term key: the user as IAM has it now (a deleted user's keys are gone).
      const u = await app.iam?.getUser(k.accountId, k.principalName);
      if (!u) throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: k.accessKeyId });
      return { type: 'User', accountId: u.accountId, arn: `arn:aws:iam::${u.accountId}:user${u.path}${u.userName}`, userId: u.userId, userName: u.userName, accessKeyId: k.accessKeyId };
    }
    default:
      // Sessions arrive with STS; until then such keys cannot exist.
      throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: k.accessKeyId });
  }
}

async function verify(app: App, req: IncomingMessage, rc: RequestContext, rawPath: string, rawQuery: string, bodySha256?: string): Promise<{ auth: AuthResult; principal: Principal }> {
  let record: AccessKeyRecord | undefined;
  const opts: { s3: boolean; bodySha256?: string } = { s3: rc.service === 's3' };
  if (bodySha256 !== undefined) opts.bodySha256 = bodySha256;
  const auth = await authenticateRequest(
    { method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers, rawHeaders: req.rawHeaders },
    async (id) => {
      const k = await app.meta.getAccessKey(id);
      if (!k || k.status !== 'Active') return undefined;
      record = k;
      return { secretAccessKey: k.secretAccessKey };
    },
    app.clock(),
    opts,
  );
  let principal = ANONYMOUS;
  if (auth.kind === 'sigv4') {
    checkSessionToken(record!, auth.sessionToken, app.clock());
    app.keyUsage.note(record!.accessKeyId, app.clock(), rc.service ?? 's3', auth.credentialScope.region);
    principal = record!.session ? sessionPrincipal(record!) : await principalOf(app, record!);
    rc.authType = auth.method === 'header' ? 'REST-HEADER' : 'REST-QUERY-STRING';
    rc.signedAt = auth.requestTime.getTime();
  }
  rc.principal = principal;
  return { auth, principal };
}

/** Authenticates one request and hands back its caller and its verified body, still streaming. */
export async function authenticateHttp(app: App, req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string): Promise<Authenticated> {
  const { auth, principal } = await verify(app, req, rc, rawPath, rawQuery);
  const expectContinue = (req.headers['expect'] ?? '').toLowerCase() === '100-continue';
  const body = verifiedBody(req, auth, () => {
    if (expectContinue && !res.headersSent) res.writeContinue();
  }, app.hashPool);
  rc.bytesInOf = body.received;
  return { principal, body };
}

export const MAX_BUFFERED_BODY = 1024 * 1024;

const wholeBodies = new WeakMap<IncomingMessage, Buffer>();

/** Reads a small request body whole (JSON and Query services sign its hash); a second call returns the same bytes. */
export async function readWholeBody(req: IncomingMessage, res: ServerResponse, limit = MAX_BUFFERED_BODY): Promise<Buffer> {
  const cached = wholeBodies.get(req);
  if (cached) return cached;
  if ((req.headers['expect'] ?? '').toLowerCase() === '100-continue') res.writeContinue();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw s3Error('EntityTooLarge', 'Request body too large');
    chunks.push(c);
  }
  if (!req.complete) throw s3Error('IncompleteBody');
  const body = Buffer.concat(chunks);
  wholeBodies.set(req, body);
  return body;
}

/** For JSON and Query services: the caller of a request whose whole body was read first. */
export async function authenticateBuffered(app: App, req: IncomingMessage, rc: RequestContext, rawPath: string, rawQuery: string, body: Buffer): Promise<Principal> {
  const hash = sha256Hex(body);
  const declared = req.headers['x-amz-content-sha256'];
  const { principal } = await verify(app, req, rc, rawPath, rawQuery, hash);
  if (typeof declared === 'string' && /^[0-9a-f]{64}$/.test(declared) && declared !== hash) {
    throw s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: hash });
  }
  return principal;
}
