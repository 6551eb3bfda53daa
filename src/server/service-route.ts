import type { IncomingHttpHeaders } from 'node:http';

/** Which service and protocol a request speaks, from the request itself (DESIGN §1.2). */
export type ServiceRoute =
  | { service: 's3' }
  | { service: 's3control' }
  | { service: 'kms' | 'organizations'; protocol: 'json'; target: string }
  | { service: 'iam' | 'sts'; protocol: 'query' };

const STS_ACTIONS = new Set([
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'DecodeAuthorizationMessage',
  'GetAccessKeyInfo', 'GetCallerIdentity', 'GetFederationToken', 'GetSessionToken',
]);

/** The service named in a SigV4 credential scope (header or presigned query), if any. */
export function scopeService(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const auth = headers['authorization'];
  const credential = typeof auth === 'string' ? /Credential=([^,\s]+)/.exec(auth)?.[1] : query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const parts = credential.split('/');
  return parts.length >= 5 ? parts[parts.length - 2] : undefined;
}

export function isFormPost(method: string, path: string, headers: IncomingHttpHeaders): boolean {
  const ct = headers['content-type'] ?? '';
  return method === 'POST' && path === '/' && ct.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * Routing needs the action of a Query request only when the credential scope does not name
 * the service (unsigned STS calls): `action` is then read from the form body by the caller.
 */
export function routeService(method: string, path: string, headers: IncomingHttpHeaders, query: URLSearchParams, action?: string): ServiceRoute {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    if (target.startsWith('TrentService.')) return { service: 'kms', protocol: 'json', target };
    if (target.startsWith('AWSOrganizationsV20161128.')) return { service: 'organizations', protocol: 'json', target };
  }
  if (path.startsWith('/v20180820/')) return { service: 's3control' };
  const scoped = scopeService(headers, query);
  if (scoped === 'iam' || scoped === 'sts') return { service: scoped, protocol: 'query' };
  if (isFormPost(method, path, headers) && scoped !== 's3') {
    if (action && STS_ACTIONS.has(action)) return { service: 'sts', protocol: 'query' };
    return { service: scoped === 'sts' ? 'sts' : 'iam', protocol: 'query' };
  }
  return { service: 's3' };
}
