/**
 * JSON text or value → normalized PolicyDocument (arrays everywhere, JSON paths kept).
 * Parsing is lenient: it records structural problems and keeps going, so validation can
 * report every fault with its path and evaluation can still run on well-formed statements.
 */
import type { Issue } from './types.js';

export interface PrincipalSpec {
  /** `"Principal": "*"` (the string form). `{"AWS": "*"}` shows up as `aws: ['*']`. */
  readonly any: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

export interface ConditionEntry {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** Condition key as written (matching is case-insensitive). */
  readonly key: string;
  readonly values: readonly string[];
  /** JSON path of the operator block, e.g. `Statement[1].Condition.StringLike`. */
  readonly path: string;
}

export interface Statement {
  readonly index: number;
  /** `Statement[i]`, or `Statement` when the document has a single statement object. */
  readonly path: string;
  readonly sid?: string;
  /** As written; only exactly `Allow` and `Deny` take effect. */
  readonly effect: string;
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly conditions: readonly ConditionEntry[];
}

export interface PolicyDocument {
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly Statement[];
  /** The parsed JSON value the document came from, for validation of what normalization hides. */
  readonly source: unknown;
}

export interface ParseResult {
  /** Present unless the input is not a JSON object. */
  readonly document?: PolicyDocument;
  /** Structural faults, with IAM's MalformedPolicyDocument wording. */
  readonly errors: readonly Issue[];
}

export const TOP_LEVEL_FIELDS = ['Version', 'Id', 'Statement'] as const;
export const STATEMENT_FIELDS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/** IAM answers every structural fault with the same sentence (observed, and mirrored by moto). */
const SYNTAX = 'Syntax errors in policy.';

type Problems = Issue[];

function problem(out: Problems, path: string, code: string, detail: string): void {
  out.push({ path, code, message: SYNTAX, detail });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** String or array of strings → array; anything else is a type problem. */
function stringList(v: unknown, path: string, out: Problems): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  problem(out, path, 'InvalidType', `${path} must be a string or an array of strings`);
  return undefined;
}

function parsePrincipal(v: unknown, path: string, out: Problems): PrincipalSpec | undefined {
  if (v === '*') return { any: true, aws: [], service: [], federated: [], canonicalUser: [] };
  if (typeof v === 'string') {
    // AWS accepts only "*" in the string form; anything else is an invalid principal.
    out.push({ path, code: 'InvalidPrincipal', message: SYNTAX, detail: `principal string must be "*", got ${JSON.stringify(v)}` });
    return undefined;
  }
  if (!isObject(v)) {
    problem(out, path, 'InvalidType', `${path} must be "*" or an object`);
    return undefined;
  }
  const lists: Record<string, string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  for (const [type, value] of Object.entries(v)) {
    const p = `${path}.${type}`;
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      out.push({ path: p, code: 'InvalidPrincipal', message: SYNTAX, detail: `unknown principal type ${type}` });
      continue;
    }
    const list = stringList(value, p, out);
    if (list) lists[type] = list;
  }
  return {
    any: false,
    aws: lists.AWS!,
    service: lists.Service!,
    federated: lists.Federated!,
    canonicalUser: lists.CanonicalUser!,
  };
}

function conditionValue(v: unknown): string | undefined {
  // IAM stores numbers and booleans written without quotes as their JSON text.
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function parseConditions(v: unknown, path: string, out: Problems): ConditionEntry[] {
  if (!isObject(v)) {
    problem(out, path, 'InvalidType', 'Condition must be an object of operator blocks');
    return [];
  }
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(v)) {
    const opPath = `${path}.${operator}`;
    if (!isObject(block)) {
      problem(out, opPath, 'InvalidType', `${operator} must map condition keys to values`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      const values: string[] = [];
      let ok = true;
      for (const item of list) {
        const s = conditionValue(item);
        if (s === undefined) ok = false;
        else values.push(s);
      }
      if (!ok) {
        problem(out, `${opPath}.${key}`, 'InvalidType', 'condition values must be strings, numbers or booleans');
        continue;
      }
      entries.push({ operator, key, values, path: opPath });
    }
  }
  return entries;
}

function parseStatement(v: unknown, index: number, path: string, out: Problems): Statement | undefined {
  if (!isObject(v)) {
    problem(out, path, 'InvalidType', 'each statement must be an object');
    return undefined;
  }
  for (const field of Object.keys(v)) {
    if (!(STATEMENT_FIELDS as readonly string[]).includes(field)) {
      out.push({ path: `${path}.${field}`, code: 'UnknownField', message: SYNTAX, detail: `Unknown field ${field}` });
    }
  }
  let sid: string | undefined;
  if (v.Sid !== undefined) {
    if (typeof v.Sid === 'string') sid = v.Sid;
    else problem(out, `${path}.Sid`, 'InvalidType', 'Sid must be a string');
  }
  let effect = '';
  if (typeof v.Effect === 'string') effect = v.Effect;
  else if (v.Effect !== undefined) problem(out, `${path}.Effect`, 'InvalidType', 'Effect must be a string');
  const list = (field: string): string[] | undefined =>
    v[field] === undefined ? undefined : stringList(v[field], `${path}.${field}`, out);
  const principal = v.Principal === undefined ? undefined : parsePrincipal(v.Principal, `${path}.Principal`, out);
  const notPrincipal = v.NotPrincipal === undefined ? undefined : parsePrincipal(v.NotPrincipal, `${path}.NotPrincipal`, out);
  const conditions = v.Condition === undefined ? [] : parseConditions(v.Condition, `${path}.Condition`, out);
  const st: {
    -readonly [K in keyof Statement]: Statement[K];
  } = { index, path, effect, conditions };
  if (sid !== undefined) st.sid = sid;
  if (principal) st.principal = principal;
  if (notPrincipal) st.notPrincipal = notPrincipal;
  const action = list('Action');
  const notAction = list('NotAction');
  const resource = list('Resource');
  const notResource = list('NotResource');
  if (action) st.action = action;
  if (notAction) st.notAction = notAction;
  if (resource) st.resource = resource;
  if (notResource) st.notResource = notResource;
  return st;
}

/** Parse policy JSON text, or an already-parsed JSON value, into a normalized document. */
export function parsePolicy(input: string | unknown): ParseResult {
  let source: unknown = input;
  if (typeof input === 'string') {
    try {
      source = JSON.parse(input);
    } catch (e) {
      return { errors: [{ path: '', code: 'InvalidJson', message: SYNTAX, detail: (e as Error).message }] };
    }
  }
  if (!isObject(source)) {
    return { errors: [{ path: '', code: 'InvalidJson', message: SYNTAX, detail: 'a policy must be a JSON object' }] };
  }
  const errors: Problems = [];
  for (const field of Object.keys(source)) {
    if (!(TOP_LEVEL_FIELDS as readonly string[]).includes(field)) {
      errors.push({ path: field, code: 'UnknownField', message: SYNTAX, detail: `Unknown field ${field}` });
    }
  }
  let version: string | undefined;
  if (source.Version !== undefined) {
    if (typeof source.Version === 'string') version = source.Version;
    else problem(errors, 'Version', 'InvalidType', 'Version must be a string');
  }
  let id: string | undefined;
  if (source.Id !== undefined) {
    if (typeof source.Id === 'string') id = source.Id;
    else problem(errors, 'Id', 'InvalidType', 'Id must be a string');
  }
  const statements: Statement[] = [];
  const raw = source.Statement;
  if (raw === undefined) {
    errors.push({ path: 'Statement', code: 'MissingStatement', message: SYNTAX, detail: 'Missing required field Statement' });
  } else if (Array.isArray(raw)) {
    if (raw.length === 0) errors.push({ path: 'Statement', code: 'EmptyStatement', message: SYNTAX, detail: 'Statement is empty' });
    raw.forEach((s, i) => {
      const st = parseStatement(s, i, `Statement[${i}]`, errors);
      if (st) statements.push(st);
    });
  } else if (isObject(raw)) {
    const st = parseStatement(raw, 0, 'Statement', errors);
    if (st) statements.push(st);
  } else {
    problem(errors, 'Statement', 'InvalidType', 'Statement must be an object or an array of objects');
  }
  const document: { -readonly [K in keyof PolicyDocument]: PolicyDocument[K] } = { statements, source };
  if (version !== undefined) document.version = version;
  if (id !== undefined) document.id = id;
  return { document, errors };
}

/** Parse and throw on structural errors: for trusted documents (fixtures, stored policies). */
export function parsePolicyOrThrow(input: string | unknown): PolicyDocument {
  const r = parsePolicy(input);
  if (!r.document || r.errors.length > 0) {
    const first = r.errors[0];
    throw new Error(`invalid policy: ${first ? `${first.path || '(document)'}: ${first.detail ?? first.message}` : 'unknown'}`);
  }
  return r.document;
}
