import { createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import type { AccessRequest } from '../../authz/access.js';
import type { OidcProvider } from '../../store/meta/iam-types.js';
import type { StsContext } from './context.js';
import { stsError } from './errors.js';
import { parseRoleArn, requireRole, startRoleSession } from './assume-role.js';
import type { TagInput } from './session-inputs.js';

export interface AssumeRoleWithWebIdentityInput {
  RoleArn: string;
  RoleSessionName: string;
  WebIdentityToken: string;
  ProviderId?: string;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  DurationSeconds?: number;
}

interface Jwt {
  header: { alg?: string; kid?: string; typ?: string };
  claims: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

function b64json(part: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* fall through */ }
  throw stsError('InvalidIdentityToken', 'The web identity token is not a valid JSON Web Token.');
}

export function parseJwt(token: string): Jwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw stsError('InvalidIdentityToken', 'The web identity token is not a valid JSON Web Token.');
  return {
    header: b64json(parts[0]!) as Jwt['header'],
    claims: b64json(parts[1]!),
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
    signature: Buffer.from(parts[2]!, 'base64url'),
  };
}

const ALGORITHMS: Record<string, { hash: string; ec?: boolean }> = {
  RS256: { hash: 'sha256' }, RS384: { hash: 'sha384' }, RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', ec: true }, ES384: { hash: 'sha384', ec: true }, ES512: { hash: 'sha512', ec: true },
};

/** The token's signature against the provider's JWKS (key chosen by `kid`). */
export function verifyJwtSignature(jwt: Jwt, jwksText: string | undefined): void {
  const alg = jwt.header.alg ?? '';
  const spec = ALGORITHMS[alg];
  if (!spec) throw stsError('InvalidIdentityToken', `The token's signing algorithm ${alg || '(none)'} is not supported.`);
  let keys: JsonWebKey[] = [];
  try {
    keys = ((JSON.parse(jwksText ?? '{}') as { keys?: JsonWebKey[] }).keys) ?? [];
  } catch {
    keys = [];
  }
  const candidates = keys.filter((k) => (jwt.header.kid === undefined || k['kid'] === jwt.header.kid) && (k['use'] === undefined || k['use'] === 'sig'));
  for (const jwk of candidates) {
    try {
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      const ok = verifySignature(spec.hash, jwt.signingInput, spec.ec ? { key, dsaEncoding: 'ieee-p1363' } : key, jwt.signature);
      if (ok) return;
    } catch { /* try the next key */ }
  }
  throw stsError('InvalidIdentityToken', 'The web identity token signature could not be verified with the keys of the identity provider.');
}

const providerUrl = (iss: string): string => iss.replace(/^https:\/\//, '').replace(/\/$/, '');

/** The provider a token names, in the role's account, with its claims checked (iss, aud, exp, nbf). */
export async function verifiedToken(ctx: StsContext, i: AssumeRoleWithWebIdentityInput): Promise<{ provider: OidcProvider; claims: Record<string, unknown>; url: string }> {
  const jwt = parseJwt(i.WebIdentityToken);
  const iss = typeof jwt.claims['iss'] === 'string' ? jwt.claims['iss'] : '';
  const { accountId } = parseRoleArn(i.RoleArn);
  const url = providerUrl(iss);
  const provider = await ctx.iam.getOidcProvider(`arn:aws:iam::${accountId}:oidc-provider/${url}`);
  if (!provider) throw stsError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
  verifyJwtSignature(jwt, provider.jwks);
  const now = Math.floor(ctx.now().getTime() / 1000);
  const exp = jwt.claims['exp'];
  if (typeof exp !== 'number') throw stsError('InvalidIdentityToken', 'The web identity token has no expiry (exp).');
  if (exp <= now) throw stsError('ExpiredTokenException', 'Token expired: current date/time ' + now + ' must be before the expiration date/time ' + exp);
  const nbf = jwt.claims['nbf'];
  if (typeof nbf === 'number' && nbf > now + 300) throw stsError('InvalidIdentityToken', 'The web identity token is not valid yet (nbf).');
  const aud = jwt.claims['aud'];
  const auds = Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];
  if (!auds.some((a) => provider.clientIds.includes(a))) throw stsError('InvalidIdentityToken', 'Incorrect token audience');
  return { provider, claims: jwt.claims, url };
}

/** The trust policy decides alone, with the provider's claims as condition keys (`<url>:aud`, `<url>:sub`, `<url>:amr`). */
export async function webIdentityAccess(i: AssumeRoleWithWebIdentityInput, ctx: StsContext): Promise<AccessRequest[]> {
  const { claims, url } = await verifiedToken(ctx, i);
  const conditions: Record<string, string | string[]> = { 'sts:RoleSessionName': i.RoleSessionName };
  for (const claim of ['aud', 'sub', 'amr', 'azp', 'oaud']) {
    const v = claims[claim];
    if (typeof v === 'string') conditions[`${url}:${claim}`] = v;
    else if (Array.isArray(v)) conditions[`${url}:${claim}`] = v.map(String);
  }
  if (typeof claims['aud'] === 'string') conditions[`${url}:oaud`] ??= claims['aud'];
  return [{ action: 'sts:AssumeRoleWithWebIdentity', resource: i.RoleArn, conditions }];
}

export async function assumeRoleWithWebIdentity(i: AssumeRoleWithWebIdentityInput, ctx: StsContext) {
  const { provider, claims } = await verifiedToken(ctx, i);
  const role = await requireRole(ctx, i.RoleArn, provider.arn, 'sts:AssumeRoleWithWebIdentity');
  const base = await startRoleSession(ctx, role, undefined, i as { RoleSessionName: string; Tags?: TagInput[] });
  const aud = claims['aud'];
  return {
    ...base,
    SubjectFromWebIdentityToken: String(claims['sub'] ?? ''),
    Provider: provider.url,
    Audience: Array.isArray(aud) ? String(aud[0]) : String(aud ?? ''),
  };
}
