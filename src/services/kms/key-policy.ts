// Key policies: the default one CreateKey attaches, the aws/s3 one, validation, and the
// policy lockout safety check (KMS business logic, not authorization: KMS refuses a policy
// that would stop the caller from ever changing it again).
import type { Principal } from '../../auth/principal.js';
import { kmsError } from '../../errors/kms.js';
import { requestPrincipal } from '../../authz/request-principal.js';
import { evaluate, parsePolicy, policySize, principalContextKeys, validatePolicy } from '../../policy/index.js';

/** KMS's quota on a key policy document: 32 KB. */
export const KEY_POLICY_MAX_BYTES = 32768;

/** JSON the way KMS prints the policies it writes itself (Jackson's default pretty printer). */
export function jacksonJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => jacksonJson(v, indent)).join(', ')} ]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{ }';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${jacksonJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** "Default key policy" (KMS Developer Guide): the account root gets kms:*, delegating to IAM. */
export function defaultKeyPolicy(accountId: string): string {
  return jacksonJson({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    }],
  });
}

/** The key policy AWS attaches to an account's `aws/s3` AWS managed key. */
export function awsS3KeyPolicy(accountId: string, region: string): string {
  return jacksonJson({
    Version: '2012-10-17',
    Id: 'auto-s3-2',
    Statement: [
      {
        Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  });
}

/** MalformedPolicyDocumentException / LimitExceededException for a policy KMS would refuse. */
export function checkKeyPolicy(text: string): void {
  if (Buffer.byteLength(text, 'utf8') > KEY_POLICY_MAX_BYTES || policySize(text) > KEY_POLICY_MAX_BYTES) {
    throw kmsError('LimitExceededException', `The key policy exceeds the maximum size of ${KEY_POLICY_MAX_BYTES} bytes.`);
  }
  const result = validatePolicy(text, 'key');
  const first = result.errors[0];
  if (first) throw kmsError('MalformedPolicyDocumentException', first.message);
}

/** Decides whether `principal` could still call PutKeyPolicy on the key under `policyText`. */
export type PutKeyPolicyCheck = (policyText: string, principal: Principal, key: { arn: string; accountId: string }) => boolean | Promise<boolean>;

/**
 * The default lockout check, with the policy engine alone: evaluates kms:PutKeyPolicy for
 * the caller against the new policy as the key policy (a required resource policy). The
 * caller's identity policies are not known here, so an account delegation ("Principal":
 * the account root) counts as allowing: the check is that the key policy does not lock the
 * caller out, as KMS's is. The composition root can inject one that sees IAM policies.
 */
export const enginePutKeyPolicyCheck: PutKeyPolicyCheck = (policyText, principal, key) => {
  const parsed = parsePolicy(policyText);
  if (!parsed.document) return false;
  const rp = requestPrincipal(principal);
  const context: Record<string, string> = {
    ...principalContextKeys(rp),
    'aws:PrincipalAccount': principal.accountId,
    'kms:CallerAccount': principal.accountId,
  };
  if (principal.arn) context['aws:PrincipalArn'] = principal.roleArn ?? principal.arn;
  const decision = evaluate(
    { principal: rp, action: 'kms:PutKeyPolicy', resource: key.arn, resourceAccountId: key.accountId, context },
    {
      resourcePolicy: { policy: { document: parsed.document, label: 'new key policy' }, ownerAccountId: key.accountId, required: true },
      identity: principal.type === 'Account' ? [] : [{ document: ALLOW_PUT_KEY_POLICY, label: 'assumed identity allow' }],
    },
    { trace: false },
  );
  return decision.result === 'Allow';
};

const ALLOW_PUT_KEY_POLICY = parsePolicy({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*' }],
}).document!;

export async function lockoutSafetyCheck(check: PutKeyPolicyCheck, policyText: string, principal: Principal, key: { arn: string; accountId: string }): Promise<void> {
  if (!(await check(policyText, principal, key))) {
    throw kmsError('MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.');
  }
}
