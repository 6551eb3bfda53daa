import { errorFactory } from '../../errors/aws-error.js';

/** STS's error catalogue (codes and statuses from the awsQueryError traits of AWS's model). */
export const STS_ERRORS = {
  AccessDenied: { status: 403, message: 'Access denied' },
  ValidationError: { status: 400, message: 'The request failed validation.' },
  InvalidParameterValue: { status: 400, message: 'An invalid or out-of-range value was supplied for an input parameter.' },
  MalformedPolicyDocument: { status: 400, message: 'The request was rejected because the policy document was malformed.' },
  PackedPolicyTooLarge: { status: 400, message: 'Packed policy consumes more than 100 percent of the allotted space.' },
  InvalidIdentityToken: { status: 400, message: 'The web identity token that was passed could not be validated by AWS.' },
  ExpiredTokenException: { status: 400, message: 'Token expired' },
  IDPRejectedClaim: { status: 403, message: 'The identity provider rejected the claim.' },
  RegionDisabledException: { status: 403, message: 'STS is not activated in this region.' },
} as const;

export const stsError = errorFactory(STS_ERRORS);
