/**
 * validatePolicy(doc, kind) → { errors, warnings }, each issue located by a JSON path.
 *
 * Errors are faults the owning service rejects the document for, in its wording
 * (validate-messages.ts). Warnings are valid-but-suspicious constructs (literal variables,
 * conditions that can never match) and, with a catalogue, unknown actions and keys.
 *
 * Kinds: identity (user/group/role policies), boundary, session and scp/rcp take no
 * Principal; resource (S3 and friends), trust (role trust policies), key (KMS) and rcp
 * require one; trust policies name only STS actions and no resources.
 */
import { catalogueWarnings, type ActionCatalogue } from './catalogue.js';
import { parsePolicy, type PolicyDocument, type PrincipalSpec, type Statement } from './parse.js';
import type { Issue, PolicyKind } from './types.js';
import { checkAction, checkCondition, checkPrincipal, checkResource, issue } from './validate-elements.js';
import { flavourOf, IAM, ORGS, S3, type Flavour } from './validate-messages.js';
import { parseTemplate, VARIABLES_VERSION } from './variables.js';
import { splitArn } from './arn.js';

export interface ValidateOptions {
  /** Service Authorization Reference data for unknown-action / unknown-key / type warnings. */
  readonly catalogue?: ActionCatalogue;
}

export interface ValidationResult {
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

const NO_PRINCIPAL: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'session', 'scp']);
const NEEDS_PRINCIPAL: ReadonlySet<PolicyKind> = new Set(['resource', 'trust', 'key', 'rcp']);
/** Kinds IAM itself stores, which need Version 2012-10-17 (moto mirrors IAM's check). */
const IAM_STORED: ReadonlySet<PolicyKind> = new Set(['identity', 'boundary', 'session']);
const SID_ALNUM = /^[0-9A-Za-z]*$/;
const TRUST_ACTION = /^sts:/i;

function isDocument(v: unknown): v is PolicyDocument {
  return typeof v === 'object' && v !== null && Array.isArray((v as PolicyDocument).statements) && 'source' in v;
}

/** Re-word a parse fault for the flavour of the owning service. */
function reword(i: Issue, flavour: Flavour): Issue {
  const detail = i.detail ?? '';
  let message = i.message;
  if (flavour === 'orgs') message = ORGS.invalid;
  else if (flavour === 's3') {
    if (i.code === 'InvalidJson') message = S3.invalidJson;
    else if (i.code === 'MissingStatement') message = S3.missingStatement;
    else if (i.code === 'EmptyStatement') message = S3.emptyStatement;
    else if (i.code === 'UnknownField') message = S3.unknownField(i.path.split('.').pop()!);
    else if (i.code === 'InvalidPrincipal') message = S3.invalidPrincipal;
  }
  return detail ? { path: i.path, code: i.code, message, detail } : { path: i.path, code: i.code, message };
}

class Collector {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  constructor(readonly kind: PolicyKind, readonly flavour: Flavour) {}
  error(path: string, code: string, iamMessage: string, s3Message?: string, detail?: string): void {
    const message = this.flavour === 'orgs' ? ORGS.invalid : this.flavour === 's3' && s3Message ? s3Message : iamMessage;
    this.errors.push(issue(path, detail === undefined ? { code, message } : { code, message, detail }));
  }
  warn(path: string, code: string, message: string): void {
    this.warnings.push({ path, code, message });
  }
}

function checkEffect(st: Statement, raw: Record<string, unknown>, out: Collector): void {
  const path = `${st.path}.Effect`;
  if (raw.Effect === undefined) return out.error(path, 'MissingEffect', IAM.syntax, S3.missingField('Effect'));
  if (st.effect === 'Allow' || st.effect === 'Deny') return;
  // IAM's syntax check ignores case, its legacy parser does not (moto mirrors both steps).
  const caseOnly = st.effect.toLowerCase() === 'allow' || st.effect.toLowerCase() === 'deny';
  out.error(path, 'InvalidEffect', caseOnly ? IAM.legacy : IAM.syntax, S3.invalidEffect(st.effect), `Effect must be "Allow" or "Deny", got ${JSON.stringify(st.effect)}`);
}

function checkPrincipals(st: Statement, raw: Record<string, unknown>, out: Collector): void {
  const has = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (NO_PRINCIPAL.has(out.kind)) {
    if (has) out.error(`${st.path}.${raw.Principal !== undefined ? 'Principal' : 'NotPrincipal'}`, 'PrincipalNotAllowed', IAM.noPrincipalAllowed);
    return;
  }
  if (!NEEDS_PRINCIPAL.has(out.kind)) return;
  if (!has) return out.error(st.path, 'MissingPrincipal', IAM.missingPrincipal, S3.missingPrincipal);
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) {
    return out.error(st.path, 'ConflictingElements', IAM.syntax, undefined, 'Principal and NotPrincipal cannot both be present');
  }
  const element = raw.Principal !== undefined ? 'Principal' : 'NotPrincipal';
  const spec: PrincipalSpec | undefined = st.principal ?? st.notPrincipal;
  if (element === 'NotPrincipal' && st.effect === 'Allow') {
    if (out.kind === 'trust') out.error(`${st.path}.NotPrincipal`, 'AllowWithNotPrincipal', IAM.trustAllowNotPrincipal);
    else out.warn(`${st.path}.NotPrincipal`, 'AllowWithNotPrincipal', 'Allow with NotPrincipal grants access to every other principal, anonymous users included.');
  }
  if (!spec) return; // a parse fault, reported already
  const entries: Array<[string, readonly string[]]> = [
    ['AWS', spec.aws],
    ['Service', spec.service],
    ['Federated', spec.federated],
    ['CanonicalUser', spec.canonicalUser],
  ];
  if (!spec.any && entries.every(([, v]) => v.length === 0)) {
    return out.error(`${st.path}.${element}`, 'InvalidPrincipal', IAM.invalidPrincipal('', ''), S3.invalidPrincipal, 'the principal names nobody');
  }
  if (out.kind === 'rcp' && !(spec.any || (spec.aws.length === 1 && spec.aws[0] === '*'))) {
    out.error(`${st.path}.${element}`, 'InvalidPrincipal', ORGS.invalid, undefined, 'resource control policies accept only "Principal": "*"');
  }
  for (const [type, values] of entries) {
    for (const v of values) {
      const f = checkPrincipal(type, v, out.flavour);
      if (f) out.errors.push(issue(`${st.path}.${element}.${type}`, f));
    }
  }
}

function checkActions(st: Statement, raw: Record<string, unknown>, out: Collector): void {
  if (raw.Action !== undefined && raw.NotAction !== undefined) {
    out.error(st.path, 'ConflictingElements', IAM.syntax, undefined, 'Action and NotAction cannot both be present');
  }
  const element = raw.Action !== undefined ? 'Action' : 'NotAction';
  const list = st.action ?? st.notAction;
  if (raw.Action === undefined && raw.NotAction === undefined) {
    return out.error(st.path, 'MissingAction', IAM.mustContainActions, S3.missingField('Action'));
  }
  if (list && list.length === 0) return out.error(`${st.path}.${element}`, 'MissingAction', IAM.mustContainActions, S3.missingField('Action'));
  for (const a of list ?? []) {
    const f = checkAction(a, out.flavour);
    if (f) out.errors.push(issue(`${st.path}.${element}`, f));
    else if (out.kind === 'trust' && !TRUST_ACTION.test(a)) out.error(`${st.path}.${element}`, 'InvalidTrustAction', IAM.trustActions, undefined, `${a} is not an STS action`);
  }
}

function checkResources(st: Statement, raw: Record<string, unknown>, doc: PolicyDocument, out: Collector): void {
  if (out.kind === 'trust') {
    if (raw.Resource !== undefined) out.error(`${st.path}.Resource`, 'ProhibitedResource', IAM.trustResource);
    if (raw.NotResource !== undefined) out.error(`${st.path}.NotResource`, 'ProhibitedResource', IAM.trustNotResource);
    return;
  }
  if (raw.Resource !== undefined && raw.NotResource !== undefined) {
    out.error(st.path, 'ConflictingElements', IAM.syntax, undefined, 'Resource and NotResource cannot both be present');
  }
  const element = raw.Resource !== undefined ? 'Resource' : 'NotResource';
  const list = st.resource ?? st.notResource;
  if ((raw.Resource === undefined && raw.NotResource === undefined) || (list && list.length === 0)) {
    return out.error(raw.Resource === undefined && raw.NotResource === undefined ? st.path : `${st.path}.${element}`, 'MissingResource', IAM.mustContainResources, S3.missingField('Resource'));
  }
  for (const r of list ?? []) {
    const path = `${st.path}.${element}`;
    const f = checkResource(r, out.flavour);
    if (f) out.errors.push(issue(path, f));
    if (r.includes('${')) {
      if (doc.version !== VARIABLES_VERSION) out.warn(path, 'VariablesNeedVersion2012', `${r}: policy variables need "Version": "2012-10-17"; here they are literal text.`);
      else {
        const p = splitArn(r);
        const head = p ? p.slice(0, 5).join(':') : r;
        if (parseTemplate(head)) out.warn(path, 'VariableOutsideResourcePart', `${r}: variables are allowed only in the resource part of the ARN (after the fifth colon); here they are literal text.`);
      }
    }
  }
}

function checkStatement(st: Statement, doc: PolicyDocument, out: Collector): void {
  const raw = (Array.isArray((doc.source as { Statement: unknown }).Statement)
    ? ((doc.source as { Statement: unknown[] }).Statement[st.index] as Record<string, unknown>)
    : ((doc.source as { Statement: unknown }).Statement as Record<string, unknown>));
  checkEffect(st, raw, out);
  checkPrincipals(st, raw, out);
  checkActions(st, raw, out);
  checkResources(st, raw, doc, out);
  const variables = doc.version === VARIABLES_VERSION;
  for (const c of st.conditions) {
    const { errors, warnings } = checkCondition(c, out.flavour, variables);
    for (const f of errors) out.errors.push(issue(c.path, f));
    for (const f of warnings) out.warn(`${c.path}.${c.key}`, f.code, f.message);
    if (!variables && c.values.some((v) => parseTemplate(v))) {
      out.warn(`${c.path}.${c.key}`, 'VariablesNeedVersion2012', 'Policy variables need "Version": "2012-10-17"; here they are literal text.');
    }
  }
}

/** Validate a policy document (text, JSON value, or parsed document) for one kind of use. */
export function validatePolicy(input: PolicyDocument | string | unknown, kind: PolicyKind, options: ValidateOptions = {}): ValidationResult {
  const flavour = flavourOf(kind);
  const parsed = parsePolicy(isDocument(input) ? input.source : input);
  const out = new Collector(kind, flavour);
  for (const e of parsed.errors) out.errors.push(reword(e, flavour));
  const doc = parsed.document;
  if (!doc) return out;

  if (doc.version !== undefined && doc.version !== '2012-10-17' && doc.version !== '2008-10-17') {
    out.error('Version', 'InvalidVersion', IAM.syntax, undefined, `Version must be 2012-10-17 or 2008-10-17, got ${doc.version}`);
  } else if (IAM_STORED.has(kind) && doc.version !== VARIABLES_VERSION) {
    out.error('Version', 'InvalidVersion', IAM.version);
  } else if (doc.version === undefined) {
    out.warn('Version', 'MissingVersion', 'No Version: the policy is read as 2008-10-17 and policy variables are literal text.');
  }

  const sids = new Set<string>();
  for (const st of doc.statements) {
    if (st.sid !== undefined && st.sid !== '') {
      if (sids.has(st.sid)) out.error(`${st.path}.Sid`, 'DuplicateSid', IAM.duplicateSid);
      sids.add(st.sid);
      if (flavour === 'iam' && !SID_ALNUM.test(st.sid)) out.error(`${st.path}.Sid`, 'InvalidSid', IAM.sidAlnum);
    }
    checkStatement(st, doc, out);
  }
  if (options.catalogue) out.warnings.push(...catalogueWarnings(doc, options.catalogue));
  return { errors: out.errors, warnings: out.warnings };
}
