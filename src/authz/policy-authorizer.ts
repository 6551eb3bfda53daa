import type { Principal } from '../auth/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AwsError } from '../errors/aws-error.js';
import { evaluate, formatDenial, type AuthorizationRequest, type Decision, type PoliciesByType, type Policy } from '../policy/index.js';
import type { IdentityReader, LabeledPolicy } from '../store/meta/iam-types.js';
import type { AccessRequest, AuthorizationInput, Authorizer } from './access.js';
import { PolicyCache } from './policy-cache.js';
import { ownerRootBypass, withoutPublicStatements } from './s3-rules.js';
import { globalContextKeys, s3ContextKeys } from './request-context-keys.js';
import { requestPrincipal } from './request-principal.js';
import type { ResourcePolicyInfo, ResourcePolicyRegistry } from './resource-policies.js';

/** Service control policies of an account, one set per level of its organization path. */
export interface OrganizationReader {
  /** Undefined when SCPs do not apply (not in an organization, or the management account). */
  scpsFor(accountId: string): Promise<LabeledPolicy[][] | undefined>;
  orgIdOf(accountId: string): Promise<string | undefined>;
}

export interface PolicyAuthorizerDeps {
  identity: () => IdentityReader | undefined;
  organizations: () => OrganizationReader | undefined;
  resources: ResourcePolicyRegistry;
  audit?: AuditLog;
}

function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]!) ? parts[4] : undefined;
}

/** The friendly name at the end of a role or user ARN (`arn:aws:iam::1:role/path/name`). */
function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

interface Gathered {
  policies: PoliciesByType;
  principalTags: Record<string, string>;
  /** The principal no longer exists (a deleted user or role): nothing may be allowed. */
  gone: boolean;
}

/**
 * Decides every request with the policy engine: gathers the policies that apply (SCPs, the
 * resource's policy, identity policies, boundary, session policies), builds the request
 * context, evaluates, and records the decision. The only place permissions are checked.
 */
export class PolicyAuthorizer implements Authorizer {
  private readonly cache = new PolicyCache();

  constructor(private readonly deps: PolicyAuthorizerDeps) {}

  private policy(p: LabeledPolicy): Policy {
    return { document: this.cache.parse(p.document), label: p.label };
  }

  private async gather(principal: Principal): Promise<Gathered> {
    const policies: PoliciesByType = {};
    const out: Gathered = { policies, principalTags: {}, gone: false };
    const iam = this.deps.identity();
    const mutable = policies as { identity?: Policy[]; boundary?: Policy; sessionPolicies?: Policy[]; scps?: Policy[][] };
    const take = async (pp: Awaited<ReturnType<IdentityReader['userPolicies']>>): Promise<void> => {
      if (!pp) {
        out.gone = true;
        return;
      }
      mutable.identity = pp.identity.map((q) => this.policy(q));
      if (pp.boundary) mutable.boundary = this.policy(pp.boundary);
      out.principalTags = pp.tags;
    };
    if (principal.type === 'User') {
      await take(iam ? await iam.userPolicies(principal.accountId, principal.userName ?? nameOf(principal.arn)) : undefined);
    } else if (principal.type === 'AssumedRole' && principal.roleArn) {
      await take(iam ? await iam.rolePolicies(principal.accountId, nameOf(principal.roleArn)) : undefined);
    } else if (principal.type === 'FederatedUser' && principal.parentUserArn && !principal.parentUserArn.endsWith(':root')) {
      await take(iam ? await iam.userPolicies(principal.accountId, nameOf(principal.parentUserArn)) : undefined);
    }
    if (principal.type === 'AssumedRole' || principal.type === 'FederatedUser') {
      const session: Policy[] = (principal.session?.policies ?? []).map((d, i) => this.policy({ label: `session-policy-${i + 1}`, document: d }));
      for (const arn of principal.session?.policyArns ?? []) {
        const doc = await iam?.managedPolicyDocument(arn);
        if (doc) session.push(this.policy({ label: arn, document: doc }));
      }
      if (session.length > 0 || principal.type === 'FederatedUser') mutable.sessionPolicies = session;
    }
    if (principal.type !== 'Anonymous' && principal.accountId) {
      const scps = await this.deps.organizations()?.scpsFor(principal.accountId);
      if (scps) mutable.scps = scps.map((level) => level.map((q) => this.policy(q)));
    }
    return out;
  }

  private async decideOne(input: AuthorizationInput, r: AccessRequest, g: Gathered, orgId: string | undefined): Promise<{ decision: Decision; request: AuthorizationRequest; policies: PoliciesByType; resource?: ResourcePolicyInfo }> {
    const principal = input.principal;
    const rp = requestPrincipal(principal);
    const resource = await this.deps.resources.resolve(r);
    const resourceAccountId = resource?.ownerAccountId ?? arnAccount(r.resource) ?? (principal.accountId || undefined);
    const context: Record<string, string | string[]> = {
      ...globalContextKeys(principal, rp, input.facts, g.principalTags),
      ...(r.action.toLowerCase().startsWith('s3:') ? s3ContextKeys(input.facts, resourceAccountId) : {}),
      ...(resource?.context ?? {}),
      ...(r.conditions ?? {}),
    };
    if (orgId) context['aws:PrincipalOrgID'] = orgId;
    if (resourceAccountId) context['aws:ResourceAccount'] = resourceAccountId;
    const policies: PoliciesByType = { ...g.policies };
    if (resource?.policy) {
      let policy = this.policy(resource.policy);
      if (resource.restrictPublic && principal.accountId !== resource.ownerAccountId) policy = { ...policy, document: withoutPublicStatements(policy.document) };
      (policies as { resourcePolicy?: PoliciesByType['resourcePolicy'] }).resourcePolicy = {
        policy,
        ownerAccountId: resource.ownerAccountId,
        ...(resource.required ? { required: true } : {}),
      };
    }
    const request: AuthorizationRequest = {
      principal: rp,
      action: r.action,
      resource: r.resource,
      ...(resourceAccountId ? { resourceAccountId } : {}),
      context,
    };
    let decision = evaluate(request, policies, { trace: false });
    if (decision.result !== 'Allow' && ownerRootBypass(principal, r.action, resourceAccountId)) decision = { ...decision, result: 'Allow', reason: 'allowed-as-account-root' };
    if (decision.result === 'ImplicitDeny' && resource?.extraAllow?.(principal, r)) {
      decision = { ...decision, result: 'Allow' };
    }
    if (g.gone && decision.result === 'Allow') decision = { ...decision, result: 'ImplicitDeny', reason: 'no-identity-policy-allows', deniedBy: ['identity'] };
    return resource ? { decision, request, policies, resource } : { decision, request, policies };
  }

  async authorize(input: AuthorizationInput, partial = false): Promise<Set<number>> {
    const denied = new Set<number>();
    if (input.requests.length === 0) return denied;
    const g = await this.gather(input.principal);
    const orgId = input.principal.accountId ? await this.deps.organizations()?.orgIdOf(input.principal.accountId) : undefined;
    for (const [i, r] of input.requests.entries()) {
      const { decision, request, policies } = await this.decideOne(input, r, g, orgId);
      const requestId = input.facts?.requestId ?? '';
      if (decision.result === 'Allow') {
        this.deps.audit?.record({ requestId, time: input.facts?.time ?? new Date(), principalArn: input.principal.arn, operation: input.operation, action: r.action, resource: r.resource, result: 'Allow', reason: decision.reason });
        continue;
      }
      // Denials are rare: evaluate again with the trace, for the message and the audit record.
      const traced = evaluate(request, policies, { trace: true });
      const message = input.principal.type === 'Anonymous' ? 'Access Denied' : formatDenial(traced, request) ?? 'Access Denied';
      this.deps.audit?.record({ requestId, time: input.facts?.time ?? new Date(), principalArn: input.principal.arn, operation: input.operation, action: r.action, resource: r.resource, result: traced.result === 'Allow' ? decision.result : traced.result, reason: traced.reason, message, decision: traced });
      if (!partial) throw new AwsError({ code: 'AccessDenied', status: 403, message });
      denied.add(i);
    }
    return denied;
  }
}
