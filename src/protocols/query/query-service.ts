import { AwsError } from '../../errors/aws-error.js';
import type { QueryServiceModel } from './model.js';

/** The protocol-level faults of AWS Query, before any operation runs. */
export function missingAction(): AwsError {
  return new AwsError({ code: 'MissingAction', status: 400, message: 'Missing Action' });
}

export function invalidAction(action: string, version: string): AwsError {
  return new AwsError({ code: 'InvalidAction', status: 400, message: `Could not find operation ${action} for version ${version}` });
}

export function missingAuthenticationToken(): AwsError {
  return new AwsError({ code: 'MissingAuthenticationToken', status: 403, message: 'Request is missing Authentication Token' });
}

/** The operation a request names, checked against the model (name and API version). */
export function queryOperation(model: QueryServiceModel, action: string | undefined, version: string | undefined): string {
  if (!action) throw missingAction();
  const v = version ?? model.version;
  if (v !== model.version || !Object.hasOwn(model.operations, action)) throw invalidAction(action, v);
  return action;
}
