import { s3ControlError } from '../../errors/s3control.js';
import type { AccessGrantsLocationRecord, Tag } from '../../store/meta/sqlite/s3control-types.js';
import { locationArn } from './arns.js';
import type { S3ControlContext } from './context.js';
import { requireInstance } from './instances.js';
import { decodeToken, encodeToken, pageSize } from './pagination.js';
import { parseLocationScope } from './scope.js';
import { checkTags } from './tags.js';

/** Access Grants locations: an S3 scope and the IAM role S3 Access Grants assumes for it. */

export interface LocationOutput {
  CreatedAt: Date;
  AccessGrantsLocationId: string;
  AccessGrantsLocationArn: string;
  LocationScope: string;
  IAMRoleArn: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?[\w+=,.@-]{1,64}$/;

export function checkRoleArn(arn: string): string {
  if (!ROLE_ARN.test(arn)) throw s3ControlError('InvalidIamRole', `The specified IAM Role is invalid: ${arn}`);
  return arn;
}

export const locationOutput = (l: AccessGrantsLocationRecord): LocationOutput => ({
  CreatedAt: new Date(l.createdAt), AccessGrantsLocationId: l.locationId, AccessGrantsLocationArn: l.arn, LocationScope: l.scope, IAMRoleArn: l.roleArn,
});

export function requireLocation(ctx: S3ControlContext, id: string): AccessGrantsLocationRecord {
  requireInstance(ctx);
  const l = ctx.store.getLocation(ctx.accountId, ctx.region, id);
  if (!l) throw s3ControlError('NoSuchAccessGrantsLocationError');
  return l;
}

export interface CreateLocationInput { AccountId: string; LocationScope: string; IAMRoleArn: string; Tags?: Tag[]; id?: string }

/** The id a location gets: `default` for `s3://`, as in AWS; a fresh id otherwise. */
export function newLocationId(i: CreateLocationInput, ctx: S3ControlContext): string {
  i.id ??= i.LocationScope === 's3://' ? 'default' : ctx.newId();
  return i.id;
}

export async function createAccessGrantsLocation(i: CreateLocationInput, ctx: S3ControlContext): Promise<LocationOutput> {
  parseLocationScope(i.LocationScope);
  checkRoleArn(i.IAMRoleArn);
  const tags = checkTags(i.Tags ?? []);
  const id = newLocationId(i, ctx);
  const rec: AccessGrantsLocationRecord = {
    accountId: ctx.accountId, region: ctx.region, locationId: id, arn: locationArn(ctx.region, ctx.accountId, id),
    scope: i.LocationScope, roleArn: i.IAMRoleArn, createdAt: ctx.now().getTime(),
  };
  const r = await ctx.store.createLocation(rec, tags, ctx.limits.locations);
  if (r === 'no-instance') throw s3ControlError('AccessGrantsInstanceNotExistsError');
  if (r === 'exists') throw s3ControlError('AccessGrantsLocationAlreadyExistsError');
  if (r === 'quota') throw s3ControlError('AccessGrantsLocationsQuotaExceededError', `The access grants location quota has been exceeded. Access Grants Locations Quota: ${ctx.limits.locations}.`);
  return locationOutput(rec);
}

export async function getAccessGrantsLocation(i: { AccessGrantsLocationId: string }, ctx: S3ControlContext): Promise<LocationOutput> {
  return locationOutput(requireLocation(ctx, i.AccessGrantsLocationId));
}

export async function updateAccessGrantsLocation(i: { AccessGrantsLocationId: string; IAMRoleArn: string }, ctx: S3ControlContext): Promise<LocationOutput> {
  requireLocation(ctx, i.AccessGrantsLocationId);
  checkRoleArn(i.IAMRoleArn);
  const l = await ctx.store.updateLocationRole(ctx.accountId, ctx.region, i.AccessGrantsLocationId, i.IAMRoleArn);
  if (!l) throw s3ControlError('NoSuchAccessGrantsLocationError');
  return locationOutput(l);
}

export async function deleteAccessGrantsLocation(i: { AccessGrantsLocationId: string }, ctx: S3ControlContext): Promise<void> {
  requireInstance(ctx);
  const r = await ctx.store.deleteLocation(ctx.accountId, ctx.region, i.AccessGrantsLocationId);
  if (r === 'missing') throw s3ControlError('NoSuchAccessGrantsLocationError');
  if (r === 'not-empty') throw s3ControlError('AccessGrantsLocationNotEmptyError');
}

export async function listAccessGrantsLocations(i: { NextToken?: string; MaxResults?: number; LocationScope?: string }, ctx: S3ControlContext): Promise<{ NextToken?: string; AccessGrantsLocationsList: LocationOutput[] }> {
  requireInstance(ctx);
  const limit = pageSize(i.MaxResults);
  const after = decodeToken<string>(i.NextToken, 'string');
  const opts: { scope?: string; afterId?: string; limit: number } = { limit: limit + 1 };
  if (after !== undefined) opts.afterId = after;
  if (i.LocationScope !== undefined) opts.scope = i.LocationScope;
  const rows = ctx.store.listLocations(ctx.accountId, ctx.region, opts);
  const page = rows.slice(0, limit);
  const out: { NextToken?: string; AccessGrantsLocationsList: LocationOutput[] } = { AccessGrantsLocationsList: page.map(locationOutput) };
  if (rows.length > limit) out.NextToken = encodeToken(page[page.length - 1]!.locationId);
  return out;
}
