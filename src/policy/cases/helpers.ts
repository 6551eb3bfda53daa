/**
 * Builders and case shapes for the table-driven tests. Every case cites the AWS rule it
 * checks in `rule`: "<documentation page title> — <the rule in a short phrase>".
 */
import type { DecisionReason, DecisionResult, PolicyKind, PolicyType, RequestPrincipal } from '../types.js';

export const ACCT = '111122223333';
export const OTHER = '444455556666';

export type Json = Record<string, unknown>;

export const user = (name = 'alice', acct = ACCT): RequestPrincipal => ({
  type: 'User',
  arn: `arn:aws:iam::${acct}:user/${name}`,
  accountId: acct,
  userId: 'AIDAEXAMPLEUSERID0001',
});
export const roleSession = (role = 'app', name = 'sess', acct = ACCT): RequestPrincipal => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::${acct}:assumed-role/${role}/${name}`,
  roleArn: `arn:aws:iam::${acct}:role/${role}`,
  accountId: acct,
  userId: `AROAEXAMPLEROLEID0001:${name}`,
});
export const fedUser = (name = 'fed', federator = 'alice', acct = ACCT): RequestPrincipal => ({
  type: 'FederatedUser',
  arn: `arn:aws:sts::${acct}:federated-user/${name}`,
  userArn: `arn:aws:iam::${acct}:user/${federator}`,
  accountId: acct,
});
export const root = (acct = ACCT): RequestPrincipal => ({ type: 'Account', arn: `arn:aws:iam::${acct}:root`, accountId: acct });
export const anonymous: RequestPrincipal = { type: 'Anonymous' };
export const service = (name: string): RequestPrincipal => ({ type: 'Service', service: name });

export const doc = (...Statement: Json[]): Json => ({ Version: '2012-10-17', Statement });
export const allowAll = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
export const denyAll = doc({ Effect: 'Deny', Action: '*', Resource: '*' });
export const allowS3 = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
export const OBJ = 'arn:aws:s3:::bucket/key.txt';

/**
 * One statement against one request. A statement with Principal/NotPrincipal goes into a
 * resource policy owned by `owner` (default ACCT); otherwise into the caller's identity policies.
 * `expect: true` means Allow, `false` ImplicitDeny, or a precise result.
 */
export interface StatementCase {
  readonly rule: string;
  readonly name?: string;
  readonly statement: Json;
  readonly version?: string | null;
  readonly action?: string;
  readonly resource?: string;
  readonly principal?: RequestPrincipal;
  readonly context?: Record<string, string | string[]>;
  readonly identity?: readonly Json[];
  readonly owner?: string;
  readonly expect: boolean | DecisionResult;
  readonly missing?: readonly string[];
}

/** One condition block against one request context, evaluated as an Allow statement. */
export interface ConditionCase {
  readonly rule: string;
  readonly name?: string;
  readonly condition: Json;
  readonly context: Record<string, string | string[]>;
  readonly version?: string | null;
  readonly expect: boolean;
}

export interface FlowPolicies {
  readonly identity?: readonly Json[];
  readonly resource?: { readonly doc: Json; readonly owner?: string; readonly required?: boolean };
  readonly scps?: readonly (readonly Json[])[];
  readonly rcps?: readonly (readonly Json[])[];
  readonly boundary?: Json;
  readonly session?: readonly Json[];
}

export interface FlowCase {
  readonly rule: string;
  readonly name: string;
  readonly principal: RequestPrincipal;
  readonly action?: string;
  readonly resource?: string;
  readonly resourceAccountId?: string;
  readonly context?: Record<string, string | string[]>;
  readonly policies: FlowPolicies;
  readonly expect: { readonly result: DecisionResult; readonly reason?: DecisionReason; readonly deniedBy?: readonly PolicyType[] };
  /** Expected AccessDenied message (formatDenial). */
  readonly message?: string;
}

export interface ValidationCase {
  readonly rule: string;
  readonly name: string;
  readonly kind: PolicyKind;
  readonly policy: Json | string;
  /** Expected errors (subset match on path/code/message); [] means the policy must be valid. */
  readonly errors: readonly { readonly path?: string; readonly code: string; readonly message?: string }[];
  readonly warnings?: readonly { readonly path?: string; readonly code: string }[];
}
