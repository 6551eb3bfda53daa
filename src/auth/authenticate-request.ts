/**
 * The call shape src/server/authenticate.ts was written against, kept as a thin adapter
 * over `authenticate` (verify.ts), so there is one SigV4 verifier. New code should call
 * `authenticate` directly.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { formatAmzDate, scopeString } from './sigv4.js';
import { authenticate, type CredentialScope, type SigV4Auth } from './verify.js';

export type { CredentialScope, PayloadMode } from './verify.js';

/** What authentication needs of a request: its bytes-level parts, untouched. */
export interface SignedRequestParts {
  method: string;
  /** As received, still percent-encoded. */
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** Node's rawHeaders: name/value pairs in arrival order (repeated headers kept apart). */
  rawHeaders: string[];
}

export type AuthResult =
  | { kind: 'anonymous' }
  | (SigV4Auth & {
    scope: CredentialScope;
    /** `date/region/service/aws4_request` */
    scopeString: string;
    amzDate: string;
  });

export type SecretLookup = (accessKeyId: string) => Promise<{ secretAccessKey: string } | undefined>;

export const MAX_SKEW_MS = 15 * 60 * 1000;
export const MAX_PRESIGN_SECONDS = 604_800;

/** Headers from rawHeaders with repeats kept as arrays, in arrival order (exact canonical values). */
function distinctHeaders(rawHeaders: readonly string[]): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * `opts.bodySha256`: services other than S3 sign the hash of the whole (small) body, which
 * the caller reads first. `opts.s3` is implied by the credential scope's service and unused.
 */
export async function authenticateRequest(
  req: SignedRequestParts, lookup: SecretLookup, now: Date, opts: { s3: boolean; bodySha256?: string },
): Promise<AuthResult> {
  const result = await authenticate({
    method: req.method,
    rawPath: req.rawPath,
    rawQuery: req.rawQuery,
    headers: req.rawHeaders.length > 0 ? distinctHeaders(req.rawHeaders) : req.headers,
    ...(opts.bodySha256 !== undefined ? { payloadSha256: opts.bodySha256 } : {}),
  }, lookup, now);
  if (result.kind === 'anonymous') return result;
  return {
    ...result,
    scope: result.credentialScope,
    scopeString: scopeString(result.credentialScope),
    amzDate: formatAmzDate(result.requestTime),
  };
}
