import type { AccessGrantPermission } from '../../store/meta/sqlite/s3control-types.js';

/**
 * The session policy GetDataAccess attaches to the location role's session: it scopes the
 * vended credentials to one grant (or, with Privilege Minimal, to the requested target).
 * The credentials can do what both the location role's own policies and this policy allow.
 *
 * READ: the object read actions on the scope's objects, and ListBucket on its bucket with
 * an `s3:prefix` condition. WRITE: the object write actions. KMS: kms:Decrypt (read) and
 * kms:GenerateDataKey (write) on any key — only the role's own policies decide which keys.
 */

export const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAcl', 's3:GetObjectVersionAcl', 's3:ListMultipartUploadParts'];
export const WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload'];

export interface PolicyScope {
  /** bucket/prefix (prefix scope) or bucket/key (object scope); '' for every bucket. */
  key: string;
  object: boolean;
}

export function grantSessionPolicy(scope: PolicyScope, permission: AccessGrantPermission): string {
  const read = permission !== 'WRITE';
  const write = permission !== 'READ';
  const objects = scope.object ? `arn:aws:s3:::${scope.key}` : `arn:aws:s3:::${scope.key}*`;
  const statements: unknown[] = [];
  if (read) statements.push({ Sid: 'ObjectLevelReadPermissions', Effect: 'Allow', Action: READ_ACTIONS, Resource: objects });
  if (write) statements.push({ Sid: 'ObjectLevelWritePermissions', Effect: 'Allow', Action: WRITE_ACTIONS, Resource: objects });
  if (read) {
    const slash = scope.key.indexOf('/');
    if (slash < 0) {
      // Every bucket, or every bucket whose name starts with the key.
      statements.push({ Sid: 'BucketLevelReadPermissions', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${scope.key}*` });
    } else {
      const bucket = scope.key.slice(0, slash);
      const prefix = scope.key.slice(slash + 1);
      const s: Record<string, unknown> = { Sid: 'BucketLevelReadPermissions', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` };
      if (scope.object) s.Condition = { StringEquals: { 's3:prefix': prefix } };
      else if (prefix !== '') s.Condition = { StringLike: { 's3:prefix': `${prefix}*` } };
      statements.push(s);
    }
  }
  const kms = [...(read || write ? ['kms:Decrypt'] : []), ...(write ? ['kms:GenerateDataKey'] : [])];
  statements.push({ Sid: 'KMSPermissions', Effect: 'Allow', Action: kms, Resource: '*' });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
