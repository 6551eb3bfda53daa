/**
 * Wildcard matching for `*` (any run of characters) and `?` (one character).
 *
 * Patterns reach this module as "glob sources": policy text in which a backslash escapes
 * the next character. Policy text itself has no escapes in AWS, so `fromPolicyText` doubles
 * its backslashes; text substituted from policy variables (and `${*}`, `${?}`) is escaped
 * with `escapeLiteral` so that a `*` coming from a request value stays a literal `*`.
 *
 * Matchers are compiled once per distinct source and cached: the common shapes
 * (exact, `prefix*`, `*suffix`, `*infix*`) avoid regular expressions entirely.
 */
export type Matcher = (s: string) => boolean;

const MAX_CACHE = 20_000;
const cache = new Map<string, Matcher>();

/** Policy text → glob source (backslashes are literal in AWS policies). */
export function fromPolicyText(text: string): string {
  return text.includes('\\') ? text.replace(/\\/g, '\\\\') : text;
}

const SPECIAL = /[\\*?]/;
const SPECIAL_ALL = /[\\*?]/g;

/** Literal text (a resolved variable) → glob source that matches only that text. */
export function escapeLiteral(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, '\\$&') : text;
}

type Token = { lit: string } | '*' | '?';

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      lit += src[++i];
    } else if (c === '*' || c === '?') {
      if (lit) out.push({ lit });
      lit = '';
      // Consecutive stars are one star; keeping them would only slow the regex down.
      if (c === '*' && out[out.length - 1] === '*') continue;
      out.push(c);
    } else {
      lit += c;
    }
  }
  if (lit) out.push({ lit });
  return out;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function build(src: string): Matcher {
  const t = tokenize(src);
  if (t.length === 0) return (s) => s.length === 0;
  if (t.length === 1) {
    const only = t[0]!;
    if (only === '*') return () => true;
    if (only === '?') return (s) => s.length === 1;
    const lit = only.lit;
    return (s) => s === lit;
  }
  const first = t[0]!;
  const last = t[t.length - 1]!;
  if (t.length === 2) {
    if (typeof first === 'object' && last === '*') {
      const p = first.lit;
      return (s) => s.startsWith(p);
    }
    if (first === '*' && typeof last === 'object') {
      const p = last.lit;
      return (s) => s.endsWith(p);
    }
  }
  if (t.length === 3 && first === '*' && last === '*' && typeof t[1] === 'object') {
    const p = (t[1] as { lit: string }).lit;
    return (s) => s.includes(p);
  }
  let re = '^';
  for (const tok of t) re += tok === '*' ? '[\\s\\S]*' : tok === '?' ? '[\\s\\S]' : escapeRegex(tok.lit);
  const rx = new RegExp(re + '$');
  return (s) => rx.test(s);
}

/** Compile (or fetch from cache) the matcher of a glob source. */
export function compileGlob(src: string): Matcher {
  let m = cache.get(src);
  if (m === undefined) {
    if (cache.size >= MAX_CACHE) cache.clear(); // bounded: variable-resolved patterns are per request
    m = build(src);
    cache.set(src, m);
  }
  return m;
}

/** True when the glob source contains an unescaped wildcard. */
export function hasWildcard(src: string): boolean {
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
  }
  return false;
}
