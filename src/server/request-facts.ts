import type { RequestFacts } from '../authz/access.js';
import type { RequestContext } from './request-context.js';

/** What authorization may know about the request itself (global condition keys). */
export function factsOf(rc: RequestContext, region: string, now: Date): RequestFacts {
  const f: RequestFacts = { requestId: rc.requestId, time: now, secureTransport: rc.secureTransport, region };
  if (rc.sourceIp) f.sourceIp = rc.sourceIp;
  if (rc.tlsVersion) f.tlsVersion = rc.tlsVersion;
  if (rc.userAgent) f.userAgent = rc.userAgent;
  if (rc.referer) f.referer = rc.referer;
  if (rc.authType) f.authType = rc.authType;
  if (rc.signedAt !== undefined) f.signatureAgeMs = Math.max(0, now.getTime() - rc.signedAt);
  return f;
}
