/**
 * Generic condition evaluation, written once for every operator in the registry.
 *
 * Rules (IAM User Guide: "Condition operators", "Conditions with multiple context keys or
 * values", "Single-valued vs. multivalued context keys"):
 * - keys in one block, and blocks in one Condition, are ANDed (the statement does that);
 * - the values of one key are ORed; for a negated operator they are NORed;
 * - a key absent from the request: the values do not match, so the condition is false, and
 *   a negated operator is true; `...IfExists` makes it true; `Null` tests presence itself;
 * - `ForAllValues:` is true when every request value matches some policy value, and also when
 *   the key is missing or empty; `ForAnyValue:` needs one match and is false on a missing key.
 *   With a negated operator the negation applies to each request value
 *   (`ForAllValues:StringNotLike` = every request value is unlike every policy value);
 * - without a set operator, a multivalued request value matches when any of its values does
 *   (negated: when none does). AWS asks for a set operator there and does not document this.
 */
import type { ConditionEntry } from './parse.js';
import type { ContextView } from './context.js';
import { parseOperator, type OperatorSpec, type SetOperator, type ValueTest } from './condition-operators.js';
import { literal, parseTemplate, resolveTemplate, type Template } from './variables.js';

type ValueSlot = { readonly test: ValueTest } | { readonly template: Template };

export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  readonly lowerKey: string;
  readonly values: readonly string[];
  readonly spec: OperatorSpec | undefined;
  readonly set: SetOperator;
  readonly ifExists: boolean;
  /** Static tests, or templates resolved per request. */
  readonly slots: readonly ValueSlot[];
  /** All values static: their tests, ready to run. */
  readonly staticTests: readonly ValueTest[] | undefined;
  /** Fast path: static StringEquals values. */
  readonly exactSet: ReadonlySet<string> | undefined;
  /** Unknown operator or a value the operator cannot read: the condition never matches. */
  readonly invalid: boolean;
  /** Null only: which presence each policy value asks for. */
  readonly nullWants: readonly boolean[];
}

/** Compile one operator/key/values entry; `variables` is true for Version 2012-10-17 documents. */
export function compileCondition(entry: ConditionEntry, variables: boolean): CompiledCondition {
  const parsed = parseOperator(entry.operator);
  const spec = parsed?.spec;
  let invalid = !parsed;
  const slots: ValueSlot[] = [];
  const nullWants: boolean[] = [];
  let allStatic = true;
  if (spec) {
    for (const v of entry.values) {
      if (spec.category === 'Null') {
        const lv = v.toLowerCase();
        if (lv !== 'true' && lv !== 'false') invalid = true;
        nullWants.push(lv === 'true');
        continue;
      }
      const template = variables && spec.variables ? parseTemplate(v) : undefined;
      if (template) {
        allStatic = false;
        slots.push({ template });
        continue;
      }
      const test = spec.compile(literal(v, spec.glob));
      if (!test) invalid = true;
      else slots.push({ test });
    }
  }
  const exactSet =
    spec?.name === 'StringEquals' || spec?.name === 'StringNotEquals'
      ? allStatic && entry.values.length > 1
        ? new Set(entry.values)
        : undefined
      : undefined;
  return {
    operator: entry.operator,
    key: entry.key,
    lowerKey: entry.key.toLowerCase(),
    values: entry.values,
    spec,
    set: parsed?.set ?? 'none',
    ifExists: parsed?.ifExists ?? false,
    slots,
    staticTests: allStatic ? slots.map((s) => (s as { test: ValueTest }).test) : undefined,
    exactSet,
    invalid,
    nullWants,
  };
}

const SINGLE: string[] = [''];

/** Resolve templated values for this request; `unresolved` means some value could not be read. */
function testsFor(c: CompiledCondition, ctx: ContextView): { tests: ValueTest[]; unresolved: boolean } {
  const tests: ValueTest[] = [];
  let unresolved = false;
  const spec = c.spec!;
  for (const slot of c.slots) {
    if ('test' in slot) {
      tests.push(slot.test);
      continue;
    }
    const r = resolveTemplate(slot.template, ctx, spec.glob);
    if (!r.ok) {
      unresolved = true;
      continue;
    }
    const t = spec.compile(r.text);
    if (t) tests.push(t);
    else unresolved = true;
  }
  return { tests, unresolved };
}

function anyTest(tests: readonly ValueTest[], v: string): boolean {
  for (let i = 0; i < tests.length; i++) if (tests[i]!(v)) return true;
  return false;
}

/** Evaluate one condition against the request context. */
export function evaluateCondition(c: CompiledCondition, ctx: ContextView): boolean {
  if (c.invalid || !c.spec) return false;
  const raw = ctx.get(c.key, c.lowerKey);
  const isArray = raw !== undefined && typeof raw !== 'string';
  const present = raw !== undefined && (!isArray || (raw as readonly string[]).length > 0);

  if (c.spec.category === 'Null') {
    // "true" asks for the key to be absent, "false" for it to be present; values are ORed.
    for (const wantsAbsent of c.nullWants) if (wantsAbsent !== present) return true;
    return false;
  }
  if (!present) {
    ctx.noteMissing(c.key);
    if (c.ifExists) return true;
    if (c.set === 'ForAllValues') return true;
    if (c.set === 'ForAnyValue') return false;
    return c.spec.negated;
  }
  let values: readonly string[];
  if (isArray) values = raw as readonly string[];
  else {
    SINGLE[0] = raw as string;
    values = SINGLE;
  }
  const negated = c.spec.negated;
  const exact = c.exactSet;
  let tests = c.staticTests;
  let unresolved = false;
  if (tests === undefined) {
    const r = testsFor(c, ctx);
    tests = r.tests;
    unresolved = r.unresolved;
  }
  // An unresolved variable value is a comparison that "fails": it never matches, and it
  // never proves a negated operator true either.
  if (c.set === 'none') {
    // No set operator: a multivalued request value matches if any of its values matches.
    let hit = false;
    for (const v of values) {
      if (exact ? exact.has(v) : anyTest(tests, v)) {
        hit = true;
        break;
      }
    }
    return negated ? !unresolved && !hit : hit;
  }
  const all = c.set === 'ForAllValues';
  for (const v of values) {
    const p = exact ? exact.has(v) : anyTest(tests, v);
    const one = negated ? !unresolved && !p : p;
    if (all && !one) return false;
    if (!all && one) return true;
  }
  return all;
}

/** Request values of a key, for traces. */
export function contextValuesOf(c: CompiledCondition, ctx: ContextView): readonly string[] | undefined {
  const raw = ctx.get(c.key, c.lowerKey);
  if (raw === undefined) return undefined;
  return typeof raw === 'string' ? [raw] : raw;
}
