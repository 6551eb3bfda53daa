/** The S3 Control operations Coffer implements: S3 Access Grants (S3 API reference, "Amazon S3 Control"). */
export const S3CONTROL_OPERATION_NAMES = [
  'CreateAccessGrantsInstance', 'GetAccessGrantsInstance', 'DeleteAccessGrantsInstance', 'ListAccessGrantsInstances',
  'GetAccessGrantsInstanceForPrefix', 'PutAccessGrantsInstanceResourcePolicy', 'GetAccessGrantsInstanceResourcePolicy',
  'DeleteAccessGrantsInstanceResourcePolicy', 'AssociateAccessGrantsIdentityCenter', 'DissociateAccessGrantsIdentityCenter',
  'CreateAccessGrantsLocation', 'GetAccessGrantsLocation', 'UpdateAccessGrantsLocation', 'DeleteAccessGrantsLocation', 'ListAccessGrantsLocations',
  'CreateAccessGrant', 'GetAccessGrant', 'DeleteAccessGrant', 'ListAccessGrants', 'ListCallerAccessGrants', 'GetDataAccess',
  'TagResource', 'UntagResource', 'ListTagsForResource',
] as const;

export type S3ControlOperationName = typeof S3CONTROL_OPERATION_NAMES[number];
