import { AwsError } from '../errors/aws-error.js';

/**
 * Authentication fails with S3's codes; JSON and Query services report the same failures
 * under their own names, as AWS does.
 */
const JSON_CODES: Record<string, { code: string; status: number }> = {
  InvalidAccessKeyId: { code: 'UnrecognizedClientException', status: 400 },
  SignatureDoesNotMatch: { code: 'InvalidSignatureException', status: 400 },
  RequestTimeTooSkewed: { code: 'InvalidSignatureException', status: 400 },
  AuthorizationHeaderMalformed: { code: 'IncompleteSignatureException', status: 400 },
  AuthorizationQueryParametersError: { code: 'IncompleteSignatureException', status: 400 },
  AccessDenied: { code: 'AccessDeniedException', status: 400 },
  ExpiredToken: { code: 'ExpiredTokenException', status: 400 },
  InvalidToken: { code: 'UnrecognizedClientException', status: 400 },
  XAmzContentSHA256Mismatch: { code: 'InvalidSignatureException', status: 400 },
  EntityTooLarge: { code: 'SerializationException', status: 400 },
  IncompleteBody: { code: 'SerializationException', status: 400 },
  InvalidRequest: { code: 'IncompleteSignatureException', status: 400 },
  InvalidArgument: { code: 'IncompleteSignatureException', status: 400 },
};

const QUERY_CODES: Record<string, { code: string; status: number }> = {
  InvalidAccessKeyId: { code: 'InvalidClientTokenId', status: 403 },
  SignatureDoesNotMatch: { code: 'SignatureDoesNotMatch', status: 403 },
  RequestTimeTooSkewed: { code: 'SignatureDoesNotMatch', status: 403 },
  AuthorizationHeaderMalformed: { code: 'IncompleteSignature', status: 400 },
  AuthorizationQueryParametersError: { code: 'IncompleteSignature', status: 400 },
  ExpiredToken: { code: 'ExpiredToken', status: 403 },
  InvalidToken: { code: 'InvalidClientTokenId', status: 403 },
  XAmzContentSHA256Mismatch: { code: 'SignatureDoesNotMatch', status: 403 },
  EntityTooLarge: { code: 'InvalidParameterValue', status: 400 },
  IncompleteBody: { code: 'MalformedInput', status: 400 },
  InvalidRequest: { code: 'IncompleteSignature', status: 400 },
  InvalidArgument: { code: 'IncompleteSignature', status: 400 },
};

function remap(e: AwsError, table: Record<string, { code: string; status: number }>): AwsError {
  const m = table[e.code];
  if (!m) return e;
  const message = e.code === 'RequestTimeTooSkewed' ? `Signature expired: the request time is more than 15 minutes from the server time (${String(e.fields['ServerTime'] ?? '')}).` : e.message;
  return new AwsError({ code: m.code, status: m.status, message, headers: e.headers });
}

export const asJsonAuthError = (e: AwsError): AwsError => remap(e, JSON_CODES);
export const asQueryAuthError = (e: AwsError): AwsError => remap(e, QUERY_CODES);
