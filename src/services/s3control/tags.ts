import { s3ControlError } from '../../errors/s3control.js';
import type { Tag } from '../../store/meta/sqlite/s3control-types.js';
import { parseAccessGrantsArn } from './arns.js';
import type { S3ControlContext } from './context.js';

/** Tags of Access Grants resources (instance, locations, grants): TagResource and friends. */

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > 50) throw s3ControlError('TooManyTags');
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128 || t.Value.length > 256 || !TAG_CHARS.test(t.Key) || !TAG_CHARS.test(t.Value)) throw s3ControlError('InvalidTag');
    if (t.Key.toLowerCase().startsWith('aws:')) throw s3ControlError('InvalidTags');
    if (seen.has(t.Key)) throw s3ControlError('InvalidTag', 'There are duplicate tag keys in your request. Remove the duplicate tag keys and try again.');
    seen.add(t.Key);
  }
  return tags;
}

export function tagConditions(tags: Tag[]): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  for (const t of tags) c[`aws:RequestTag/${t.Key}`] = t.Value;
  if (tags.length) c['aws:TagKeys'] = tags.map((t) => t.Key);
  return c;
}

/** The ARN must name an existing access-grants resource of the request's account. */
function requireResource(arn: string, ctx: S3ControlContext): void {
  const r = parseAccessGrantsArn(arn);
  if (!r) throw s3ControlError('NotImplemented', `Tagging ${arn} is not implemented by Coffer: only S3 Access Grants resources can be tagged through S3 Control.`);
  const inst = r.accountId === ctx.accountId && r.region === ctx.region ? ctx.store.getInstance(r.accountId, r.region) : undefined;
  if (!inst) throw s3ControlError('AccessGrantsInstanceNotExistsError');
  if (r.kind === 'location' && !ctx.store.getLocation(r.accountId, r.region, r.id)) throw s3ControlError('NoSuchAccessGrantsLocationError');
  if (r.kind === 'grant' && !ctx.store.getGrant(r.accountId, r.region, r.id)) throw s3ControlError('NoSuchAccessGrantError');
}

export async function tagResource(i: { ResourceArn: string; Tags: Tag[] }, ctx: S3ControlContext): Promise<void> {
  requireResource(i.ResourceArn, ctx);
  if (await ctx.store.tagResource(i.ResourceArn, checkTags(i.Tags)) === 'too-many') throw s3ControlError('TooManyTags');
}

export async function untagResource(i: { ResourceArn: string; TagKeys: string[] }, ctx: S3ControlContext): Promise<void> {
  requireResource(i.ResourceArn, ctx);
  await ctx.store.untagResource(i.ResourceArn, i.TagKeys);
}

export async function listTagsForResource(i: { ResourceArn: string }, ctx: S3ControlContext): Promise<{ Tags: Tag[] }> {
  requireResource(i.ResourceArn, ctx);
  return { Tags: ctx.store.tagsOf(i.ResourceArn) };
}
