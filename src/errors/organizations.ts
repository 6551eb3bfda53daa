import { errorFactory, type Catalogue } from './aws-error.js';

/**
 * Organizations' error codes (the `__type` of AWS JSON 1.1), statuses and default messages.
 * The Organizations API Reference gives "HTTP Status Code: 400" for every client fault and
 * 500 for ServiceException, which is what the service sends; the Smithy model's httpError
 * traits only describe the legacy mapping. ConstraintViolationException and
 * InvalidInputException carry a `Reason` field.
 */
export const ORGANIZATIONS_ERRORS = {
  AccessDeniedException: { status: 400, message: "You don't have permissions to access this resource." },
  AccountNotFoundException: { status: 400, message: "You specified an account that doesn't exist." },
  AlreadyInOrganizationException: { status: 400, message: 'The AWS account is already a member of an organization.' },
  AWSOrganizationsNotInUseException: { status: 400, message: 'Your account is not a member of an organization.' },
  ChildNotFoundException: { status: 400, message: "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified." },
  ConcurrentModificationException: { status: 400, message: 'The target of the operation is currently being modified by a different request. Try again later.' },
  ConstraintViolationException: { status: 400, message: 'Performing this operation violates a minimum or maximum value limit.' },
  CreateAccountStatusNotFoundException: { status: 400, message: "We can't find a create account request with the CreateAccountRequestId that you specified." },
  DestinationParentNotFoundException: { status: 400, message: "We can't find the destination container (a root or OU) with the ParentId that you specified." },
  DuplicateAccountException: { status: 400, message: 'That account is already present in the specified destination.' },
  DuplicateOrganizationalUnitException: { status: 400, message: 'An OU with the same name already exists.' },
  DuplicatePolicyAttachmentException: { status: 400, message: 'The selected policy is already attached to the specified target.' },
  DuplicatePolicyException: { status: 400, message: 'A policy with the same name already exists.' },
  InvalidInputException: { status: 400, message: 'You specified an invalid value.' },
  MalformedPolicyDocumentException: { status: 400, message: 'The provided policy document does not meet the requirements of the specified policy type.' },
  OrganizationalUnitNotEmptyException: { status: 400, message: 'The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.' },
  OrganizationalUnitNotFoundException: { status: 400, message: "We can't find an OU with the OrganizationalUnitId that you specified." },
  ParentNotFoundException: { status: 400, message: "We can't find a root or OU with the ParentId that you specified." },
  PolicyInUseException: { status: 400, message: 'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.' },
  PolicyNotAttachedException: { status: 400, message: "The policy isn't attached to the specified target in the specified root." },
  PolicyNotFoundException: { status: 400, message: "We can't find a policy with the PolicyId that you specified." },
  PolicyTypeAlreadyEnabledException: { status: 400, message: 'The specified policy type is already enabled in the specified root.' },
  PolicyTypeNotAvailableForOrganizationException: { status: 400, message: "You can't use the specified policy type with the feature set currently enabled for this organization." },
  PolicyTypeNotEnabledException: { status: 400, message: 'The specified policy type is not currently enabled in this root.' },
  RootNotFoundException: { status: 400, message: "We can't find a root with the RootId that you specified." },
  ServiceException: { status: 500, message: 'AWS Organizations can\'t complete your request because of an internal service error. Try again later.' },
  SourceParentNotFoundException: { status: 400, message: "We can't find a source root or OU with the ParentId that you specified." },
  TargetNotFoundException: { status: 400, message: "We can't find a root, OU, account, or email address with the TargetId that you specified." },
  UnsupportedAPIEndpointException: { status: 400, message: 'This action isn\'t available in the current AWS Region.' },
  SerializationException: { status: 400, message: 'Start of structure or map found where not expected' },
} as const satisfies Catalogue;

export type OrganizationsErrorCode = keyof typeof ORGANIZATIONS_ERRORS;
export const organizationsError = errorFactory(ORGANIZATIONS_ERRORS);

/** ConstraintViolationException with its Reason (POLICY_CONTENT_LIMIT_EXCEEDED, …). */
export function constraintViolation(reason: string, message?: string) {
  return organizationsError('ConstraintViolationException', message, { Reason: reason });
}

/** InvalidInputException with its Reason (INVALID_PATTERN, MAX_LENGTH_EXCEEDED, …). */
export function invalidInput(reason: string, message?: string) {
  return organizationsError('InvalidInputException', message, { Reason: reason });
}
