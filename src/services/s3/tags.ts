import { s3Error } from '../../errors/s3.js';

/** Tag-set rules shared by object and bucket tagging (S3 User Guide, "Categorizing your objects using tags"). */
export function validateTagSet(tags: Array<[string, string]>, max: number): void {
  if (tags.length > max) throw s3Error('InvalidTag', `Object tags cannot be greater than ${max}`);
  const seen = new Set<string>();
  for (const [k, v] of tags) {
    if (k.length < 1 || k.length > 128) throw s3Error('InvalidTag', 'The TagKey you have provided is invalid');
    if (v.length > 256) throw s3Error('InvalidTag', 'The TagValue you have provided is invalid');
    if (k.startsWith('aws:')) throw s3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:');
    if (seen.has(k)) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key');
    seen.add(k);
  }
}

/** `x-amz-tagging` is a URL query string: `k1=v1&k2=v2`. */
export function parseTaggingHeader(header: string): Array<[string, string]> {
  const tags: Array<[string, string]> = [];
  for (const [k, v] of new URLSearchParams(header)) tags.push([k, v]);
  return tags;
}
