import { errorFactory, type Catalogue } from './aws-error.js';

/**
 * S3 Control's error codes for S3 Access Grants, as in the S3 API reference "List of S3
 * Access Grants error codes", plus the generic codes S3 Control shares with S3.
 */
export const S3CONTROL_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  AccessGrantAlreadyExists: { status: 409, message: 'The specified access grant already exists' },
  AccessGrantsInstanceAlreadyExists: { status: 409, message: 'Access Grants Instance already exists' },
  AccessGrantsInstanceNotEmptyError: { status: 400, message: 'Please clean up locations before deleting the access grants instance' },
  AccessGrantsInstanceNotExistsError: { status: 404, message: 'Access Grants Instance does not exist' },
  AccessGrantsInstanceResourcePolicyNotExists: { status: 404, message: 'Access Grants Instance Resource Policy does not exist' },
  AccessGrantsLocationAlreadyExistsError: { status: 409, message: 'The specified access grants location already exists' },
  AccessGrantsLocationNotEmptyError: { status: 400, message: 'Please clean up access grants before deleting access grants location' },
  AccessGrantsLocationsQuotaExceededError: { status: 409, message: 'The access grants location quota has been exceeded.' },
  AccessGrantsQuotaExceededError: { status: 409, message: 'The access grants quota has been exceeded.' },
  BadDigest: { status: 400, message: 'The Content-MD5 you specified did not match what we received.' },
  InvalidAccessGrant: { status: 400, message: 'The specified Access Grant is invalid' },
  InvalidAccessGrantsLocation: { status: 400, message: 'The specified Access Grants Location is invalid' },
  InvalidIamRole: { status: 400, message: 'The specified IAM Role is invalid' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  InvalidResourcePolicy: { status: 400, message: 'The specified Resource Policy is invalid' },
  InvalidTag: { status: 400, message: 'This request contains a tag key or value that isn\'t valid.' },
  InvalidTags: { status: 400, message: 'Tag keys cannot start with AWS reserved prefix for system tags.' },
  MalformedXML: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  NoSuchAccessGrantError: { status: 404, message: 'The specified access grant does not exist' },
  NoSuchAccessGrantsLocationError: { status: 404, message: 'The specified access grants location does not exist' },
  NotImplemented: { status: 501, message: 'A header you provided implies functionality that is not implemented.' },
  StsNotAuthorizedError: { status: 403, message: 'User: access-grants.s3.amazonaws.com is not authorized to perform: sts:AssumeRole' },
  StsPackedPolicyTooLargeError: { status: 400, message: 'Serialized token too large for session' },
  StsValidationError: { status: 400, message: 'The request did not pass STS validation.' },
  TooManyTags: { status: 400, message: 'The number of tags exceeds the limit of 50 tags. Remove some tags and try again.' },
} as const satisfies Catalogue;

export type S3ControlErrorCode = keyof typeof S3CONTROL_ERRORS;
export const s3ControlError = errorFactory(S3CONTROL_ERRORS);
