/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${s3:prefix}`, any
 * single-valued context key, the special `${*}`, `${?}`, `${$}`, and defaults written as
 * `${aws:username, 'anonymous'}`.
 *
 * Rules (IAM User Guide, "IAM policy elements: Variables and tags"):
 * - variables exist only with `"Version": "2012-10-17"`; otherwise `${...}` is literal text;
 * - they are allowed in the resource part of Resource ARNs and in string/ARN condition values;
 * - a key missing from the request, with no default, cannot be resolved: "any attempt to
 *   match it fails" — the pattern holding it matches nothing;
 * - multivalued context keys cannot be used as variables, so an array value does not resolve.
 */
import type { ContextView } from './context.js';
import { escapeLiteral, fromPolicyText } from './glob.js';

export const VARIABLES_VERSION = '2012-10-17';

type Part =
  | { readonly lit: string; readonly special: boolean }
  | { readonly key: string; readonly lowerKey: string; readonly fallback?: string };

export interface Template {
  readonly parts: readonly Part[];
  /** Variable keys referenced, as written. */
  readonly keys: readonly string[];
}

const SPECIAL: Record<string, string> = { '*': '*', '?': '?', $: '$' };
// `key, 'default'` — AWS documents a comma, a space and a single-quoted default.
const WITH_DEFAULT = /^\s*([^,]+?)\s*,\s*'([^']*)'\s*$/;

/** Parse `${...}` references; undefined when the text has none (the common, fast case). */
export function parseTemplate(text: string): Template | undefined {
  if (!text.includes('${')) return undefined;
  const parts: Part[] = [];
  const keys: string[] = [];
  let lit = '';
  let i = 0;
  let found = false;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) break;
    const close = text.indexOf('}', open + 2);
    if (close < 0) break; // an unterminated `${` is literal text
    lit += text.slice(i, open);
    const inner = text.slice(open + 2, close);
    const special = SPECIAL[inner];
    if (special !== undefined) {
      if (lit) parts.push({ lit, special: false });
      lit = '';
      parts.push({ lit: special, special: true });
    } else {
      const m = WITH_DEFAULT.exec(inner);
      const key = (m ? m[1]! : inner).trim();
      if (key === '') {
        lit += text.slice(open, close + 1);
      } else {
        if (lit) parts.push({ lit, special: false });
        lit = '';
        parts.push(m ? { key, lowerKey: key.toLowerCase(), fallback: m[2]! } : { key, lowerKey: key.toLowerCase() });
        keys.push(key);
      }
    }
    found = true;
    i = close + 1;
  }
  if (!found) return undefined;
  lit += text.slice(i);
  if (lit) parts.push({ lit, special: false });
  return { parts, keys };
}

/** Result of resolving a template: the text, or the first key that could not be resolved. */
export type Resolved = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: string };

/**
 * Substitute variables. In `glob` mode the result is a glob source: policy text keeps its
 * wildcards while substituted values (and `${*}`, `${?}`) are escaped to match literally.
 */
export function resolveTemplate(t: Template, ctx: ContextView, glob: boolean): Resolved {
  let text = '';
  for (const p of t.parts) {
    if ('lit' in p) {
      text += glob ? (p.special ? escapeLiteral(p.lit) : fromPolicyText(p.lit)) : p.lit;
      continue;
    }
    const v = ctx.get(p.key, p.lowerKey);
    let value: string | undefined;
    if (typeof v === 'string') value = v;
    else if (p.fallback !== undefined) value = p.fallback;
    if (value === undefined) {
      ctx.noteMissing(p.key);
      return { ok: false, missing: p.key };
    }
    text += glob ? escapeLiteral(value) : value;
  }
  return { ok: true, text };
}

/** Text of a template-free policy string for the given mode. */
export function literal(text: string, glob: boolean): string {
  return glob ? fromPolicyText(text) : text;
}
