import { readFileSync } from 'node:fs';
import type { Principal } from '../auth/principal.js';
import { simulate, type EvaluationResult, type SimulatedPolicy } from '../authz/simulate.js';

export interface SimulateFlags {
  policy: string[];
  boundary: string[];
  resourcePolicy?: string;
  resourceOwner?: string;
  action: string[];
  resource: string[];
  context: string[];
  caller?: string;
}

const ENTITY = /^arn:aws:(iam|sts)::(\d{12}):(user|role|assumed-role|root)/;

/** The caller the policies are evaluated for: an IAM user by default, a role session for role ARNs. */
function principalOf(arn: string | undefined): Principal {
  const callerArn = arn ?? 'arn:aws:iam::000000000000:user/SimulatedUser';
  const m = ENTITY.exec(callerArn);
  if (!m) throw new Error(`--caller must be an IAM user, role or assumed-role ARN: ${callerArn}`);
  const accountId = m[2]!;
  if (m[3] === 'role' || m[3] === 'assumed-role') return { type: 'AssumedRole', accountId, arn: callerArn, roleArn: callerArn, userId: callerArn };
  return { type: 'User', accountId, arn: callerArn, userId: callerArn, userName: callerArn.slice(callerArn.lastIndexOf('/') + 1) };
}

/** `key=value` or `key=v1,v2` (a multivalued key). */
function contextOf(pairs: string[]): Record<string, string | string[]> {
  const c: Record<string, string | string[]> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`--context takes key=value: ${p}`);
    const values = p.slice(eq + 1).split(',');
    c[p.slice(0, eq)] = values.length === 1 ? values[0]! : values;
  }
  return c;
}

const file = (path: string, i: number, prefix: string, type: string): SimulatedPolicy => ({ id: `${prefix}.${i + 1} (${path})`, type, document: readFileSync(path, 'utf8') });

/** Evaluates policy files offline, with the engine that decides real requests. */
export function runSimulation(flags: SimulateFlags): EvaluationResult[] {
  return simulate({
    principal: principalOf(flags.caller),
    identity: flags.policy.map((p, i) => file(p, i, 'policy', 'none')),
    boundaries: flags.boundary.map((p, i) => file(p, i, 'boundary', 'none')),
    actions: flags.action,
    resources: flags.resource.length ? flags.resource : ['*'],
    ...(flags.resourcePolicy ? { resourcePolicy: file(flags.resourcePolicy, 0, 'resource-policy', 'resource') } : {}),
    ...(flags.resourceOwner ? { resourceOwner: flags.resourceOwner } : {}),
    context: contextOf(flags.context),
  });
}

export function renderResults(results: EvaluationResult[]): string {
  return results.map((r) => {
    const lines = [`${r.EvalDecision.padEnd(12)} ${r.EvalActionName} on ${r.EvalResourceName}`];
    for (const m of r.MatchedStatements) {
      const at = m.StartPosition ? ` at line ${m.StartPosition.Line}, column ${m.StartPosition.Column}` : '';
      lines.push(`  matched ${m.SourcePolicyId}${at}`);
    }
    if (r.MissingContextValues.length) lines.push(`  missing context keys: ${r.MissingContextValues.join(', ')}`);
    if (r.PermissionsBoundaryDecisionDetail) lines.push(`  allowed by the boundary: ${r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary}`);
    return lines.join('\n');
  }).join('\n');
}
