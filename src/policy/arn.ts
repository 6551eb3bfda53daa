/**
 * ARN splitting and ARN-pattern matching.
 *
 * AWS matches resource ARNs (the Resource element, ArnLike/ArnEquals) one colon-delimited
 * segment at a time: `arn:partition:service:region:account:resource`, where the sixth
 * segment is everything after the fifth colon (it may contain more colons and slashes).
 * A `*` in the region segment therefore cannot swallow the account segment, while a `*`
 * in the resource segment matches `/` and `:` alike.
 */
import { compileGlob, hasWildcard, type Matcher } from './glob.js';

/** The six ARN segments, or undefined when the text has fewer than five colons. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const c = arn.indexOf(':', start);
    if (c < 0) return undefined;
    parts.push(arn.slice(start, c));
    start = c + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

/** Split a glob source the same way (colons are never escaped, so plain splitting is exact). */
function splitPattern(src: string): string[] | undefined {
  return splitArn(src);
}

/**
 * A compiled ARN pattern. `whole` is used when the first five segments are literal: matching
 * the whole string is then equivalent to matching segment by segment, and needs no split.
 */
export interface ArnPattern {
  /** Match against the raw request string. */
  readonly test: (arn: string, parts: () => string[] | undefined) => boolean;
}

const ANY: ArnPattern = { test: () => true };

/**
 * Compile an ARN pattern from a glob source. `strict` (ArnLike) requires the value to be an
 * ARN; otherwise (Resource element) a pattern that is not an ARN is compared as a whole string,
 * which is how `*` and non-ARN resource names behave.
 */
export function compileArnPattern(src: string, strict: boolean): ArnPattern {
  if (src === '*') return ANY;
  const segs = splitPattern(src);
  if (!segs) {
    if (strict) return { test: () => false };
    const m = compileGlob(src);
    return { test: (arn) => m(arn) };
  }
  const head = segs.slice(0, 5);
  if (!head.some(hasWildcard)) {
    const m = compileGlob(src);
    // A literal head fixes the first five colons, so a whole-string match implies the split one.
    return { test: (arn) => m(arn) };
  }
  const matchers: Matcher[] = segs.map((s) => compileGlob(s));
  return {
    test: (_arn, parts) => {
      const p = parts();
      if (!p) return false;
      for (let i = 0; i < 6; i++) if (!matchers[i]!(p[i]!)) return false;
      return true;
    },
  };
}

/** Match one value against a compiled pattern, splitting it lazily. */
export function testArn(pattern: ArnPattern, value: string): boolean {
  let cached: string[] | undefined | null = null;
  return pattern.test(value, () => (cached === null ? (cached = splitArn(value)) : cached));
}

const ACCOUNT_ID = /^\d{12}$/;

/** `123456789012` or `arn:aws:iam::123456789012:root` → the account id; else undefined. */
export function accountOfAccountPrincipal(entry: string): string | undefined {
  if (ACCOUNT_ID.test(entry)) return entry;
  const p = splitArn(entry);
  if (p && p[0] === 'arn' && p[2] === 'iam' && p[3] === '' && ACCOUNT_ID.test(p[4]!) && p[5] === 'root') return p[4];
  return undefined;
}

export function isAccountId(s: string): boolean {
  return ACCOUNT_ID.test(s);
}
