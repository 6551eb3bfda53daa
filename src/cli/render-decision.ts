import type { DecisionRecord } from '../audit/audit-log.js';
import { POLICY_TYPE_NAMES, type Decision, type PolicyTrace, type StatementTrace } from '../policy/index.js';

/** Text rendering of audit records for `coffer explain`: the engine returns data, the CLI words it. */

function statementLine(s: StatementTrace): string {
  const name = s.sid ? `"${s.sid}"` : `#${s.index}`;
  if (s.matched) return `    ✓ statement ${name} (${s.effect}) applies`;
  const why = s.why;
  if (!why) return `    · statement ${name} (${s.effect}) does not apply`;
  if (why.element === 'Condition') {
    const have = why.contextValues === undefined ? 'the request has no value for it' : `the request has ${JSON.stringify(why.contextValues)}`;
    return `    · statement ${name} (${s.effect}) does not apply: condition ${why.operator} ${why.key} ${JSON.stringify(why.values)} — ${have}`;
  }
  return `    · statement ${name} (${s.effect}) does not apply: ${why.element} does not match`;
}

function policyLines(p: PolicyTrace): string[] {
  const head = `  ${POLICY_TYPE_NAMES[p.type] ?? p.type}${p.label ? ` ${p.label}` : ''}${p.level !== undefined ? ` (level ${p.level})` : ''}: ${p.denies ? 'DENIES' : p.allows ? 'allows' : 'does not allow'}`;
  return [head, ...p.statements.map(statementLine)];
}

export function renderRecord(r: DecisionRecord): string {
  const lines = [
    `${r.time.toISOString()}  ${r.operation}  ${r.result}`,
    `  principal: ${r.principalArn}`,
    `  action:    ${r.action}`,
    `  resource:  ${r.resource}`,
    `  reason:    ${r.reason}`,
  ];
  if (r.message) lines.push(`  message:   ${r.message}`);
  const d = r.decision as Decision | undefined;
  if (d) {
    if (d.trace.length === 0) lines.push('  no policy applied to this request');
    for (const p of d.trace) lines.push(...policyLines(p));
    if (d.missingContextKeys.length) lines.push(`  context keys the policies asked for that the request did not have: ${d.missingContextKeys.join(', ')}`);
  }
  return lines.join('\n');
}
