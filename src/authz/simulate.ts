import type { Principal } from '../auth/principal.js';
import { evaluate, parsePolicyOrThrow, type Decision, type PolicyDocument, type PoliciesByType, type Policy } from '../policy/index.js';
import { globalContextKeys } from './request-context-keys.js';
import { requestPrincipal } from './request-principal.js';
import { statementSpans, type StatementSpan } from './statement-positions.js';

/**
 * IAM's policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) on the same engine
 * that decides real requests: each action × resource is evaluated with the given policies
 * and context, and the statements that decided are located in their documents' text.
 */
export interface SimulatedPolicy {
  /** SourcePolicyId: a policy ARN, `user/alice/inline`, or `PolicyInputList.1`. */
  id: string;
  /** SourcePolicyType: user, group, role, aws-managed, user-managed, resource, none. */
  type: string;
  document: string;
}

export interface SimulationRequest {
  principal: Principal;
  identity: SimulatedPolicy[];
  boundaries: SimulatedPolicy[];
  actions: string[];
  resources: string[];
  resourcePolicy?: SimulatedPolicy;
  resourceOwner?: string;
  context: Record<string, string | string[]>;
  /** The principal's tags (aws:PrincipalTag/…) for SimulatePrincipalPolicy. */
  principalTags?: Record<string, string>;
}

export interface MatchedStatement extends Partial<StatementSpan> {
  SourcePolicyId: string;
  SourcePolicyType: string;
}

export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  MatchedStatements: MatchedStatement[];
  MissingContextValues: string[];
  EvalDecisionDetails?: Record<string, string>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

const DECISIONS = { Allow: 'allowed', ExplicitDeny: 'explicitDeny', ImplicitDeny: 'implicitDeny' } as const;

/** Several boundary documents act as one boundary whose statements are all of theirs. */
function mergedBoundary(list: SimulatedPolicy[]): PolicyDocument | undefined {
  if (list.length === 0) return undefined;
  const docs = list.map((p) => parsePolicyOrThrow(p.document));
  if (docs.length === 1) return docs[0];
  return { version: docs[0]!.version, statements: docs.flatMap((d) => d.statements), source: undefined } as PolicyDocument;
}

export function simulate(req: SimulationRequest): EvaluationResult[] {
  const byLabel = new Map<string, SimulatedPolicy>();
  const policy = (p: SimulatedPolicy): Policy => {
    byLabel.set(p.id, p);
    return { document: parsePolicyOrThrow(p.document), label: p.id };
  };
  const policies: PoliciesByType = {
    identity: req.identity.map(policy),
    ...(req.boundaries.length ? { boundary: { document: mergedBoundary(req.boundaries)!, label: 'PermissionsBoundaryPolicyInputList' } } : {}),
    ...(req.resourcePolicy ? { resourcePolicy: { policy: policy(req.resourcePolicy), ownerAccountId: req.resourceOwner ?? req.principal.accountId } } : {}),
  };
  for (const [i, b] of req.boundaries.entries()) byLabel.set(`PermissionsBoundaryPolicyInputList.${i + 1}`, b);
  const rp = requestPrincipal(req.principal);
  const context = { ...globalContextKeys(req.principal, rp, undefined, req.principalTags ?? {}), ...req.context };
  const results: EvaluationResult[] = [];
  for (const action of req.actions) {
    for (const resource of req.resources.length ? req.resources : ['*']) {
      const decision: Decision = evaluate({
        principal: rp,
        action,
        resource,
        resourceAccountId: req.resourceOwner ?? req.principal.accountId,
        context,
      }, policies, { trace: true });
      const matched: MatchedStatement[] = [];
      for (const t of decision.trace) {
        if (t.type === 'boundary') continue;
        const source = t.label ? byLabel.get(t.label) : undefined;
        const spans = source ? statementSpans(source.document) : [];
        for (const s of t.statements) {
          if (!s.matched) continue;
          matched.push({ SourcePolicyId: t.label ?? '', SourcePolicyType: source?.type ?? t.type, ...(spans[s.index] ?? {}) });
        }
      }
      const r: EvaluationResult = {
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: DECISIONS[decision.result],
        MatchedStatements: matched,
        MissingContextValues: [...decision.missingContextKeys],
      };
      const boundaryTrace = decision.trace.find((t) => t.type === 'boundary');
      if (boundaryTrace) r.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: boundaryTrace.allows && !boundaryTrace.denies };
      if (req.resourcePolicy) {
        const id = decision.trace.filter((t) => t.type === 'identity');
        const res = decision.trace.find((t) => t.type === 'resource');
        r.EvalDecisionDetails = {
          'IAM Policy': id.some((t) => t.denies) ? 'explicitDeny' : id.some((t) => t.allows) ? 'allowed' : 'implicitDeny',
          'Resource Policy': res?.denies ? 'explicitDeny' : res?.allows ? 'allowed' : 'implicitDeny',
        };
      }
      results.push(r);
    }
  }
  return results;
}

/** ContextEntries as the simulator receives them: typed values, lists for the *List types. */
export function contextFromEntries(entries: Array<{ ContextKeyName?: string; ContextKeyValues?: string[]; ContextKeyType?: string }> | undefined): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  for (const e of entries ?? []) {
    if (!e.ContextKeyName) continue;
    const values = e.ContextKeyValues ?? [];
    c[e.ContextKeyName] = e.ContextKeyType?.endsWith('List') ? values : values[0] ?? '';
  }
  return c;
}
