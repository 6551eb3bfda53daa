// Decoding and constraint checks of Organizations request members. Organizations reports
// them as InvalidInputException with a Reason (INPUT_REQUIRED, INVALID_PATTERN, …).
import { AwsError } from '../../errors/aws-error.js';
import { invalidInput, organizationsError } from '../../errors/organizations.js';

type Raw = Record<string, unknown>;

export const PATTERNS = {
  accountId: /^\d{12}$/,
  rootId: /^r-[0-9a-z]{4,32}$/,
  ouId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
  parentId: /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  childId: /^(?:\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  targetId: /^(?:r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
  policyId: /^p-[0-9a-zA-Z_]{8,128}$/,
  createAccountRequestId: /^car-[a-z0-9]{8,32}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  accountName: /^[\u0020-\u007E]+$/,
  roleName: /^[\w+=,.@-]{1,64}$/,
} as const;

function serialization(member: string, expected: string) {
  return organizationsError('SerializationException', `${member}: expected ${expected}`);
}

export interface StringRule { min?: number; max?: number; pattern?: RegExp; patternReason?: string }

export function optString(raw: Raw, member: string, rule: StringRule = {}): string | undefined {
  const v = raw[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw serialization(member, 'a string');
  if (rule.min !== undefined && v.length < rule.min) throw invalidInput('MIN_LENGTH_EXCEEDED', `You provided a value that does not meet the required minimum length for ${member}.`);
  if (rule.max !== undefined && v.length > rule.max) throw invalidInput('MAX_LENGTH_EXCEEDED', `You provided a value that exceeds the maximum allowed length for ${member}.`);
  if (rule.pattern && !rule.pattern.test(v)) {
    throw invalidInput(rule.patternReason ?? 'INVALID_PATTERN', `You specified a value for ${member} that does not match the required pattern.`);
  }
  return v;
}

export function reqString(raw: Raw, member: string, rule: StringRule = {}): string {
  const v = optString(raw, member, rule);
  if (v === undefined) throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${member}.`);
  return v;
}

export function optEnum<T extends string>(raw: Raw, member: string, values: readonly T[], reason = 'INVALID_ENUM'): T | undefined {
  const v = optString(raw, member);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw invalidInput(reason, `You specified an invalid value for ${member}.`);
  return v as T;
}

export function reqEnum<T extends string>(raw: Raw, member: string, values: readonly T[], reason = 'INVALID_ENUM'): T {
  const v = optEnum(raw, member, values, reason);
  if (v === undefined) throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${member}.`);
  return v;
}

export const POLICY_TYPES = [
  'SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2',
] as const;
export type PolicyTypeName = (typeof POLICY_TYPES)[number];

export function policyType(raw: Raw, member: string): PolicyTypeName {
  return reqEnum(raw, member, POLICY_TYPES, 'INVALID_ENUM_POLICY_TYPE');
}

// ---- paging: NextToken is an opaque offset, MaxResults 1..20

export interface Paging { offset: number; max: number }

export function paging(raw: Raw): Paging {
  const m = raw['MaxResults'];
  let max = 20;
  if (m !== undefined && m !== null) {
    if (typeof m !== 'number' || !Number.isInteger(m)) throw serialization('MaxResults', 'an integer');
    if (m < 1) throw invalidInput('MIN_VALUE_EXCEEDED', 'You provided a value that is less than the minimum allowed for MaxResults.');
    if (m > 20) throw invalidInput('MAX_VALUE_EXCEEDED', 'You provided a value that exceeds the maximum allowed for MaxResults.');
    max = m;
  }
  const token = optString(raw, 'NextToken');
  let offset = 0;
  if (token !== undefined && token !== '') {
    const n = /^o(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!n) throw invalidInput('INVALID_NEXT_TOKEN', 'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.');
    offset = Number(n[1]);
  }
  return { offset, max };
}

/** One page of `items` and the token of the next, under `key`. */
export function page<T, K extends string>(items: readonly T[], p: Paging, key: K): Record<K, T[]> & { NextToken?: string } {
  const slice = items.slice(p.offset, p.offset + p.max);
  const out = { [key]: slice } as Record<K, T[]> & { NextToken?: string };
  if (p.offset + p.max < items.length) out.NextToken = Buffer.from(`o${p.offset + p.max}`).toString('base64url');
  return out;
}

/** JSON 1.1 timestamps are epoch seconds. */
export const epochSeconds = (ms: number): number => ms / 1000;

/** Resource tags are not kept yet: a request that sets them is refused rather than half-applied. */
export function refuseTags(raw: Raw): void {
  const tags = raw['Tags'];
  if (Array.isArray(tags) && tags.length > 0) {
    throw new AwsError({ code: 'NotImplemented', status: 501, message: 'Tags on Organizations resources are not implemented by Coffer yet.' });
  }
}
