import type { AccessRequest } from '../../authz/access.js';
import type { S3ControlOperationName } from '../../protocols/restxml/s3control/operation-names.js';
import type { Tag } from '../../store/meta/sqlite/s3control-types.js';
import { grantArn, instanceArn, locationArn } from './arns.js';
import type { S3ControlContext } from './context.js';
import { ACCESS_GRANTS_SERVICE, getDataAccess } from './data-access.js';
import * as G from './grants.js';
import * as I from './instances.js';
import * as L from './locations.js';
import * as T from './tags.js';

/**
 * S3 Control's operations as data: the IAM action and resource each needs (Service
 * Authorization Reference, s3) and its handler. The service never checks permissions itself.
 */
export interface S3ControlOperation<In, Out> {
  name: S3ControlOperationName;
  /** May read the store (a location's scope for s3:AccessGrantsLocationScope); never decides. */
  access(input: In, ctx: S3ControlContext): AccessRequest[];
  handler(input: In, ctx: S3ControlContext): Promise<Out>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOperation = S3ControlOperation<any, any>;

const instance = (ctx: S3ControlContext): string => instanceArn(ctx.region, ctx.accountId);
const onInstance = (action: string) => (_i: unknown, ctx: S3ControlContext): AccessRequest[] => [{ action, resource: instance(ctx) }];

function onLocation(action: string, id: string, ctx: S3ControlContext, extra: Record<string, string | string[]> = {}): AccessRequest {
  const l = ctx.store.getLocation(ctx.accountId, ctx.region, id);
  const conditions: Record<string, string | string[]> = { ...extra };
  if (l) conditions['s3:AccessGrantsLocationScope'] = l.scope;
  return { action, resource: locationArn(ctx.region, ctx.accountId, id), conditions };
}

function onGrant(action: string, id: string, ctx: S3ControlContext): AccessRequest {
  const g = ctx.store.getGrant(ctx.accountId, ctx.region, id);
  return { action, resource: grantArn(ctx.region, ctx.accountId, id), conditions: g ? { 's3:AccessGrantScope': g.scope } : {} };
}

/** Passing the location's role to S3 Access Grants needs iam:PassRole on it (IAM User Guide, "Granting a user permissions to pass a role"). */
function passRole(roleArn: string): AccessRequest {
  return { action: 'iam:PassRole', resource: roleArn, conditions: { 'iam:PassedToService': ACCESS_GRANTS_SERVICE } };
}

const tagged = (tags: Tag[] | undefined) => T.tagConditions(tags ?? []);

function op<In, Out>(o: S3ControlOperation<In, Out>): AnyOperation {
  return o;
}

export const S3CONTROL_OPERATIONS: readonly AnyOperation[] = [
  op<I.AccountInput & { Tags?: Tag[] }, I.InstanceOutput>({
    name: 'CreateAccessGrantsInstance',
    access: (i, ctx) => [{ action: 's3:CreateAccessGrantsInstance', resource: instance(ctx), conditions: tagged(i.Tags) }],
    handler: I.createAccessGrantsInstance,
  }),
  op({ name: 'GetAccessGrantsInstance', access: onInstance('s3:GetAccessGrantsInstance'), handler: I.getAccessGrantsInstance }),
  op({ name: 'DeleteAccessGrantsInstance', access: onInstance('s3:DeleteAccessGrantsInstance'), handler: I.deleteAccessGrantsInstance }),
  op({ name: 'ListAccessGrantsInstances', access: () => [{ action: 's3:ListAccessGrantsInstances', resource: '*' }], handler: I.listAccessGrantsInstances }),
  op({ name: 'GetAccessGrantsInstanceForPrefix', access: onInstance('s3:GetAccessGrantsInstanceForPrefix'), handler: I.getAccessGrantsInstanceForPrefix }),
  op({ name: 'PutAccessGrantsInstanceResourcePolicy', access: onInstance('s3:PutAccessGrantsInstanceResourcePolicy'), handler: I.putAccessGrantsInstanceResourcePolicy }),
  op({ name: 'GetAccessGrantsInstanceResourcePolicy', access: onInstance('s3:GetAccessGrantsInstanceResourcePolicy'), handler: I.getAccessGrantsInstanceResourcePolicy }),
  op({ name: 'DeleteAccessGrantsInstanceResourcePolicy', access: onInstance('s3:DeleteAccessGrantsInstanceResourcePolicy'), handler: I.deleteAccessGrantsInstanceResourcePolicy }),
  op({ name: 'AssociateAccessGrantsIdentityCenter', access: onInstance('s3:AssociateAccessGrantsIdentityCenter'), handler: async () => I.identityCenterUnsupported() }),
  op({ name: 'DissociateAccessGrantsIdentityCenter', access: onInstance('s3:DissociateAccessGrantsIdentityCenter'), handler: async () => I.identityCenterUnsupported() }),

  op<L.CreateLocationInput, L.LocationOutput>({
    name: 'CreateAccessGrantsLocation',
    access: (i, ctx) => [
      { action: 's3:CreateAccessGrantsLocation', resource: locationArn(ctx.region, ctx.accountId, L.newLocationId(i, ctx)), conditions: { 's3:AccessGrantsLocationScope': i.LocationScope, ...tagged(i.Tags) } },
      passRole(i.IAMRoleArn),
    ],
    handler: L.createAccessGrantsLocation,
  }),
  op<{ AccessGrantsLocationId: string }, L.LocationOutput>({
    name: 'GetAccessGrantsLocation', access: (i, ctx) => [onLocation('s3:GetAccessGrantsLocation', i.AccessGrantsLocationId, ctx)], handler: L.getAccessGrantsLocation,
  }),
  op<{ AccessGrantsLocationId: string; IAMRoleArn: string }, L.LocationOutput>({
    name: 'UpdateAccessGrantsLocation',
    access: (i, ctx) => [onLocation('s3:UpdateAccessGrantsLocation', i.AccessGrantsLocationId, ctx), passRole(i.IAMRoleArn)],
    handler: L.updateAccessGrantsLocation,
  }),
  op<{ AccessGrantsLocationId: string }, void>({
    name: 'DeleteAccessGrantsLocation', access: (i, ctx) => [onLocation('s3:DeleteAccessGrantsLocation', i.AccessGrantsLocationId, ctx)], handler: L.deleteAccessGrantsLocation,
  }),
  op({ name: 'ListAccessGrantsLocations', access: onInstance('s3:ListAccessGrantsLocations'), handler: L.listAccessGrantsLocations }),

  op<G.CreateGrantInput, G.GrantOutput>({
    name: 'CreateAccessGrant',
    access: (i, ctx) => {
      const scope = G.prospectiveScope(i, ctx);
      const conditions: Record<string, string | string[]> = { ...tagged(i.Tags) };
      if (scope) conditions['s3:AccessGrantScope'] = scope.scope;
      return [{ action: 's3:CreateAccessGrant', resource: grantArn(ctx.region, ctx.accountId, G.newGrantId(i, ctx)), conditions }];
    },
    handler: G.createAccessGrant,
  }),
  op<{ AccessGrantId: string }, G.GrantOutput>({ name: 'GetAccessGrant', access: (i, ctx) => [onGrant('s3:GetAccessGrant', i.AccessGrantId, ctx)], handler: G.getAccessGrant }),
  op<{ AccessGrantId: string }, void>({ name: 'DeleteAccessGrant', access: (i, ctx) => [onGrant('s3:DeleteAccessGrant', i.AccessGrantId, ctx)], handler: G.deleteAccessGrant }),
  op({ name: 'ListAccessGrants', access: onInstance('s3:ListAccessGrants'), handler: G.listAccessGrants }),
  op({ name: 'ListCallerAccessGrants', access: onInstance('s3:ListCallerAccessGrants'), handler: G.listCallerAccessGrants }),
  op({ name: 'GetDataAccess', access: onInstance('s3:GetDataAccess'), handler: getDataAccess }),

  op<{ ResourceArn: string; Tags: Tag[] }, void>({
    name: 'TagResource', access: (i) => [{ action: 's3:TagResource', resource: i.ResourceArn, conditions: tagged(i.Tags) }], handler: T.tagResource,
  }),
  op<{ ResourceArn: string; TagKeys: string[] }, void>({
    name: 'UntagResource', access: (i) => [{ action: 's3:UntagResource', resource: i.ResourceArn, conditions: { 'aws:TagKeys': i.TagKeys } }], handler: T.untagResource,
  }),
  op<{ ResourceArn: string }, { Tags: Tag[] }>({
    name: 'ListTagsForResource', access: (i) => [{ action: 's3:ListTagsForResource', resource: i.ResourceArn }], handler: T.listTagsForResource,
  }),
];

export const S3CONTROL_OPERATION_TABLE: ReadonlyMap<string, AnyOperation> = new Map(S3CONTROL_OPERATIONS.map((o) => [o.name, o]));
