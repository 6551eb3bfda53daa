// KMS for the composition root: the service, its JSON 1.1 spec, the resource resolver, and
// the internal API other Coffer services (S3 SSE-KMS) call as the caller, through the same
// validation, authorization and handlers as the HTTP operations.
import type { Principal } from '../../auth/principal.js';
import { systemRandom } from '../../crypto/index.js';
import { kmsError } from '../../errors/kms.js';
import type { App } from '../../server/app.js';
import type { JsonServiceSpec } from '../../server/json-handler.js';
import { SqliteKmsStore } from '../../store/meta/sqlite/kms-store.js';
import { enginePutKeyPolicyCheck, type PutKeyPolicyCheck } from './key-policy.js';
import { KMS_OPERATION_NAMES } from './operation-names.js';
import { KMS_OPERATIONS } from './operations.js';
import { kmsResourceResolver } from './resolver.js';
import { KmsService, type AwsManagedAlias, type KmsContext } from './service.js';

export { KmsService } from './service.js';
export type { KmsContext, AwsManagedAlias } from './service.js';
export type { PutKeyPolicyCheck } from './key-policy.js';

export interface CallOptions {
  /** The calling service's endpoint name, `s3.<region>.amazonaws.com`: kms:ViaService. */
  viaService?: string;
  requestId?: string;
  grantTokens?: string[];
}

export interface KmsApi {
  service: KmsService;
  /** The account's AWS managed key (`aws/s3`), created on first use. */
  getOrCreateAwsManagedKey(accountId: string, alias: AwsManagedAlias): Promise<{ keyId: string; arn: string }>;
  /** GenerateDataKey as `principal` (authorized with kms:ViaService and kms:CallerAccount). */
  generateDataKeyAs(principal: Principal, keyId: string, context: Record<string, string>, opts: CallOptions & { viaService: string; numberOfBytes?: number }):
    Promise<{ plaintext: Buffer; ciphertextBlob: Buffer; keyArn: string }>;
  /** Decrypt as `principal`; `keyId`, when given, must be the key the blob names. */
  decryptAs(principal: Principal, ciphertextBlob: Buffer, context: Record<string, string>, opts: CallOptions & { viaService: string; keyId?: string }):
    Promise<{ plaintext: Buffer; keyArn: string }>;
  /** Any KMS operation as `principal`, with the wire-shaped input (blobs in base64). */
  invoke(operation: string, raw: Record<string, unknown>, principal: Principal, opts: CallOptions): Promise<Record<string, unknown>>;
  /** The JSON 1.1 service description for jsonServiceHandler. */
  spec: JsonServiceSpec<KmsContext>;
}

export interface KmsOptions {
  random?: (n: number) => Buffer;
  putKeyPolicyCheck?: PutKeyPolicyCheck;
}

export function createKms(app: App, opts: KmsOptions = {}): KmsApi {
  const service = new KmsService({
    store: SqliteKmsStore.open(app.sqlite),
    rootKey: app.rootKey,
    authorizer: app.authorizer,
    clock: app.clock,
    region: app.config.region,
    random: opts.random ?? systemRandom,
    logger: app.logger,
    putKeyPolicyCheck: opts.putKeyPolicyCheck ?? enginePutKeyPolicyCheck,
  });
  app.resources.register('kms', kmsResourceResolver(service));
  service.sweepDeletedKeys().catch((err: unknown) => app.logger.error({ err }, 'kms deletion sweep failed'));

  const contextFor = (principal: Principal, requestId: string, viaService?: string): KmsContext => {
    const ctx: KmsContext = { principal, requestId, now: app.clock, region: service.region, kms: service };
    if (viaService) ctx.viaService = viaService;
    return ctx;
  };

  const invoke: KmsApi['invoke'] = async (operation, raw, principal, o) => {
    const op = KMS_OPERATIONS.get(operation);
    if (!op) throw kmsError('UnsupportedOperationException', `${operation} is not implemented by Coffer.`);
    const input = op.validate ? op.validate(raw) : raw;
    const requestId = o.requestId ?? `kms-internal-${Date.now().toString(36)}`;
    const ctx = contextFor(principal, requestId, o.viaService);
    const requests = await op.access(input, ctx);
    await app.authorizer.authorize({
      principal,
      operation,
      requests,
      facts: { requestId, time: app.clock(), secureTransport: true, region: service.region, ...(o.viaService ? { viaService: o.viaService } : {}) },
    });
    return (await op.handler(input, ctx)) as Record<string, unknown>;
  };

  const api: KmsApi = {
    service,
    async getOrCreateAwsManagedKey(accountId, alias) {
      const k = await service.getOrCreateAwsManagedKey(accountId, alias);
      return { keyId: k.id, arn: service.keyArn(k) };
    },
    async generateDataKeyAs(principal, keyId, context, o) {
      const raw: Record<string, unknown> = { KeyId: keyId, EncryptionContext: context };
      if (o.numberOfBytes !== undefined) raw['NumberOfBytes'] = o.numberOfBytes;
      else raw['KeySpec'] = 'AES_256';
      if (o.grantTokens) raw['GrantTokens'] = o.grantTokens;
      const out = await invoke('GenerateDataKey', raw, principal, o);
      return { plaintext: out['Plaintext'] as Buffer, ciphertextBlob: out['CiphertextBlob'] as Buffer, keyArn: out['KeyId'] as string };
    },
    async decryptAs(principal, blob, context, o) {
      const raw: Record<string, unknown> = { CiphertextBlob: blob.toString('base64'), EncryptionContext: context };
      if (o.keyId !== undefined) raw['KeyId'] = o.keyId;
      if (o.grantTokens) raw['GrantTokens'] = o.grantTokens;
      const out = await invoke('Decrypt', raw, principal, o);
      return { plaintext: out['Plaintext'] as Buffer, keyArn: out['KeyId'] as string };
    },
    invoke,
    spec: {
      targetPrefix: 'TrentService',
      allOperations: new Set<string>(KMS_OPERATION_NAMES),
      operations: KMS_OPERATIONS,
      context: (principal, rc) => contextFor(principal, rc.requestId),
    },
  };
  return api;
}
