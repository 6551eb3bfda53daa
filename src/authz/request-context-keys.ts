import type { Principal } from '../auth/principal.js';
import { principalContextKeys, type RequestPrincipal } from '../policy/index.js';
import type { RequestFacts } from './access.js';

type Context = Record<string, string | string[]>;

/** Global condition keys (IAM User Guide, "AWS global condition context keys") a request carries. */
export function globalContextKeys(p: Principal, rp: RequestPrincipal, facts: RequestFacts | undefined, principalTags: Record<string, string>): Context {
  const c: Context = { ...principalContextKeys(rp) };
  if (facts) {
    c['aws:CurrentTime'] = facts.time.toISOString().replace(/\.\d{3}Z$/, 'Z');
    c['aws:EpochTime'] = String(Math.floor(facts.time.getTime() / 1000));
    c['aws:SecureTransport'] = facts.secureTransport ? 'true' : 'false';
    c['aws:RequestedRegion'] = facts.region;
    if (facts.sourceIp) c['aws:SourceIp'] = facts.sourceIp;
    if (facts.userAgent) c['aws:UserAgent'] = facts.userAgent;
    if (facts.referer) c['aws:Referer'] = facts.referer;
    c['aws:ViaAWSService'] = facts.viaService ? 'true' : 'false';
    if (facts.viaService) c['aws:CalledVia'] = [facts.viaService];
  }
  if (p.type === 'WebIdentity') {
    c['aws:FederatedProvider'] = p.arn;
  } else if (p.type !== 'Anonymous') {
    // For role sessions aws:PrincipalArn is the role's ARN, not the session's.
    c['aws:PrincipalArn'] = p.type === 'AssumedRole' && p.roleArn ? p.roleArn : p.arn;
    c['aws:PrincipalAccount'] = p.accountId;
    c['aws:PrincipalIsAWSService'] = 'false';
    const tags = { ...principalTags, ...(p.session?.tags ?? {}) };
    for (const [k, v] of Object.entries(tags)) c[`aws:PrincipalTag/${k}`] = v;
    if (p.session?.sourceIdentity) c['aws:SourceIdentity'] = p.session.sourceIdentity;
  }
  return c;
}

/** Keys S3 adds to every request (Service Authorization Reference, Amazon S3 condition keys). */
export function s3ContextKeys(facts: RequestFacts | undefined, resourceAccount: string | undefined): Context {
  const c: Context = {};
  if (facts?.authType) {
    c['s3:authType'] = facts.authType;
    c['s3:signatureversion'] = 'AWS4-HMAC-SHA256';
  }
  if (facts?.signatureAgeMs !== undefined) c['s3:signatureAge'] = String(facts.signatureAgeMs);
  if (facts?.tlsVersion) c['s3:TlsVersion'] = facts.tlsVersion;
  if (resourceAccount) c['s3:ResourceAccount'] = resourceAccount;
  return c;
}
