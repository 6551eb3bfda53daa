import { errorFactory } from '../../errors/aws-error.js';

/**
 * IAM's error catalogue: code → HTTP status (from the awsQueryError traits of AWS's model)
 * and a default message; operations pass AWS's own wording for the case at hand.
 */
export const IAM_ERRORS = {
  NoSuchEntity: { status: 404, message: 'The request was rejected because it referenced a resource entity that does not exist.' },
  EntityAlreadyExists: { status: 409, message: 'The request was rejected because it attempted to create a resource that already exists.' },
  DeleteConflict: { status: 409, message: 'The request was rejected because it attempted to delete a resource that has attached subordinate entities.' },
  LimitExceeded: { status: 409, message: 'The request was rejected because it attempted to create resources beyond the current AWS account limits.' },
  MalformedPolicyDocument: { status: 400, message: 'Syntax errors in policy.' },
  InvalidInput: { status: 400, message: 'The request was rejected because an invalid or out-of-range value was supplied for an input parameter.' },
  ValidationError: { status: 400, message: 'The request failed validation.' },
  UnmodifiableEntity: { status: 400, message: 'The request was rejected because service-linked roles are protected Amazon Web Services resources.' },
  PolicyNotAttachable: { status: 400, message: 'The request failed because Amazon Web Services service role policies can only be attached to the service-linked role for that service.' },
  AccessDenied: { status: 403, message: 'Access Denied' },
  ServiceFailure: { status: 500, message: 'The request processing has failed because of an unknown error, exception or failure.' },
} as const;

export const iamError = errorFactory(IAM_ERRORS);

export const noSuchUser = (name: string) => iamError('NoSuchEntity', `The user with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => iamError('NoSuchEntity', `The group with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => iamError('NoSuchEntity', `The role with name ${name} cannot be found.`);
export const noSuchPolicy = (arn: string) => iamError('NoSuchEntity', `Policy ${arn} was not found.`);
export const notAttachable = (arn: string) => iamError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
