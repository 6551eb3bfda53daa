// Decoding and constraint checks of KMS request members, with the messages AWS's
// validation layer uses ("1 validation error detected: Value ... at 'keyId' failed to
// satisfy constraint: ...").
import { kmsError } from '../../errors/kms.js';

type Raw = Record<string, unknown>;

/** AWS names members in its messages with a lower-case first letter. */
const wire = (member: string): string => member[0]!.toLowerCase() + member.slice(1);

export function constraintError(member: string, value: unknown, constraint: string) {
  const shown = value === undefined || Buffer.isBuffer(value) ? '' : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return kmsError('ValidationException', `1 validation error detected: Value${shown} at '${wire(member)}' failed to satisfy constraint: ${constraint}`);
}

function serialization(member: string, expected: string) {
  return kmsError('SerializationException', `${member}: expected ${expected}`);
}

export function optString(raw: Raw, member: string, opts: { min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw serialization(member, 'a string');
  if (opts.min !== undefined && v.length < opts.min) throw constraintError(member, v, `Member must have length greater than or equal to ${opts.min}`);
  if (opts.max !== undefined && v.length > opts.max) throw constraintError(member, v, `Member must have length less than or equal to ${opts.max}`);
  if (opts.pattern && !opts.pattern.test(v)) throw constraintError(member, v, `Member must satisfy regular expression pattern: ${opts.pattern.source}`);
  return v;
}

export function reqString(raw: Raw, member: string, opts: { min?: number; max?: number; pattern?: RegExp } = {}): string {
  const v = optString(raw, member, opts);
  if (v === undefined) throw constraintError(member, undefined, 'Member must not be null');
  return v;
}

export function optInt(raw: Raw, member: string, min: number, max: number): number | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw serialization(member, 'an integer');
  if (v < min) throw constraintError(member, String(v), `Member must have value greater than or equal to ${min}`);
  if (v > max) throw constraintError(member, String(v), `Member must have value less than or equal to ${max}`);
  return v;
}

export function optBool(raw: Raw, member: string): boolean | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw serialization(member, 'a boolean');
  return v;
}

export function optEnum<T extends string>(raw: Raw, member: string, values: readonly T[]): T | undefined {
  const v = optString(raw, member);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw constraintError(member, v, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return v as T;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function optBlob(raw: Raw, member: string, min: number, max: number): Buffer | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !BASE64.test(v)) throw serialization(member, 'a base64-encoded blob');
  const b = Buffer.from(v, 'base64');
  if (b.length < min) throw constraintError(member, undefined, `Member must have length greater than or equal to ${min}`);
  if (b.length > max) throw constraintError(member, undefined, `Member must have length less than or equal to ${max}`);
  return b;
}

export function reqBlob(raw: Raw, member: string, min: number, max: number): Buffer {
  const b = optBlob(raw, member, min, max);
  if (b === undefined) throw constraintError(member, undefined, 'Member must not be null');
  return b;
}

/** An encryption context: a map of string to string (AWS bounds its serialized size to 8 KB). */
export function optContext(raw: Raw, member: string): Record<string, string> | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization(member, 'a map of strings');
  const out: Record<string, string> = {};
  let size = 0;
  for (const [k, val] of Object.entries(v as Raw)) {
    if (typeof val !== 'string') throw serialization(member, 'a map of strings');
    out[k] = val;
    size += Buffer.byteLength(k) + Buffer.byteLength(val);
  }
  if (size > 8192) throw kmsError('ValidationException', `${member} exceeds the maximum size of 8192 bytes.`);
  return out;
}

export function optStringList(raw: Raw, member: string, maxItems: number, each: { min?: number; max?: number } = {}): string[] | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw serialization(member, 'a list of strings');
  if (v.length > maxItems) throw constraintError(member, undefined, `Member must have length less than or equal to ${maxItems}`);
  for (const s of v as string[]) {
    if (each.min !== undefined && s.length < each.min) throw constraintError(member, undefined, `Member must have length greater than or equal to ${each.min}`);
    if (each.max !== undefined && s.length > each.max) throw constraintError(member, undefined, `Member must have length less than or equal to ${each.max}`);
  }
  return v as string[];
}

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export function optTags(raw: Raw, member = 'Tags'): Tag[] | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw serialization(member, 'a list of tags');
  return v.map((t: unknown) => {
    if (!t || typeof t !== 'object') throw serialization(member, 'a list of tags');
    const o = t as Raw;
    return { TagKey: reqString(o, 'TagKey', { min: 1, max: 128 }), TagValue: reqString(o, 'TagValue', { min: 0, max: 256 }) };
  });
}

/** Limit/Marker paging: the marker is the opaque position after the last item returned. */
export function paging(raw: Raw, defaultLimit: number, maxLimit: number): { limit: number; after: string } {
  const limit = optInt(raw, 'Limit', 1, 1000) ?? defaultLimit;
  const marker = optString(raw, 'Marker', { min: 1, max: 1024 });
  let after = '';
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64url').toString('utf8');
    if (!decoded.startsWith('m:')) throw kmsError('InvalidMarkerException', 'The marker that specifies where to start is not valid.');
    after = decoded.slice(2);
  }
  return { limit: Math.min(limit, maxLimit), after };
}

export function markerAfter(position: string): string {
  return Buffer.from(`m:${position}`, 'utf8').toString('base64url');
}

/** Runs `fetch(limit + 1)` and shapes Truncated/NextMarker. */
export function page<T>(items: T[], limit: number, position: (t: T) => string): { items: T[]; Truncated: boolean; NextMarker?: string } {
  if (items.length <= limit) return { items, Truncated: false };
  const shown = items.slice(0, limit);
  return { items: shown, Truncated: true, NextMarker: markerAfter(position(shown[shown.length - 1]!)) };
}
