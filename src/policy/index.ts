/**
 * Coffer's AWS IAM policy engine: pure (no I/O, no clock, no environment), dependency-free.
 * parsePolicy → validatePolicy(doc, kind) → evaluate(request, policiesByType) → Decision.
 */
export { parsePolicy, parsePolicyOrThrow } from './parse.js';
export type { ConditionEntry, ParseResult, PolicyDocument, PrincipalSpec, Statement } from './parse.js';
export { validatePolicy } from './validate.js';
export type { ValidateOptions, ValidationResult } from './validate.js';
export type { ActionCatalogue, ConditionKeyType } from './catalogue.js';
export { checkPolicySize, policySize, POLICY_SIZE_LIMITS } from './size.js';
export type { PolicySizeLimit, SizeCheck } from './size.js';
export { evaluate } from './evaluate.js';
export { compilePolicy } from './compile.js';
export { explainDecision, formatDenial, POLICY_TYPE_NAMES } from './explain.js';
export type { DenialExplanation, FormatOptions } from './explain.js';
export { principalContextKeys } from './principal-keys.js';
export { OPERATORS, parseOperator } from './condition-operators.js';
export type { OperatorCategory, OperatorSpec, ParsedOperator, SetOperator } from './condition-operators.js';
export type * from './types.js';
