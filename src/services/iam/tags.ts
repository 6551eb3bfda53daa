import { iamError } from './errors.js';

export interface TagInput {
  Key: string;
  Value: string;
}

/** Tag keys are compared without case in IAM: a request may not name one key twice. */
export function tagPairs(tags: readonly TagInput[] | undefined): Array<[string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const t of tags ?? []) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw iamError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
    out.push([t.Key, t.Value ?? '']);
  }
  return out;
}

/** Tags an entity may carry after a change: 50. */
export function checkTagCount(current: Array<[string, string]>, added: Array<[string, string]>): void {
  const keys = new Set(current.map(([k]) => k.toLowerCase()));
  for (const [k] of added) keys.add(k.toLowerCase());
  if (keys.size > 50) throw iamError('LimitExceeded', 'The number of tags has reached the maximum limit.');
}

/** The condition keys a request that sets tags supplies. */
export function requestTagConditions(tags: readonly TagInput[] | undefined): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  if (!tags || tags.length === 0) return c;
  for (const t of tags) c[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  c['aws:TagKeys'] = tags.map((t) => t.Key);
  return c;
}
