/**
 * Policies compiled once into matcher closures, cached by document object, and the
 * per-statement match used by evaluate.ts.
 *
 * A statement applies when its Action/NotAction, Resource/NotResource, Principal/NotPrincipal
 * (resource-based policies) and every condition match. Checks run cheapest first, so most
 * statements are rejected by one Set lookup on the action.
 */
import { contextValuesOf, compileCondition, evaluateCondition, type CompiledCondition } from './conditions.js';
import type { ContextView } from './context.js';
import {
  compileActions,
  compileNotPrincipal,
  compilePrincipal,
  compileResources,
  ListMatch,
  type ActionMatcher,
  type PrincipalMatcher,
  type ResourceMatcher,
  type ResourceView,
} from './match.js';
import type { PolicyDocument, Statement } from './parse.js';
import type { GrantKind, Mismatch, RequestPrincipal } from './types.js';
import { VARIABLES_VERSION } from './variables.js';

export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: string;
  readonly isAllow: boolean;
  readonly isDeny: boolean;
  readonly action: ActionMatcher | undefined;
  readonly actionElement: 'Action' | 'NotAction';
  readonly resource: ResourceMatcher | undefined;
  readonly resourceElement: 'Resource' | 'NotResource';
  readonly principal: PrincipalMatcher | undefined;
  readonly principalElement: 'Principal' | 'NotPrincipal';
  readonly conditions: readonly CompiledCondition[];
}

/** The Deny and Allow statements that can match actions of one service. */
export interface Candidates {
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
}

export interface CompiledPolicy {
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
  /** Statements that may match an action of the given (lower-case) service prefix. */
  candidates(service: string): Candidates;
}

/**
 * Index statements by the service prefixes their Action lists name, so a request looks only
 * at statements that can match its service. NotAction statements and service wildcards
 * (`*`, `s3*:...`) can match any service and are candidates for every request.
 */
function indexByService(statements: readonly CompiledStatement[], source: readonly Statement[]): (service: string) => Candidates {
  const always: CompiledStatement[] = [];
  const byService = new Map<string, CompiledStatement[]>();
  statements.forEach((st, i) => {
    const actions = source[i]!.action;
    if (!actions) return void always.push(st);
    const services = new Set<string>();
    for (const a of actions) {
      const colon = a.indexOf(':');
      const svc = colon < 0 ? a.toLowerCase() : a.slice(0, colon).toLowerCase();
      if (colon < 0 || svc.includes('*') || svc.includes('?')) return void always.push(st);
      services.add(svc);
    }
    for (const svc of services) {
      let list = byService.get(svc);
      if (!list) byService.set(svc, (list = []));
      list.push(st);
    }
  });
  const memo = new Map<string, Candidates>();
  const split = (list: readonly CompiledStatement[]): Candidates => ({
    denies: list.filter((s) => s.isDeny),
    allows: list.filter((s) => s.isAllow),
  });
  const fallback = split(always);
  return (service) => {
    let c = memo.get(service);
    if (c === undefined) {
      const specific = byService.get(service);
      if (!specific) return fallback;
      // Keep document order: traces and first-match short cuts stay predictable.
      const merged = statements.filter((st) => always.includes(st) || specific.includes(st));
      c = split(merged);
      memo.set(service, c);
    }
    return c;
  };
}

const cache = new WeakMap<PolicyDocument, CompiledPolicy>();

function compileStatement(st: Statement, variables: boolean): CompiledStatement {
  const action = st.action ? compileActions(st.action) : st.notAction ? compileActions(st.notAction) : undefined;
  const resourceList = st.resource ?? st.notResource;
  const principalSpec = st.principal ?? st.notPrincipal;
  return {
    index: st.index,
    sid: st.sid,
    effect: st.effect,
    isAllow: st.effect === 'Allow',
    isDeny: st.effect === 'Deny',
    action,
    actionElement: st.action ? 'Action' : 'NotAction',
    resource: resourceList ? compileResources(resourceList, variables) : undefined,
    resourceElement: st.resource ? 'Resource' : 'NotResource',
    principal: st.principal ? compilePrincipal(st.principal) : st.notPrincipal ? compileNotPrincipal(st.notPrincipal) : undefined,
    principalElement: st.principal || !principalSpec ? 'Principal' : 'NotPrincipal',
    conditions: st.conditions.map((c) => compileCondition(c, variables)),
  };
}

/** Compile a document (cached: a document object is compiled once). */
export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  let c = cache.get(document);
  if (c) return c;
  // "Variables were introduced in version 2012-10-17": earlier documents keep `${...}` literal.
  const variables = document.version === VARIABLES_VERSION;
  const statements = document.statements.map((s) => compileStatement(s, variables));
  c = { document, statements, candidates: indexByService(statements, document.statements) };
  cache.set(document, c);
  return c;
}

/** Per-evaluation state shared by every statement check. */
export interface MatchEnv {
  readonly lowerAction: string;
  /** Service prefix of the action, lower case. */
  readonly service: string;
  readonly resource: ResourceView;
  readonly principal: RequestPrincipal;
  readonly ctx: ContextView;
  /** Record mismatch details (allocates; only when tracing). */
  readonly tracing: boolean;
  /** Out: why the last statement did not match (tracing only). */
  why: Mismatch | undefined;
  /** Out: how the last matching resource-policy statement named the caller. */
  grant: GrantKind | null;
}

/**
 * Does the statement apply to the request? `withPrincipal` is true for resource-based
 * policies, where a statement without Principal/NotPrincipal names nobody.
 */
export function statementMatches(st: CompiledStatement, env: MatchEnv, withPrincipal: boolean): boolean {
  env.grant = null;
  const tracing = env.tracing;
  if (!st.isAllow && !st.isDeny) {
    if (tracing) env.why = { element: 'Effect' };
    return false;
  }
  if (!st.action) {
    if (tracing) env.why = { element: 'Action' };
    return false;
  }
  const actionHit = st.action(env.lowerAction);
  if (st.actionElement === 'Action' ? !actionHit : actionHit) {
    if (tracing) env.why = { element: st.actionElement };
    return false;
  }
  if (st.resource) {
    const r = st.resource(env.resource, env.ctx);
    // An unresolvable variable fails the match either way: it cannot prove an exclusion.
    const ok = st.resourceElement === 'Resource' ? r === ListMatch.Yes : r === ListMatch.No;
    if (!ok) {
      if (tracing) env.why = { element: st.resourceElement };
      return false;
    }
  }
  if (withPrincipal) {
    const g = st.principal ? st.principal(env.principal) : null;
    if (g === null) {
      if (tracing) env.why = { element: st.principalElement };
      return false;
    }
    env.grant = g;
  }
  const conds = st.conditions;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    if (!evaluateCondition(c, env.ctx)) {
      if (tracing) {
        const contextValues = contextValuesOf(c, env.ctx);
        env.why = {
          element: 'Condition',
          operator: c.operator,
          key: c.key,
          values: c.values,
          ...(contextValues ? { contextValues } : {}),
        };
      }
      env.grant = null;
      return false;
    }
  }
  return true;
}
