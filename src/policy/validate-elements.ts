/**
 * Format checks of single element values: actions, resource ARNs, principals and condition
 * values. Each returns the fault in the wording of the given flavour, or undefined.
 */
import { isAccountId, splitArn } from './arn.js';
import { parseCidr } from './ip.js';
import { parseDate } from './iso8601.js';
import { decodeBase64, parseNumber, parseOperator } from './condition-operators.js';
import { IAM, KMS, ORGS, S3, type Flavour } from './validate-messages.js';
import type { ConditionEntry } from './parse.js';
import type { Issue } from './types.js';
import { parseTemplate } from './variables.js';

export interface Fault {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
}

export function issue(path: string, f: Fault): Issue {
  return f.detail === undefined ? { path, code: f.code, message: f.message } : { path, code: f.code, message: f.message, detail: f.detail };
}

const VENDOR = /^[a-zA-Z0-9\-.]+$/;

/** `service:Action` with a valid vendor, or `*`. */
export function checkAction(action: string, flavour: Flavour): Fault | undefined {
  const fault = (message: string): Fault => ({
    code: 'InvalidAction',
    message: flavour === 's3' ? S3.invalidAction : flavour === 'orgs' ? ORGS.invalid : message,
    detail: `action ${JSON.stringify(action)}: ${message}`,
  });
  if (action === '*') return undefined;
  const parts = action.split(':');
  if (parts.length === 1) return fault(IAM.vendorMissing);
  if (parts.length > 2) return fault(IAM.oneColon);
  if (parts[0] !== '*' && !VENDOR.test(parts[0]!)) return fault(IAM.vendorInvalid(parts[0]!));
  return undefined;
}

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', '*']);
const IAM_PATHS = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
];

/** A Resource/NotResource entry: `*` or an ARN whose partition, vendor and region fit (moto's IAM rules). */
export function checkResource(resource: string, flavour: Flavour): Fault | undefined {
  const fault = (message: string): Fault => ({
    code: 'InvalidResource',
    message: flavour === 's3' ? S3.invalidResource : flavour === 'orgs' ? ORGS.invalid : message,
    detail: message,
  });
  if (resource === '*') return undefined;
  const p = splitArn(resource);
  if (!resource.includes(':')) return fault(IAM.resourceFormat(resource));
  if (!p) {
    // Fewer than six segments: IAM reads the missing ones as "*" when naming the partition.
    const segs = resource.split(':');
    if (segs[0] !== 'arn') return fault(IAM.resourceFormat(resource));
    if (segs.length > 1 && !PARTITIONS.has(segs[1]!)) {
      return fault(IAM.partition(segs[1]!, `arn:${segs.slice(1).join(':')}`));
    }
    return fault(IAM.resourceFormat(resource));
  }
  if (p[0] !== 'arn') return fault(IAM.resourceFormat(resource));
  if (!PARTITIONS.has(p[1]!)) return fault(IAM.partition(p[1]!, resource));
  const service = p[2]!;
  if (service === '' || /[*?]/.test(service)) return fault(IAM.vendorRegex);
  if (service === 'iam' && p[3] !== '') return fault(IAM.iamRegion(resource));
  // Bucket and object ARNs carry neither region nor account; access points carry both.
  if (service === 's3' && p[3] !== '' && p[4] === '') return fault(IAM.s3Region(resource));
  if (service === 'iam' && p[5] !== '*' && p[5] !== 'root' && !IAM_PATHS.some((x) => p[5]!.startsWith(x))) {
    return fault(`IAM resource path must either be "*" or start with ${IAM_PATHS.join(', ')}.`);
  }
  return undefined;
}

const UNIQUE_ID = /^A[A-Z0-9]{15,127}$/; // AIDA..., AROA..., stored by IAM in place of deleted entities
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com)$/;

function principalFault(flavour: Flavour, type: string, value: string, why: string): Fault {
  const message =
    flavour === 's3'
      ? S3.invalidPrincipal
      : flavour === 'kms'
        ? KMS.invalidPrincipal
        : flavour === 'orgs'
          ? ORGS.invalid
          : IAM.invalidPrincipal(type, value);
  return { code: 'InvalidPrincipal', message, detail: why };
}

/** One Principal entry of the given type (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
export function checkPrincipal(type: string, value: string, flavour: Flavour): Fault | undefined {
  if (value === '*') {
    return type === 'AWS' ? undefined : principalFault(flavour, type, value, `"*" is valid only as "Principal": "*" or {"AWS": "*"}`);
  }
  if (/[*?]/.test(value)) return principalFault(flavour, type, value, 'a principal cannot be matched partially with wildcards');
  switch (type) {
    case 'AWS': {
      if (isAccountId(value) || UNIQUE_ID.test(value)) return undefined;
      const p = splitArn(value);
      if (p && p[0] === 'arn' && PARTITIONS.has(p[1]!) && p[3] === '' && isAccountId(p[4]!)) {
        if (p[2] === 'iam' && (p[5] === 'root' || /^(user|role)\/.+/.test(p[5]!))) return undefined;
        if (p[2] === 'sts' && /^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(p[5]!)) return undefined;
      }
      return principalFault(flavour, type, value, 'expected an account id or the ARN of an account, user, role or session');
    }
    case 'Service':
      return SERVICE.test(value) ? undefined : principalFault(flavour, type, value, 'expected a service principal like s3.amazonaws.com');
    case 'Federated':
      return value.length > 0 ? undefined : principalFault(flavour, type, value, 'expected an identity provider');
    case 'CanonicalUser':
      return /^[0-9a-f]{64}$/.test(value) ? undefined : principalFault(flavour, type, value, 'expected a 64-hex-digit canonical user id');
    default:
      return principalFault(flavour, type, value, `unknown principal type ${type}`);
  }
}

export interface ConditionFaults {
  readonly errors: Fault[];
  readonly warnings: Fault[];
}

/**
 * An operator block entry: the operator must exist (else IAM's "Syntax errors in policy.");
 * date values must parse (else "The policy failed legacy parsing", as IAM's legacy parser
 * rejects them); other unreadable values only make the condition never match, so they warn.
 */
export function checkCondition(c: ConditionEntry, flavour: Flavour, variables: boolean): ConditionFaults {
  const errors: Fault[] = [];
  const warnings: Fault[] = [];
  const parsed = parseOperator(c.operator);
  const generic = (m: string): string => (flavour === 'orgs' ? ORGS.invalid : m);
  if (!parsed) {
    errors.push({ code: 'UnknownConditionOperator', message: generic(IAM.syntax), detail: `unknown condition operator ${c.operator}` });
    return { errors, warnings };
  }
  const { spec } = parsed;
  if (c.values.length === 0) warnings.push({ code: 'EmptyConditionValues', message: `${c.key} has no values: the condition never matches.` });
  if (!c.key.includes(':')) {
    errors.push({ code: 'InvalidConditionKey', message: generic(IAM.vendorMissing), detail: `condition key ${c.key} has no vendor prefix` });
  }
  for (const v of c.values) {
    const template = parseTemplate(v);
    if (template && variables && !spec.variables) {
      warnings.push({ code: 'VariableNotSupported', message: `Policy variables are not supported with ${spec.name}: ${v} is compared literally.` });
    }
    if (template && variables && spec.variables) continue;
    let ok = true;
    switch (spec.category) {
      case 'Date':
        if (Number.isNaN(parseDate(v))) {
          errors.push({ code: 'InvalidConditionValue', message: generic(IAM.legacy), detail: `${v} is not an ISO 8601 date or epoch time` });
        }
        continue;
      case 'Numeric':
        ok = !Number.isNaN(parseNumber(v));
        break;
      case 'Bool':
      case 'Null':
        ok = v.toLowerCase() === 'true' || v.toLowerCase() === 'false';
        break;
      case 'Binary':
        ok = decodeBase64(v) !== undefined;
        break;
      case 'IpAddress':
        ok = parseCidr(v) !== undefined;
        break;
      default:
        break;
    }
    if (!ok) {
      warnings.push({ code: 'InvalidConditionValue', message: `${v} is not a valid value for ${spec.name}: the condition never matches.` });
    }
  }
  return { errors, warnings };
}
