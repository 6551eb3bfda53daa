import { s3ControlError } from '../../errors/s3control.js';
import type { AccessGrantPermission } from '../../store/meta/sqlite/s3control-types.js';

/**
 * S3 Access Grants scopes. A location scope is `s3://`, `s3://bucket` or `s3://bucket/prefix`;
 * a grant's scope is its location's scope with its sub-prefix appended (`s3://bucket/data/*`,
 * or an object `s3://bucket/data/x.csv`). Matching works on the scope key: the scope without
 * `s3://` and without the trailing `*`, so that a grant covers a target exactly when its key is
 * a prefix of the target's key (object grants: when the keys are equal).
 */

const S3 = 's3://';
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface LocationScope {
  /** The key every grant of the location starts with: '' for `s3://`, `bucket/`, `bucket/prefix/`. */
  baseKey: string;
}

export function parseLocationScope(scope: string): LocationScope {
  const bad = (why: string) => s3ControlError('InvalidRequest', `Invalid LocationScope ${scope}: ${why}`);
  if (!scope.startsWith(S3)) throw bad('it must start with s3://');
  const rest = scope.slice(S3.length);
  if (rest.includes('*')) throw bad('a location scope cannot contain wildcards');
  if (rest === '') return { baseKey: '' };
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket)) throw bad(`${bucket} is not a valid bucket name`);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  return { baseKey: prefix === '' ? `${bucket}/` : `${bucket}/${prefix.endsWith('/') ? prefix : `${prefix}/`}` };
}

export interface GrantScope {
  scope: string;
  scopeKey: string;
  object: boolean;
}

/** A grant's scope from its location's and its sub-prefix (`S3SubPrefix`, `S3PrefixType`). */
export function grantScope(location: LocationScope, subPrefix: string | undefined, object: boolean): GrantScope {
  let sub = subPrefix ?? '';
  if (sub.startsWith('/')) sub = sub.slice(1);
  const bad = (why: string) => s3ControlError('InvalidAccessGrant', `The specified Access Grant is invalid: ${why}`);
  if (object) {
    if (sub === '' || sub.endsWith('/')) throw bad('an object grant needs an S3SubPrefix that names an object');
    if (sub.includes('*')) throw bad('an object grant cannot contain wildcards');
    const key = location.baseKey + sub;
    return { scope: S3 + key, scopeKey: key, object: true };
  }
  if (sub.endsWith('*')) sub = sub.slice(0, -1);
  if (sub.includes('*')) throw bad('a wildcard (*) may only end the S3SubPrefix');
  const key = location.baseKey + sub;
  return { scope: `${S3}${key}*`, scopeKey: key, object: false };
}

export interface Target {
  /** bucket/key (object) or bucket/prefix (prefix target, without the `*`). */
  key: string;
  object: boolean;
}

/** GetDataAccess's target: `s3://bucket/prefix*` (or `s3://bucket/prefix`), or an object with TargetType Object. */
export function parseTarget(target: string, targetType: string | undefined): Target {
  const bad = (why: string) => s3ControlError('InvalidRequest', `Invalid target ${target}: ${why}`);
  if (!target.startsWith(S3)) throw bad('it must start with s3://');
  let key = target.slice(S3.length);
  const object = targetType === 'Object';
  if (!object && key.endsWith('*')) key = key.slice(0, -1);
  if (key.includes('*')) throw bad(object ? 'an object target cannot contain wildcards' : 'a wildcard (*) may only end the target');
  const slash = key.indexOf('/');
  const bucket = slash < 0 ? key : key.slice(0, slash);
  if (!BUCKET.test(bucket)) throw bad('it must name a bucket');
  if (object && (slash < 0 || key.length === slash + 1)) throw bad('an object target must name an object key');
  return { key, object };
}

/** The scope keys that could cover a target: every prefix of its key, the key itself included. */
export function candidateKeys(t: Target): string[] {
  const out: string[] = [];
  for (let n = 0; n <= t.key.length; n++) out.push(t.key.slice(0, n));
  return out;
}

export function grantCovers(g: { scopeKey: string; object: boolean }, t: Target): boolean {
  if (g.object) return t.object && g.scopeKey === t.key;
  return t.key.startsWith(g.scopeKey);
}

export function permissionCovers(granted: AccessGrantPermission, requested: AccessGrantPermission): boolean {
  return granted === 'READWRITE' || granted === requested;
}

/** Does a location cover a prefix (GetAccessGrantsInstanceForPrefix)? */
export function locationCovers(location: LocationScope, prefixKey: string): boolean {
  return prefixKey.startsWith(location.baseKey) || `${prefixKey}/` === location.baseKey;
}
