import { errorFactory, type Catalogue } from './aws-error.js';

/**
 * KMS's error codes (the `__type` of AWS JSON 1.1), statuses and default messages. Statuses
 * follow the KMS API Reference ("HTTP Status Code: 400" for every client fault, 500 for
 * KMSInternal/KeyUnavailable/DependencyTimeout), which is what KMS actually sends; the
 * Smithy model's httpError traits (404, 409) only describe the legacy Query mapping.
 * Messages are KMS's where it has a fixed one; most are per call (see services/kms/).
 */
export const KMS_ERRORS = {
  AccessDeniedException: { status: 400, message: 'Access denied' },
  AlreadyExistsException: { status: 400, message: 'The resource already exists.' },
  DependencyTimeoutException: { status: 500, message: 'The system timed out while trying to fulfill the request. You can retry the request.' },
  DisabledException: { status: 400, message: 'The specified KMS key is not enabled.' },
  DryRunOperationException: { status: 412, message: 'The request would have succeeded, but the DryRun option is set.' },
  IncorrectKeyException: { status: 400, message: 'The key ID in the request does not identify a CMK that can perform this operation.' },
  InvalidAliasNameException: { status: 400, message: 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html' },
  InvalidArnException: { status: 400, message: 'The ARN is not valid.' },
  InvalidCiphertextException: { status: 400, message: '' },
  InvalidGrantIdException: { status: 400, message: 'Invalid grant ID.' },
  InvalidGrantTokenException: { status: 400, message: 'Invalid grant token.' },
  InvalidKeyUsageException: { status: 400, message: 'The request was rejected because the specified KeySpec value is not valid for this operation.' },
  InvalidMarkerException: { status: 400, message: 'The marker is not valid.' },
  KMSInternalException: { status: 500, message: 'An internal error occurred. You can retry the request.' },
  KMSInvalidStateException: { status: 400, message: 'The state of the specified resource is not valid for this request.' },
  KeyUnavailableException: { status: 500, message: 'The KMS key is unavailable.' },
  LimitExceededException: { status: 400, message: 'A limit was exceeded.' },
  MalformedPolicyDocumentException: { status: 400, message: 'The key policy is not valid.' },
  // KMS answers a reserved alias (alias/aws/...) with this code and no message.
  NotAuthorizedException: { status: 400, message: '' },
  NotFoundException: { status: 400, message: 'The specified entity or resource could not be found.' },
  TagException: { status: 400, message: 'The tag is not valid.' },
  UnsupportedOperationException: { status: 400, message: 'This operation is not supported.' },
  ValidationException: { status: 400, message: 'The request is not valid.' },
  CustomKeyStoreNotFoundException: { status: 400, message: 'Coffer has no custom key stores.' },
  SerializationException: { status: 400, message: 'Start of structure or map found where not expected' },
} as const satisfies Catalogue;

export type KmsErrorCode = keyof typeof KMS_ERRORS;
export const kmsError = errorFactory(KMS_ERRORS);
