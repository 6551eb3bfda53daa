import type { ServiceOperation } from '../../server/service-operation.js';
import { kmsError } from '../../errors/kms.js';
import { optBool, reqString } from './input.js';
import type { KeyIdForms, KmsContext, ResolvedKey } from './service.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KmsOperation = ServiceOperation<any, any, KmsContext>;

export function defineOperation<I, O>(op: ServiceOperation<I, O, KmsContext>): ServiceOperation<I, O, KmsContext> {
  return op;
}

/** Inputs that name one key; `access` resolves it once and the handler reuses it. */
export interface KeyInput {
  keyId: string;
  resolved?: ResolvedKey;
  dryRun?: boolean;
}

export function keyInput(raw: Record<string, unknown>, member = 'KeyId'): KeyInput {
  const input: KeyInput = { keyId: reqString(raw, member, { min: 1, max: 2048 }) };
  const dryRun = optBool(raw, 'DryRun');
  if (dryRun) input.dryRun = true;
  return input;
}

export async function resolved(input: KeyInput, ctx: KmsContext, forms: KeyIdForms = 'any'): Promise<ResolvedKey> {
  input.resolved ??= await ctx.kms.resolveKey(input.keyId, ctx.principal.accountId, forms);
  return input.resolved;
}

/** After authorization: DryRun requests stop here with KMS's answer. */
export function stopIfDryRun(input: { dryRun?: boolean }): void {
  if (input.dryRun) throw kmsError('DryRunOperationException');
}
