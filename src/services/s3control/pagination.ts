import { s3ControlError } from '../../errors/s3control.js';

/** Continuation tokens: the position after the last item returned, opaque to clients. */

export function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined || maxResults === 0) return 1000;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000) throw s3ControlError('InvalidRequest', 'MaxResults must be between 0 and 1000');
  return maxResults;
}

export function encodeToken(position: string | number): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

export function decodeToken<T extends string | number>(token: string | undefined, kind: 'string' | 'number'): T | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const p = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p: unknown }).p;
    if (typeof p === kind) return p as T;
  } catch { /* fall through */ }
  throw s3ControlError('InvalidRequest', 'The continuation token provided is invalid');
}
