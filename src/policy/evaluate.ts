/**
 * The decision flow of "Policy evaluation logic" and "Cross-account policy evaluation logic"
 * (IAM User Guide), as data in, data out.
 *
 * 1. An explicit Deny in any applicable policy (RCP, SCP, resource-based, identity-based,
 *    permissions boundary, session policy) is final.
 * 2. Every level of the RCP path, then of the SCP path, must have an applicable Allow.
 *    Whether SCPs/RCPs apply (member vs management account) is the caller's choice: pass them or not.
 * 3. Within one account, an Allow in the identity-based policies OR in the resource-based
 *    policy suffices; how the resource policy named the caller decides which implicit denies
 *    still count (see GrantKind in match.ts). Across accounts both sides must allow.
 * 4. Identity-based allows are intersected with the permissions boundary and the session
 *    policies. A GetFederationToken session without a session policy has no permissions.
 * 5. The root user has full access in its own account (identity policies do not apply), but
 *    not past an explicit deny, SCPs or RCPs. Anonymous callers, service principals and
 *    external IdP identities are allowed only by a resource-based policy that names them.
 * 6. A `required` resource policy (role trust policy, KMS key policy) must allow by itself.
 */
import { compilePolicy, statementMatches, type Candidates, type CompiledPolicy, type MatchEnv } from './compile.js';
import { ContextView } from './context.js';
import { ResourceView, strongerGrant } from './match.js';
import type {
  AuthorizationRequest,
  Decision,
  DecisionReason,
  EvaluateOptions,
  GrantKind,
  PoliciesByType,
  Policy,
  PolicyTrace,
  PolicyType,
  StatementTrace,
} from './types.js';

/** One policy's verdict, computed lazily (fast path) or all at once (tracing). */
class PolicyRun {
  private readonly compiled: CompiledPolicy;
  private candidates: Candidates | undefined;
  private denied: boolean | undefined;
  private allowed: boolean | undefined;
  grant: GrantKind | null = null;

  constructor(
    readonly policy: Policy,
    readonly type: PolicyType,
    readonly level: number | undefined,
  ) {
    this.compiled = compilePolicy(policy.document);
  }

  private get withPrincipal(): boolean {
    return this.type === 'resource' || this.type === 'rcp';
  }

  denies(env: MatchEnv): boolean {
    if (this.denied === undefined) {
      this.denied = false;
      for (const st of (this.candidates ??= this.compiled.candidates(env.service)).denies) {
        if (statementMatches(st, env, this.withPrincipal)) {
          this.denied = true;
          break;
        }
      }
    }
    return this.denied;
  }

  allows(env: MatchEnv): boolean {
    if (this.allowed === undefined) {
      this.allowed = false;
      for (const st of (this.candidates ??= this.compiled.candidates(env.service)).allows) {
        if (!statementMatches(st, env, this.withPrincipal)) continue;
        this.allowed = true;
        this.grant = strongerGrant(this.grant, env.grant);
        // Resource policies: keep looking for a stronger way the caller is named.
        if (this.type !== 'resource' || this.grant === 'direct') break;
      }
    }
    return this.allowed;
  }

  /** Evaluate every statement and record why each did or did not match. */
  trace(env: MatchEnv): PolicyTrace {
    const statements: StatementTrace[] = [];
    let allowed = false;
    let denied = false;
    for (const st of this.compiled.statements) {
      env.why = undefined;
      const matched = statementMatches(st, env, this.withPrincipal);
      const entry: { -readonly [K in keyof StatementTrace]: StatementTrace[K] } = {
        index: st.index,
        effect: st.effect,
        matched,
      };
      if (st.sid !== undefined) entry.sid = st.sid;
      if (!matched && env.why) entry.why = env.why;
      if (matched && this.type === 'resource' && env.grant) entry.grant = env.grant;
      if (matched && st.isDeny) denied = true;
      if (matched && st.isAllow) {
        allowed = true;
        this.grant = strongerGrant(this.grant, env.grant);
      }
      statements.push(entry);
    }
    this.allowed = allowed;
    this.denied = denied;
    const t: { -readonly [K in keyof PolicyTrace]: PolicyTrace[K] } = { type: this.type, allows: allowed, denies: denied, statements };
    if (this.policy.label !== undefined) t.label = this.policy.label;
    if (this.level !== undefined) t.level = this.level;
    return t;
  }
}

const DENY_ORDER: readonly PolicyType[] = ['rcp', 'scp', 'resource', 'identity', 'boundary', 'session'];
const EXPLICIT: Record<PolicyType, DecisionReason> = {
  rcp: 'explicit-deny-in-rcp',
  scp: 'explicit-deny-in-scp',
  resource: 'explicit-deny-in-resource-policy',
  identity: 'explicit-deny-in-identity-policy',
  boundary: 'explicit-deny-in-boundary',
  session: 'explicit-deny-in-session-policy',
};

type Failure = readonly [DecisionReason, PolicyType];

const NONE: readonly never[] = Object.freeze([]);
const IDENTITY_FAIL: Failure = ['no-identity-policy-allows', 'identity'];
const BOUNDARY_FAIL: Failure = ['boundary-does-not-allow', 'boundary'];
const SESSION_FAIL: Failure = ['session-policy-does-not-allow', 'session'];
const RESOURCE_FAIL: Failure = ['no-resource-policy-allows', 'resource'];
const CROSS_FAIL: Failure = ['cross-account-resource-policy-does-not-allow', 'resource'];

function levels(sets: PoliciesByType['scps'], type: PolicyType, into: PolicyRun[]): PolicyRun[][] {
  if (!sets) return NONE as unknown as PolicyRun[][];
  return sets.map((set, level) =>
    set.map((p) => {
      const run = new PolicyRun(p, type, level);
      into.push(run);
      return run;
    }),
  );
}

function anyAllows(runs: readonly PolicyRun[], env: MatchEnv): boolean {
  for (const run of runs) if (run.allows(env)) return true;
  return false;
}

function everyLevelAllows(lv: readonly (readonly PolicyRun[])[], env: MatchEnv): boolean {
  for (const level of lv) if (!anyAllows(level, env)) return false;
  return true;
}

/** Per-decision state: the runs of each policy type and the request's facts. */
class Flow {
  readonly all: PolicyRun[] = [];
  readonly rcps: PolicyRun[][];
  readonly scps: PolicyRun[][];
  readonly resource: PolicyRun | undefined;
  readonly identity: PolicyRun[] = [];
  readonly boundary: PolicyRun | undefined;
  readonly session: PolicyRun[] = [];
  readonly hasIdentity: boolean;
  readonly isSession: boolean;

  constructor(
    readonly request: AuthorizationRequest,
    readonly policies: PoliciesByType,
    readonly env: MatchEnv,
  ) {
    const p = request.principal;
    this.hasIdentity = p.type === 'User' || p.type === 'AssumedRole' || p.type === 'FederatedUser';
    this.isSession = p.type === 'AssumedRole' || p.type === 'FederatedUser';
    this.rcps = levels(policies.rcps, 'rcp', this.all);
    this.scps = levels(policies.scps, 'scp', this.all);
    const rp = policies.resourcePolicy;
    if (rp) this.all.push((this.resource = new PolicyRun(rp.policy, 'resource', undefined)));
    // Identity-side policies exist only for IAM users and sessions; the root user has none.
    if (this.hasIdentity) {
      for (const q of policies.identity ?? NONE) {
        const run = new PolicyRun(q, 'identity', undefined);
        this.identity.push(run);
        this.all.push(run);
      }
      if (policies.boundary) this.all.push((this.boundary = new PolicyRun(policies.boundary, 'boundary', undefined)));
    }
    if (this.isSession) {
      for (const q of policies.sessionPolicies ?? NONE) {
        const run = new PolicyRun(q, 'session', undefined);
        this.session.push(run);
        this.all.push(run);
      }
    }
  }

  deniedBy(): PolicyType[] {
    let mask = 0;
    for (const run of this.all) if (run.denies(this.env)) mask |= 1 << DENY_ORDER.indexOf(run.type);
    if (mask === 0) return NONE as unknown as PolicyType[];
    return DENY_ORDER.filter((_, i) => (mask & (1 << i)) !== 0);
  }

  /** Boundary and session policy: what still limits a grant to the role (or federating user). */
  limits(): Failure | undefined {
    if (this.boundary && !this.boundary.allows(this.env)) return BOUNDARY_FAIL;
    if (!this.isSession) return undefined;
    if (this.session.length > 0) return anyAllows(this.session, this.env) ? undefined : SESSION_FAIL;
    // "If there is no session policy ... if the principal is a role session, the request is
    // allowed. Otherwise [a federated user session] the request is implicitly denied."
    return this.request.principal.type === 'AssumedRole' ? undefined : SESSION_FAIL;
  }

  /** The identity side: identity-based policies ∩ boundary ∩ session policies. */
  identitySide(): Failure | undefined {
    if (this.request.principal.type === 'Account') return undefined; // root: full access in its own account
    if (!anyAllows(this.identity, this.env)) return IDENTITY_FAIL;
    return this.limits();
  }
}

/** Decide one request. Pure: reads only its arguments. */
export function evaluate(request: AuthorizationRequest, policies: PoliciesByType, options: EvaluateOptions = {}): Decision {
  const tracing = options.trace ?? true;
  const p = request.principal;
  const ctx = new ContextView(request.context);
  const lowerAction = request.action.toLowerCase();
  const colon = lowerAction.indexOf(':');
  const env: MatchEnv = {
    lowerAction,
    service: colon < 0 ? lowerAction : lowerAction.slice(0, colon),
    resource: new ResourceView(request.resource),
    principal: p,
    ctx,
    tracing,
    why: undefined,
    grant: null,
  };
  const flow = new Flow(request, policies, env);
  const trace: PolicyTrace[] = tracing ? flow.all.map((run) => run.trace(env)) : (NONE as unknown as PolicyTrace[]);
  const decide = (result: Decision['result'], reason: DecisionReason, deniedBy: readonly PolicyType[]): Decision => ({
    result,
    reason,
    deniedBy,
    trace,
    missingContextKeys: ctx.missing(),
  });
  const allow = (reason: DecisionReason): Decision => decide('Allow', reason, NONE);
  const implicit = (f: Failure, also?: Failure): Decision =>
    decide('ImplicitDeny', f[0], also && also[1] !== f[1] ? [f[1], also[1]] : [f[1]]);

  // 1. Explicit deny anywhere wins.
  const deniedBy = flow.deniedBy();
  if (deniedBy.length > 0) return decide('ExplicitDeny', EXPLICIT[deniedBy[0]!], deniedBy);

  // 2. Each OU-path level of RCPs, then of SCPs, must allow.
  if (!everyLevelAllows(flow.rcps, env)) return implicit(['no-rcp-allows', 'rcp']);
  if (!everyLevelAllows(flow.scps, env)) return implicit(['no-scp-allows', 'scp']);

  const resource = flow.resource;
  const grant = resource && resource.allows(env) ? resource.grant : null;
  const byResource: DecisionReason = 'allowed-by-resource-policy';

  // 5. Principals without identity-based policies: only a resource policy naming them allows.
  if (!flow.hasIdentity && p.type !== 'Account') return grant ? allow(byResource) : implicit(RESOURCE_FAIL);

  const rp = policies.resourcePolicy;
  const resourceAccount = request.resourceAccountId ?? rp?.ownerAccountId ?? p.accountId;
  const crossAccount = resourceAccount !== p.accountId;
  const byIdentity: DecisionReason = p.type === 'Account' ? 'allowed-as-account-root' : 'allowed-by-identity-policy';

  // 6. Trust and key policies must allow by themselves; naming the account delegates to IAM.
  if (rp?.required) {
    if (!grant) return implicit(RESOURCE_FAIL);
    const f = crossAccount || grant === 'account' ? flow.identitySide() : grant === 'role' ? flow.limits() : undefined;
    return f ? implicit(f) : allow(byResource);
  }

  // 3. Across accounts, the resource owner's policy and the caller's side must both allow.
  if (crossAccount) {
    const f = flow.identitySide();
    if (!grant) return implicit(CROSS_FAIL, f);
    return f ? implicit(f) : allow(byResource);
  }

  // Same account: a direct grant stands alone; a grant to the role is limited by boundary and session policy.
  if (grant === 'direct') return allow(p.type === 'Account' ? byIdentity : byResource);
  if (grant === 'role') {
    const f = flow.limits();
    return f ? implicit(f) : allow(byResource);
  }
  const f = flow.identitySide();
  return f ? implicit(f) : allow(byIdentity);
}
