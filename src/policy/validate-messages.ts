/**
 * The error texts each service returns for a malformed policy. IAM (identity policies,
 * boundaries, session and trust policies) answers MalformedPolicyDocument; S3 bucket
 * policies MalformedPolicy with their own wording; KMS and Organizations have theirs.
 * Sources: AWS responses quoted in public bug reports, and emulators that mirror them
 * (moto's IAM validator, versitygw's bucket-policy validator); see the report in
 * src/policy/README.md for the ones that could not be pinned down.
 */
import type { PolicyKind } from './types.js';

export type Flavour = 'iam' | 's3' | 'kms' | 'orgs';

export function flavourOf(kind: PolicyKind): Flavour {
  switch (kind) {
    case 'resource':
      return 's3';
    case 'key':
      return 'kms';
    case 'scp':
    case 'rcp':
      return 'orgs';
    default:
      return 'iam';
  }
}

export const IAM = {
  syntax: 'Syntax errors in policy.',
  legacy: 'The policy failed legacy parsing',
  version: 'Policy document must be version 2012-10-17 or greater.',
  noPrincipalAllowed: 'Policy document should not specify a principal.',
  missingPrincipal: 'Missing required field Principal',
  mustContainActions: 'Policy statement must contain actions.',
  mustContainResources: 'Policy statement must contain resources.',
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  sidAlnum: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  vendorMissing: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  oneColon: 'Actions/Condition can contain only one colon.',
  vendorInvalid: (vendor: string) => `Vendor ${vendor} is not valid`,
  resourceFormat: (r: string) => `Resource ${r} must be in ARN format or "*".`,
  partition: (partition: string, r: string) => `Partition "${partition}" is not valid for resource "${r}".`,
  vendorRegex: 'Resource vendor must be fully qualified and cannot contain regexes.',
  iamRegion: (r: string) => `IAM resource ${r} cannot contain region information.`,
  s3Region: (r: string) => `Resource ${r} can not contain region information.`,
  invalidPrincipal: (type: string, value: string) => `Invalid principal in policy: "${type}":"${value}"`,
  trustActions: 'AssumeRole policy may only specify STS AssumeRole actions.',
  trustResource: 'Has prohibited field Resource',
  trustNotResource: 'AssumeRole policy must not contain resources.',
  trustAllowNotPrincipal: 'Allow with NotPrincipal is not allowed.',
} as const;

export const S3 = {
  invalidJson: 'This policy contains invalid Json',
  missingStatement: 'Missing required field Statement',
  emptyStatement: 'Could not parse the policy: Statement is empty!',
  unknownField: (field: string) => `Unknown field ${field}`,
  invalidEffect: (effect: string) => `Invalid effect: ${effect}`,
  missingField: (field: string) => `Missing required field ${field}`,
  invalidAction: 'Policy has invalid action',
  invalidResource: 'Policy has invalid resource',
  invalidPrincipal: 'Invalid principal in policy',
  missingPrincipal: 'Missing required field Principal',
} as const;

export const KMS = {
  invalidPrincipal: 'Policy contains a statement with one or more invalid principals.',
} as const;

export const ORGS = {
  invalid: 'The provided policy document does not meet the requirements of the specified policy type.',
} as const;
