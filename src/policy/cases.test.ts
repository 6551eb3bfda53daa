/** Runs the table-driven cases of src/policy/cases/ through the public API. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, formatDenial, parsePolicyOrThrow, validatePolicy } from './index.js';
import type { Decision, PoliciesByType, Policy, RequestPrincipal } from './index.js';
import { operatorCases } from './cases/conditions-operators.js';
import { logicCases } from './cases/conditions-logic.js';
import { flowCases } from './cases/flow.js';
import { ACCT, OBJ, user, type ConditionCase, type FlowCase, type Json, type StatementCase, type ValidationCase } from './cases/helpers.js';
import { matchingCases } from './cases/matching.js';
import { principalCases } from './cases/principals.js';
import { validationCases } from './cases/validation.js';
import { variableCases } from './cases/variables.js';

const pol = (json: Json, label?: string): Policy => ({ document: parsePolicyOrThrow(json), ...(label ? { label } : {}) });

function withVersion(statement: Json, version: string | null | undefined): Json {
  if (version === null) return { Statement: [statement] };
  return { Version: version ?? '2012-10-17', Statement: [statement] };
}

function runStatement(c: StatementCase, trace = true): Decision {
  const principal: RequestPrincipal = c.principal ?? user();
  const document = withVersion(c.statement, c.version);
  const inResource = 'Principal' in c.statement || 'NotPrincipal' in c.statement;
  const policies: PoliciesByType = inResource
    ? { resourcePolicy: { policy: pol(document, 'case'), ownerAccountId: c.owner ?? ACCT }, identity: (c.identity ?? []).map((j) => pol(j)) }
    : { identity: [pol(document, 'case'), ...(c.identity ?? []).map((j) => pol(j))] };
  return evaluate(
    { principal, action: c.action ?? 's3:GetObject', resource: c.resource ?? OBJ, context: c.context ?? {} },
    policies,
    { trace },
  );
}

function expected(e: StatementCase['expect']): Decision['result'] {
  return e === true ? 'Allow' : e === false ? 'ImplicitDeny' : e;
}

function statementSuite(name: string, cases: readonly StatementCase[]): void {
  describe(name, () => {
    for (const c of cases) {
      test(c.name ?? c.rule, () => {
        const d = runStatement(c);
        assert.equal(d.result, expected(c.expect), JSON.stringify(d.trace));
        assert.equal(runStatement(c, false).result, d.result, 'untraced evaluation agrees');
        if (c.missing) for (const k of c.missing) assert.ok(d.missingContextKeys.includes(k), `missing ${k}`);
      });
    }
  });
}

function conditionSuite(name: string, cases: readonly ConditionCase[]): void {
  describe(name, () => {
    for (const c of cases) {
      test(c.name ?? c.rule, () => {
        const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: c.condition };
        const d = runStatement({ rule: c.rule, statement, version: c.version, context: c.context, expect: c.expect });
        assert.equal(d.result, c.expect ? 'Allow' : 'ImplicitDeny', JSON.stringify(d.trace));
      });
    }
  });
}

function flowPolicies(c: FlowCase): PoliciesByType {
  const p = c.policies;
  return {
    ...(p.identity ? { identity: p.identity.map((j, i) => pol(j, `identity-${i}`)) } : {}),
    ...(p.resource
      ? { resourcePolicy: { policy: pol(p.resource.doc, 'resource'), ownerAccountId: p.resource.owner ?? ACCT, ...(p.resource.required ? { required: true } : {}) } }
      : {}),
    ...(p.scps ? { scps: p.scps.map((level) => level.map((j) => pol(j))) } : {}),
    ...(p.rcps ? { rcps: p.rcps.map((level) => level.map((j) => pol(j))) } : {}),
    ...(p.boundary ? { boundary: pol(p.boundary, 'boundary') } : {}),
    ...(p.session ? { sessionPolicies: p.session.map((j) => pol(j)) } : {}),
  };
}

describe('flow', () => {
  for (const c of flowCases) {
    test(`${c.name} (${c.rule})`, () => {
      const request = {
        principal: c.principal,
        action: c.action ?? 's3:GetObject',
        resource: c.resource ?? OBJ,
        context: c.context ?? {},
        ...(c.resourceAccountId ? { resourceAccountId: c.resourceAccountId } : {}),
      };
      const policies = flowPolicies(c);
      const d = evaluate(request, policies);
      const fast = evaluate(request, policies, { trace: false });
      assert.equal(d.result, c.expect.result, JSON.stringify(d, null, 1));
      if (c.expect.reason) assert.equal(d.reason, c.expect.reason);
      if (c.expect.deniedBy) assert.deepEqual(d.deniedBy, c.expect.deniedBy);
      assert.equal(fast.result, d.result, 'untraced evaluation agrees');
      assert.equal(fast.reason, d.reason, 'untraced evaluation agrees on the reason');
      if (c.message) assert.equal(formatDenial(d, request), c.message);
    });
  }
});

statementSuite('actions and resources', matchingCases);
statementSuite('principals', principalCases);
statementSuite('variables', variableCases);
conditionSuite('condition operators', operatorCases);
conditionSuite('condition logic', logicCases);

describe('validation', () => {
  for (const c of validationCases as readonly ValidationCase[]) {
    test(`${c.name} (${c.rule})`, () => {
      const r = validatePolicy(typeof c.policy === 'string' ? c.policy : c.policy, c.kind);
      if (c.errors.length === 0) assert.deepEqual(r.errors, [], JSON.stringify(r.errors));
      for (const want of c.errors) {
        const hit = r.errors.find(
          (e) => e.code === want.code && (want.path === undefined || e.path === want.path) && (want.message === undefined || e.message === want.message),
        );
        assert.ok(hit, `expected ${JSON.stringify(want)} in ${JSON.stringify(r.errors, null, 1)}`);
      }
      for (const want of c.warnings ?? []) {
        const hit = r.warnings.find((w) => w.code === want.code && (want.path === undefined || w.path === want.path));
        assert.ok(hit, `expected warning ${JSON.stringify(want)} in ${JSON.stringify(r.warnings, null, 1)}`);
      }
    });
  }
});

test('every case cites an AWS rule', () => {
  const all = [...matchingCases, ...principalCases, ...variableCases, ...operatorCases, ...logicCases, ...flowCases, ...validationCases];
  for (const c of all) assert.match(c.rule, / — /, `rule must be "<page> — <rule>": ${c.rule}`);
  assert.ok(all.length >= 200, `at least 200 cases, got ${all.length}`);
});
