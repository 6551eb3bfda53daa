/**
 * The one registry of condition operators (IAM User Guide, "IAM JSON policy elements:
 * Condition operators"). Each entry knows only how to compare ONE request value with ONE
 * policy value, positively. Negation, `...IfExists`, `ForAllValues:`/`ForAnyValue:`, missing
 * keys, the OR over policy values (NOR for negated operators) and policy variables are
 * handled once, generically, in conditions.ts.
 */
import { compileArnPattern, testArn } from './arn.js';
import { compileGlob } from './glob.js';
import { cidrContains, parseCidr, parseIp } from './ip.js';
import { parseDate } from './iso8601.js';

export type OperatorCategory = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** A test of one request value against one (compiled) policy value. */
export type ValueTest = (contextValue: string) => boolean;

export interface OperatorSpec {
  readonly name: string;
  readonly category: OperatorCategory;
  /** Negated matching (StringNotEquals, NotIpAddress, ...): NOR over values, true on a missing key. */
  readonly negated: boolean;
  /** Policy variables are substituted in values (string, ARN and Bool operators only). */
  readonly variables: boolean;
  /** Values are glob sources (`*`/`?` are wildcards) rather than plain text. */
  readonly glob: boolean;
  /** Compile one policy value into a positive test; undefined when the value is invalid for the operator. */
  readonly compile: (value: string) => ValueTest | undefined;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Integer or decimal text for the Numeric operators; NaN when it is not a number. */
export function parseNumber(text: string): number {
  const s = text.trim();
  return DECIMAL.test(s) ? Number(s) : NaN;
}

type Cmp = (a: number, b: number) => boolean;
const EQ: Cmp = (a, b) => a === b;
const LT: Cmp = (a, b) => a < b;
const LE: Cmp = (a, b) => a <= b;
const GT: Cmp = (a, b) => a > b;
const GE: Cmp = (a, b) => a >= b;

/**
 * One-entry memo of the request-side parse: the same `aws:CurrentTime` or `aws:SourceIp` is
 * compared against many statements of one decision, and often against the next decision too.
 */
function memo<T>(parse: (s: string) => T): (s: string) => T {
  let lastText: string | undefined;
  let lastValue: T;
  return (s) => {
    if (s !== lastText) {
      lastValue = parse(s);
      lastText = s;
    }
    return lastValue;
  };
}

function ordered(parse: (s: string) => number, cmp: Cmp): (value: string) => ValueTest | undefined {
  const parseRequest = memo(parse);
  return (value) => {
    const p = parse(value);
    if (Number.isNaN(p)) return undefined;
    return (s) => {
      const c = parseRequest(s);
      return !Number.isNaN(c) && cmp(c, p);
    };
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decode base64 to a binary string (one char per byte); undefined when not base64. */
export function decodeBase64(s: string): string | undefined {
  const t = s.trim();
  if (!BASE64.test(t)) return undefined;
  return atob(t);
}

const exact = (value: string): ValueTest => (s) => s === value;
const ignoreCase = (value: string): ValueTest => {
  const v = value.toLowerCase();
  return (s) => s.toLowerCase() === v;
};
const like = (value: string): ValueTest => compileGlob(value);
const arnLike = (value: string): ValueTest => {
  const p = compileArnPattern(value, true);
  return (s) => testArn(p, s);
};
const bool = (value: string): ValueTest | undefined => {
  // IAM stores the policy's true/false; comparison ignores case (not pinned down by AWS docs).
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') return undefined;
  return (s) => s.toLowerCase() === v;
};
const binary = (value: string): ValueTest | undefined => {
  const bytes = decodeBase64(value);
  if (bytes === undefined) return undefined;
  // Request values of binary keys arrive base64-encoded as well: compare the bytes.
  return (s) => decodeBase64(s) === bytes;
};
const parseRequestIp = memo(parseIp);
const ip = (value: string): ValueTest | undefined => {
  const c = parseCidr(value);
  if (!c) return undefined;
  return (s) => {
    const a = parseRequestIp(s);
    return a !== undefined && cidrContains(c, a);
  };
};
const nullCheck = (value: string): ValueTest | undefined => {
  const v = value.toLowerCase();
  return v === 'true' || v === 'false' ? () => true : undefined; // evaluated specially, see conditions.ts
};

function op(
  name: string,
  category: OperatorCategory,
  compile: OperatorSpec['compile'],
  flags: { negated?: boolean; variables?: boolean; glob?: boolean } = {},
): OperatorSpec {
  return {
    name,
    category,
    compile,
    negated: flags.negated ?? false,
    variables: flags.variables ?? false,
    glob: flags.glob ?? false,
  };
}

const STR = { variables: true };
const STR_NOT = { variables: true, negated: true };
const NOT = { negated: true };
const ARN = { variables: true, glob: true };
const ARN_NOT = { variables: true, glob: true, negated: true };

const SPECS: readonly OperatorSpec[] = [
  op('StringEquals', 'String', exact, STR),
  op('StringNotEquals', 'String', exact, STR_NOT),
  op('StringEqualsIgnoreCase', 'String', ignoreCase, STR),
  op('StringNotEqualsIgnoreCase', 'String', ignoreCase, STR_NOT),
  op('StringLike', 'String', like, { variables: true, glob: true }),
  op('StringNotLike', 'String', like, { variables: true, glob: true, negated: true }),
  op('NumericEquals', 'Numeric', ordered(parseNumber, EQ)),
  op('NumericNotEquals', 'Numeric', ordered(parseNumber, EQ), NOT),
  op('NumericLessThan', 'Numeric', ordered(parseNumber, LT)),
  op('NumericLessThanEquals', 'Numeric', ordered(parseNumber, LE)),
  op('NumericGreaterThan', 'Numeric', ordered(parseNumber, GT)),
  op('NumericGreaterThanEquals', 'Numeric', ordered(parseNumber, GE)),
  op('DateEquals', 'Date', ordered(parseDate, EQ)),
  op('DateNotEquals', 'Date', ordered(parseDate, EQ), NOT),
  op('DateLessThan', 'Date', ordered(parseDate, LT)),
  op('DateLessThanEquals', 'Date', ordered(parseDate, LE)),
  op('DateGreaterThan', 'Date', ordered(parseDate, GT)),
  op('DateGreaterThanEquals', 'Date', ordered(parseDate, GE)),
  op('Bool', 'Bool', bool, STR),
  op('BinaryEquals', 'Binary', binary),
  op('IpAddress', 'IpAddress', ip),
  op('NotIpAddress', 'IpAddress', ip, NOT),
  op('ArnEquals', 'Arn', arnLike, ARN),
  op('ArnLike', 'Arn', arnLike, ARN),
  op('ArnNotEquals', 'Arn', arnLike, ARN_NOT),
  op('ArnNotLike', 'Arn', arnLike, ARN_NOT),
  op('Null', 'Null', nullCheck),
];

export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(SPECS.map((s) => [s.name, s]));

export type SetOperator = 'none' | 'ForAllValues' | 'ForAnyValue';

export interface ParsedOperator {
  readonly spec: OperatorSpec;
  readonly set: SetOperator;
  readonly ifExists: boolean;
}

/**
 * `ForAnyValue:StringLikeIfExists` → spec + qualifiers; undefined for unknown operators and
 * for `NullIfExists` ("You can add IfExists to ... any condition operator except Null").
 */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetOperator = 'none';
  if (rest.startsWith('ForAllValues:')) {
    set = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  } else if (rest.startsWith('ForAnyValue:')) {
    set = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  let spec = OPERATORS.get(rest);
  if (!spec && rest.endsWith('IfExists')) {
    spec = OPERATORS.get(rest.slice(0, -'IfExists'.length));
    ifExists = true;
    if (spec?.category === 'Null') return undefined;
  }
  if (!spec) return undefined;
  return { spec, set, ifExists };
}
