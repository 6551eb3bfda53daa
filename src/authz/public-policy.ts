import type { PolicyDocument, Statement } from '../policy/index.js';

/**
 * AWS's meaning of "public" for bucket policies (S3 User Guide, "Blocking public access to
 * your Amazon S3 storage" → "The meaning of public"): a statement is public when it allows
 * a wildcard principal and no condition pins one of these keys to fixed values.
 */
const RESTRICTING_KEYS = new Set([
  'aws:sourceip', 'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceaccount', 'aws:sourceowner',
  'aws:principalorgid', 'aws:principalaccount', 'aws:userid', 'aws:principalarn', 's3:dataaccesspointarn',
  's3:dataaccesspointaccount', 'aws:principalorgpaths',
]);

const FIXED_OPERATORS = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|ArnEquals|ArnLike|StringLike|IpAddress)$/i;

function wildcardPrincipal(s: Statement): boolean {
  if (s.notPrincipal) return true;
  const p = s.principal;
  if (!p) return false;
  return p.any || p.aws.includes('*') || p.canonicalUser.includes('*');
}

function fixedValue(v: string, key: string, operator: string): boolean {
  if (key === 'aws:sourceip') return !/\/0$/.test(v) && v !== '*';
  // Wildcards make a value pattern, not a fixed value (ArnLike / StringLike with * or ?).
  if (/Like$/i.test(operator)) return !/[*?]/.test(v);
  return v !== '*';
}

function pinned(s: Statement): boolean {
  return s.conditions.some((c) => {
    const key = c.key.toLowerCase();
    if (!RESTRICTING_KEYS.has(key)) return false;
    if (!FIXED_OPERATORS.test(c.operator.replace(/IfExists$/i, ''))) return false;
    if (/IfExists$/i.test(c.operator)) return false;
    return c.values.length > 0 && c.values.every((v) => fixedValue(v, key, c.operator));
  });
}

export function isPublicStatement(s: Statement): boolean {
  return s.effect === 'Allow' && wildcardPrincipal(s) && !pinned(s);
}

export function isPublicPolicy(doc: PolicyDocument): boolean {
  return doc.statements.some(isPublicStatement);
}
