/**
 * Parsing of the two SigV4 carriers — the `Authorization` header and the presigned-URL
 * query parameters — into typed values, with S3's error codes and messages for each way
 * they can be malformed. No cryptography here.
 */
import { s3Error } from '../errors/s3.js';
import { SIGV4_ALGORITHM, parseAmzDate, percentDecode, type CredentialScope } from './sigv4.js';

export interface Credential {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
}

export interface HeaderAuthorization {
  readonly credential: Credential;
  readonly signedHeaders: string[];
  readonly signature: string;
}

export interface PresignedAuthorization extends HeaderAuthorization {
  readonly amzDate: string;
  readonly requestTime: Date;
  /** X-Amz-Expires, seconds. */
  readonly expires: number;
  readonly sessionToken?: string;
  /** X-Amz-Content-Sha256 when the signer hoisted it into the query. */
  readonly contentSha256?: string;
}

const UNSUPPORTED_MECHANISM = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';
// SigV4a: S3 accepts it for Multi-Region Access Points; Coffer has none, so it is unsupported.
const SIGV4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';

const malformedHeader = (detail: string) =>
  s3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`);
const queryError = (message: string) => s3Error('AuthorizationQueryParametersError', message);

type CredentialError = (detail: string) => Error;

function parseCredential(value: string, fail: CredentialError): Credential {
  const parts = value.split('/');
  // The scope is the last four parts. AWS key ids never contain '/', but ids chosen in a
  // bootstrap file might, so everything before the scope is the key id.
  const accessKeyId = parts.slice(0, -4).join('/');
  if (parts.length < 5 || accessKeyId === '') {
    throw fail('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const [date, region, service, terminal] = parts.slice(-4) as [string, string, string, string];
  if (!/^\d{8}$/.test(date) || !parseAmzDate(`${date}T000000Z`)) {
    throw fail(`incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`);
  }
  if (terminal !== 'aws4_request') {
    throw fail(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  }
  // Region is not checked: clients sign with empty or odd regions, and the signature is
  // verified against the scope they used.
  return { accessKeyId, scope: { date, region, service } };
}

function parseSignedHeaders(value: string): string[] {
  return value.split(';').map((h) => h.trim()).filter((h) => h !== '');
}

/** Throws S3's answer for an `Authorization` header that is not usable SigV4. */
export function parseAuthorizationHeader(header: string): HeaderAuthorization {
  const value = header.trim();
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm === 'AWS' || algorithm === SIGV4A_ALGORITHM) throw s3Error('InvalidRequest', UNSUPPORTED_MECHANISM);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw s3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: header });
  }
  const fields = new Map<string, string>();
  // Components are separated by commas, with or without spaces after them.
  for (const component of value.slice(space + 1).split(',')) {
    const c = component.trim();
    if (c === '') continue;
    const eq = c.indexOf('=');
    if (eq <= 0) throw malformedHeader(`the authorization component "${c}" is malformed.`);
    fields.set(c.slice(0, eq).trim(), c.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw malformedHeader('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  return {
    credential: parseCredential(credential, malformedHeader),
    signedHeaders: parseSignedHeaders(signedHeaders),
    signature,
  };
}

/**
 * The query parameters by exact (case-sensitive) name, decoded, first occurrence winning.
 * `+` stays `+` here: X-Amz-Security-Token is base64, where `+` is data.
 */
export function queryParameters(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  if (rawQuery === '') return params;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = percentDecode(eq < 0 ? part : part.slice(0, eq), false).toString('utf8');
    if (params.has(name)) continue;
    params.set(name, eq < 0 ? '' : percentDecode(part.slice(eq + 1), false).toString('utf8'));
  }
  return params;
}

const REQUIRED_QUERY = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
const MAX_EXPIRES = 604800; // seven days: a SigV4 signing key is valid for at most that long

/** Throws S3's answer for presigned-URL parameters that are missing or malformed. */
export function parsePresignedQuery(params: Map<string, string>): PresignedAuthorization {
  if (REQUIRED_QUERY.some((name) => !params.get(name))) {
    throw queryError('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const algorithm = params.get('X-Amz-Algorithm')!;
  if (algorithm === SIGV4A_ALGORITHM) throw s3Error('InvalidRequest', UNSUPPORTED_MECHANISM);
  if (algorithm !== SIGV4_ALGORITHM) throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"');
  const credential = parseCredential(params.get('X-Amz-Credential')!, (d) => queryError(`Error parsing the X-Amz-Credential parameter; ${d}`));
  const amzDate = params.get('X-Amz-Date')!;
  const requestTime = parseAmzDate(amzDate);
  if (!requestTime) throw queryError('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  if (credential.scope.date !== amzDate.slice(0, 8)) {
    throw queryError(`Invalid credential date "${credential.scope.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  }
  const expiresText = params.get('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresText)) throw queryError('X-Amz-Expires should be a number');
  const expires = Number(expiresText);
  if (expires < 0) throw queryError('X-Amz-Expires must be non-negative');
  if (expires > MAX_EXPIRES) {
    throw queryError('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
  }
  const sessionToken = params.get('X-Amz-Security-Token');
  const contentSha256 = params.get('X-Amz-Content-Sha256');
  return {
    credential,
    signedHeaders: parseSignedHeaders(params.get('X-Amz-SignedHeaders')!),
    signature: params.get('X-Amz-Signature')!,
    amzDate,
    requestTime,
    expires,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(contentSha256 !== undefined ? { contentSha256 } : {}),
  };
}
