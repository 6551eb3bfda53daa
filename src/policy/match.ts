/**
 * Matchers for the Action, Resource and Principal elements, compiled once per statement.
 *
 * - Actions are `service:Action`, compared case-insensitively with `*` and `?`; the request
 *   action is lower-cased once per evaluation and policy entries at compile time.
 * - Resources are case-sensitive ARN patterns matched segment by segment (arn.ts); variables
 *   are resolved per request (variables.ts).
 * - Principals name an account (any principal of it), a user, a role, a session, a service,
 *   an IdP or a canonical user, never partially: "You cannot use a wildcard to match part of
 *   a principal name or ARN". `"*"` and `{"AWS": "*"}` are every principal, anonymous included.
 */
import { accountOfAccountPrincipal, compileArnPattern, splitArn, type ArnPattern } from './arn.js';
import type { ContextView } from './context.js';
import { compileGlob, hasWildcard, type Matcher } from './glob.js';
import type { PrincipalSpec } from './parse.js';
import type { GrantKind, RequestPrincipal } from './types.js';
import { literal, parseTemplate, resolveTemplate, type Template } from './variables.js';

/** `(lowerCasedAction) => matches`. */
export type ActionMatcher = (lowerAction: string) => boolean;

export function compileActions(entries: readonly string[]): ActionMatcher {
  const exact = new Set<string>();
  const globs: Matcher[] = [];
  for (const e of entries) {
    const lower = e.toLowerCase();
    if (lower === '*') return () => true;
    if (hasWildcard(lower)) globs.push(compileGlob(literal(lower, true)));
    else exact.add(lower);
  }
  if (globs.length === 0) {
    if (exact.size === 1) {
      const only = exact.values().next().value as string;
      return (a) => a === only;
    }
    return (a) => exact.has(a);
  }
  return (a) => {
    if (exact.has(a)) return true;
    for (const g of globs) if (g(a)) return true;
    return false;
  };
}

/** The request's resource, split lazily once per evaluation. */
export class ResourceView {
  private parts: string[] | undefined | null = null;
  constructor(readonly arn: string) {}
  split = (): string[] | undefined => (this.parts === null ? (this.parts = splitArn(this.arn)) : this.parts);
}

type ResourceEntry =
  | { readonly pattern: ArnPattern }
  // The last resolution is kept: consecutive requests of one principal resolve alike.
  | { readonly template: Template; lastText?: string; lastPattern?: ArnPattern };

/** Outcome of a Resource/NotResource list: `unresolved` when a variable could not be read. */
export const ListMatch = { No: 0, Yes: 1, Unresolved: 2 } as const;
export type ListMatch = (typeof ListMatch)[keyof typeof ListMatch];

export interface ResourceMatcher {
  (res: ResourceView, ctx: ContextView): ListMatch;
}

/**
 * Compile a Resource list. Variables are allowed "only in the resource portion of the ARN",
 * after the fifth colon; a `${` earlier in the ARN stays literal text.
 */
export function compileResources(entries: readonly string[], variables: boolean): ResourceMatcher {
  const list: ResourceEntry[] = [];
  for (const e of entries) {
    const template = variables ? resourceTemplate(e) : undefined;
    list.push(template ? { template } : { pattern: compileArnPattern(literal(e, true), false) });
  }
  if (list.length === 1 && 'pattern' in list[0]!) {
    const p = list[0].pattern;
    return (res) => (p.test(res.arn, res.split) ? ListMatch.Yes : ListMatch.No);
  }
  return (res, ctx) => {
    let unresolved = false;
    for (const entry of list) {
      let p: ArnPattern;
      if ('pattern' in entry) p = entry.pattern;
      else {
        const r = resolveTemplate(entry.template, ctx, true);
        if (!r.ok) {
          unresolved = true;
          continue;
        }
        if (entry.lastText !== r.text) {
          entry.lastPattern = compileArnPatternCached(r.text);
          entry.lastText = r.text;
        }
        p = entry.lastPattern!;
      }
      if (p.test(res.arn, res.split)) return ListMatch.Yes;
    }
    return unresolved ? ListMatch.Unresolved : ListMatch.No;
  };
}

function resourceTemplate(entry: string): Template | undefined {
  const parts = splitArn(entry);
  if (!parts) return parseTemplate(entry);
  const resourcePart = parts[5]!;
  const t = parseTemplate(resourcePart);
  if (!t) return undefined;
  const head = parts.slice(0, 5).join(':') + ':';
  return { parts: [{ lit: head, special: false }, ...t.parts], keys: t.keys };
}

const resolvedPatterns = new Map<string, ArnPattern>();
function compileArnPatternCached(src: string): ArnPattern {
  let p = resolvedPatterns.get(src);
  if (!p) {
    if (resolvedPatterns.size > 10_000) resolvedPatterns.clear();
    p = compileArnPattern(src, false);
    resolvedPatterns.set(src, p);
  }
  return p;
}

/** `(principal) => how the element names it`, or null when it does not. */
export type PrincipalMatcher = (p: RequestPrincipal) => GrantKind | null;

const RANK: Record<GrantKind, number> = { account: 1, role: 2, direct: 3 };

export function strongerGrant(a: GrantKind | null, b: GrantKind | null): GrantKind | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

interface PrincipalSets {
  readonly everyone: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly arns: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly federated: ReadonlySet<string>;
  readonly canonical: ReadonlySet<string>;
}

function sets(spec: PrincipalSpec): PrincipalSets {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  for (const e of spec.aws) {
    const acct = accountOfAccountPrincipal(e);
    if (acct) accounts.add(acct);
    else arns.add(e);
  }
  return {
    everyone: spec.any || spec.aws.includes('*'),
    accounts,
    arns,
    services: new Set(spec.service),
    federated: new Set(spec.federated),
    canonical: new Set(spec.canonicalUser),
  };
}

/**
 * Principal element. Grant kinds (IAM "Policy evaluation logic", resource-based policies):
 * naming the user, the session or everyone grants `direct`ly; naming the role (or, for a
 * GetFederationToken session, the IAM user who federated) is `role`, still limited by
 * permissions boundaries and session policies; naming the account delegates to the
 * account (`account`): its identity-based policies must allow too. For the root user the
 * account is its own identity, so naming the account is `direct`.
 */
export function compilePrincipal(spec: PrincipalSpec): PrincipalMatcher {
  const s = sets(spec);
  return (p) => {
    if (s.everyone) return 'direct';
    let best: GrantKind | null = null;
    if (p.accountId !== undefined && s.accounts.has(p.accountId)) best = p.type === 'Account' ? 'direct' : 'account';
    if (p.arn !== undefined && s.arns.has(p.arn)) return 'direct';
    if (p.type === 'AssumedRole' && p.roleArn !== undefined && s.arns.has(p.roleArn)) best = 'role';
    if (p.type === 'FederatedUser' && p.userArn !== undefined && s.arns.has(p.userArn)) best = 'role';
    if (p.type === 'Service' && p.service !== undefined && s.services.has(p.service)) return 'direct';
    if (p.type === 'Federated' && p.federatedProvider !== undefined && s.federated.has(p.federatedProvider)) return 'direct';
    if (p.canonicalUserId !== undefined && s.canonical.has(p.canonicalUserId)) return 'direct';
    return best;
  };
}

/**
 * NotPrincipal: the statement applies to every principal except those listed. AWS checks the
 * caller's whole chain — account, then role or user, then session ("AWS might validate the
 * account first, then the role, and then the assumed-role user") — so a caller is excluded
 * only when every identity of its chain is listed. Listing only Bob's ARN therefore still
 * denies Bob through his account, as the NotPrincipal page warns.
 */
export function compileNotPrincipal(spec: PrincipalSpec): PrincipalMatcher {
  const s = sets(spec);
  return (p) => {
    if (s.everyone) return null;
    const acct = (): boolean => p.accountId !== undefined && s.accounts.has(p.accountId);
    const arn = (a: string | undefined): boolean => a !== undefined && s.arns.has(a);
    let excluded: boolean;
    switch (p.type) {
      case 'Anonymous':
        excluded = false;
        break;
      case 'Account':
        excluded = acct() || arn(p.arn);
        break;
      case 'User':
        excluded = acct() && arn(p.arn);
        break;
      case 'AssumedRole':
        excluded = acct() && arn(p.roleArn) && arn(p.arn);
        break;
      case 'FederatedUser':
        // The parent is the IAM user who federated, or the root user (then the account itself).
        excluded =
          acct() &&
          (p.userArn === undefined || arn(p.userArn) || accountOfAccountPrincipal(p.userArn) === p.accountId) &&
          arn(p.arn);
        break;
      case 'Service':
        excluded = p.service !== undefined && s.services.has(p.service);
        break;
      case 'Federated':
        excluded = p.federatedProvider !== undefined && s.federated.has(p.federatedProvider);
        break;
    }
    return excluded ? null : 'direct';
  };
}
