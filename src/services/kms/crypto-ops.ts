// Cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
// GenerateDataKeyWithoutPlaintext, GenerateRandom.
import type { AccessRequest } from '../../authz/access.js';
import { kmsError } from '../../errors/kms.js';
import type { KmsKeyRecord } from '../../store/meta/sqlite/kms-store.js';
import { open, parseHeader, seal, type BlobHeader } from './ciphertext.js';
import { contextConditions, onAll, onKey } from './conditions.js';
import { checkGrantTokens } from './grant-tokens.js';
import { optBool, optContext, optEnum, optInt, optString, optStringList, reqBlob, reqString } from './input.js';
import { defineOperation, resolved, stopIfDryRun, type KeyInput } from './operation.js';
import type { KmsContext, KmsService, ResolvedKey } from './service.js';

const ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
const MAX_PLAINTEXT = 4096;
const MAX_CIPHERTEXT = 6144;

type Context = Record<string, string> | undefined;

function algorithm(raw: Record<string, unknown>, member: string): void {
  const a = optEnum(raw, member, ALGORITHMS);
  if (a !== undefined && a !== 'SYMMETRIC_DEFAULT') {
    throw kmsError('InvalidKeyUsageException', `The encryption algorithm ${a} is not valid for a SYMMETRIC_DEFAULT KMS key.`);
  }
}

function noRecipient(raw: Record<string, unknown>): void {
  if (raw['Recipient'] !== undefined && raw['Recipient'] !== null) {
    throw kmsError('UnsupportedOperationException', 'Recipient (Nitro Enclaves attestation) is not supported by Coffer.');
  }
}

function grantTokens(raw: Record<string, unknown>): string[] | undefined {
  const t = optStringList(raw, 'GrantTokens', 10, { min: 1, max: 8192 });
  if (t) checkGrantTokens(t);
  return t;
}

function cryptoConditions(ec: Context, withAlgorithm: boolean) {
  const c = contextConditions(ec);
  if (withAlgorithm) c['kms:EncryptionAlgorithm'] = 'SYMMETRIC_DEFAULT';
  return c;
}

/** Seals under the key's current material, after any rotation that is due. */
async function sealWith(kms: KmsService, key: KmsKeyRecord, plaintext: Buffer, ec: Context): Promise<Buffer> {
  kms.requireEnabled(key);
  const k = await kms.withDueRotation(key);
  const material = await kms.material(k.id, k.currentVersion);
  if (!material) throw kmsError('KMSInternalException');
  return seal(material, { keyId: k.id, version: k.currentVersion }, plaintext, ec, kms.random);
}

/** The key a ciphertext names; KMS answers AccessDenied when it does not exist. */
async function keyOfBlob(ctx: KmsContext, blob: Buffer, keyId: string | undefined): Promise<{ header: BlobHeader; r: ResolvedKey }> {
  const header = parseHeader(blob);
  if (!header) throw kmsError('InvalidCiphertextException');
  let r: ResolvedKey;
  if (keyId !== undefined) {
    r = await ctx.kms.resolveKey(keyId, ctx.principal.accountId);
    if (r.key.id !== header.keyId) throw kmsError('IncorrectKeyException');
  } else {
    const key = await ctx.kms.loadKey(header.keyId);
    if (!key || key.region !== ctx.kms.region) {
      throw kmsError('AccessDeniedException', 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.');
    }
    r = { key };
  }
  return { header, r };
}

async function openWith(kms: KmsService, key: KmsKeyRecord, header: BlobHeader, blob: Buffer, ec: Context): Promise<Buffer> {
  kms.requireEnabled(key);
  await kms.withDueRotation(key);
  const material = await kms.material(key.id, header.version);
  const plaintext = material ? open(material, blob, ec) : undefined;
  if (!plaintext) throw kmsError('InvalidCiphertextException');
  return plaintext;
}

interface EncryptInput extends KeyInput {
  plaintext: Buffer;
  context?: Record<string, string>;
}

export const Encrypt = defineOperation<EncryptInput, unknown>({
  name: 'Encrypt',
  validate(raw) {
    algorithm(raw, 'EncryptionAlgorithm');
    grantTokens(raw);
    const input: EncryptInput = {
      keyId: reqString(raw, 'KeyId', { min: 1, max: 2048 }),
      plaintext: reqBlob(raw, 'Plaintext', 1, MAX_PLAINTEXT),
      dryRun: optBool(raw, 'DryRun') ?? false,
    };
    const ec = optContext(raw, 'EncryptionContext');
    if (ec) input.context = ec;
    return input;
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:Encrypt', await resolved(input, ctx), cryptoConditions(input.context, true))],
  async handler(input, ctx) {
    const { key } = await resolved(input, ctx);
    stopIfDryRun(input);
    const blob = await sealWith(ctx.kms, key, input.plaintext, input.context);
    return { CiphertextBlob: blob, KeyId: ctx.kms.keyArn(key), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

interface DecryptInput {
  blob: Buffer;
  keyId?: string;
  context?: Record<string, string>;
  dryRun: boolean;
  found?: { header: BlobHeader; r: ResolvedKey };
}

async function decryptTarget(input: DecryptInput, ctx: KmsContext) {
  input.found ??= await keyOfBlob(ctx, input.blob, input.keyId);
  return input.found;
}

export const Decrypt = defineOperation<DecryptInput, unknown>({
  name: 'Decrypt',
  validate(raw) {
    algorithm(raw, 'EncryptionAlgorithm');
    noRecipient(raw);
    grantTokens(raw);
    const input: DecryptInput = { blob: reqBlob(raw, 'CiphertextBlob', 1, MAX_CIPHERTEXT), dryRun: optBool(raw, 'DryRun') ?? false };
    const keyId = optString(raw, 'KeyId', { min: 1, max: 2048 });
    if (keyId !== undefined) input.keyId = keyId;
    const ec = optContext(raw, 'EncryptionContext');
    if (ec) input.context = ec;
    return input;
  },
  access: async (input, ctx) => [onKey(ctx, 'kms:Decrypt', (await decryptTarget(input, ctx)).r, cryptoConditions(input.context, true))],
  async handler(input, ctx) {
    const { header, r } = await decryptTarget(input, ctx);
    stopIfDryRun(input);
    const plaintext = await openWith(ctx.kms, r.key, header, input.blob, input.context);
    return { KeyId: ctx.kms.keyArn(r.key), Plaintext: plaintext, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

interface ReEncryptInput {
  blob: Buffer;
  sourceKeyId?: string;
  sourceContext?: Record<string, string>;
  destination: KeyInput;
  destinationContext?: Record<string, string>;
  dryRun: boolean;
  found?: { header: BlobHeader; r: ResolvedKey };
}

export const ReEncrypt = defineOperation<ReEncryptInput, unknown>({
  name: 'ReEncrypt',
  validate(raw) {
    algorithm(raw, 'SourceEncryptionAlgorithm');
    algorithm(raw, 'DestinationEncryptionAlgorithm');
    grantTokens(raw);
    const input: ReEncryptInput = {
      blob: reqBlob(raw, 'CiphertextBlob', 1, MAX_CIPHERTEXT),
      destination: { keyId: reqString(raw, 'DestinationKeyId', { min: 1, max: 2048 }) },
      dryRun: optBool(raw, 'DryRun') ?? false,
    };
    const source = optString(raw, 'SourceKeyId', { min: 1, max: 2048 });
    if (source !== undefined) input.sourceKeyId = source;
    const sc = optContext(raw, 'SourceEncryptionContext');
    if (sc) input.sourceContext = sc;
    const dc = optContext(raw, 'DestinationEncryptionContext');
    if (dc) input.destinationContext = dc;
    return input;
  },
  async access(input, ctx) {
    input.found ??= await keyOfBlob(ctx, input.blob, input.sourceKeyId);
    const dest = await resolved(input.destination, ctx);
    const same = String(dest.key.id === input.found.r.key.id);
    const from = onKey(ctx, 'kms:ReEncryptFrom', input.found.r, { ...cryptoConditions(input.sourceContext, true), 'kms:ReEncryptOnSameKey': same });
    const to = onKey(ctx, 'kms:ReEncryptTo', dest, { ...cryptoConditions(input.destinationContext, true), 'kms:ReEncryptOnSameKey': same });
    return [from, to] satisfies AccessRequest[];
  },
  async handler(input, ctx) {
    const { kms } = ctx;
    input.found ??= await keyOfBlob(ctx, input.blob, input.sourceKeyId);
    const { header, r } = input.found;
    const dest = await resolved(input.destination, ctx);
    kms.requireEnabled(dest.key);
    stopIfDryRun(input);
    const plaintext = await openWith(kms, r.key, header, input.blob, input.sourceContext);
    try {
      const blob = await sealWith(kms, dest.key, plaintext, input.destinationContext);
      return {
        CiphertextBlob: blob,
        SourceKeyId: kms.keyArn(r.key),
        KeyId: kms.keyArn(dest.key),
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    } finally {
      plaintext.fill(0);
    }
  },
});

interface DataKeyInput extends KeyInput {
  bytes: number;
  context?: Record<string, string>;
}

function dataKeyInput(raw: Record<string, unknown>): DataKeyInput {
  noRecipient(raw);
  grantTokens(raw);
  const spec = optEnum(raw, 'KeySpec', ['AES_256', 'AES_128'] as const);
  const n = optInt(raw, 'NumberOfBytes', 1, 1024);
  if (spec !== undefined && n !== undefined) throw kmsError('ValidationException', 'KeySpec and NumberOfBytes are mutually exclusive: specify either one.');
  if (spec === undefined && n === undefined) throw kmsError('ValidationException', 'Please specify either number of bytes or key spec.');
  const input: DataKeyInput = {
    keyId: reqString(raw, 'KeyId', { min: 1, max: 2048 }),
    bytes: n ?? (spec === 'AES_128' ? 16 : 32),
    dryRun: optBool(raw, 'DryRun') ?? false,
  };
  const ec = optContext(raw, 'EncryptionContext');
  if (ec) input.context = ec;
  return input;
}

function dataKeyOperation(name: 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext') {
  return defineOperation<DataKeyInput, unknown>({
    name,
    validate: dataKeyInput,
    access: async (input, ctx) => [onKey(ctx, `kms:${name}`, await resolved(input, ctx), cryptoConditions(input.context, false))],
    async handler(input, ctx) {
      const { key } = await resolved(input, ctx);
      stopIfDryRun(input);
      const plaintext = Buffer.from(ctx.kms.random(input.bytes));
      const blob = await sealWith(ctx.kms, key, plaintext, input.context);
      if (name === 'GenerateDataKeyWithoutPlaintext') {
        plaintext.fill(0);
        return { CiphertextBlob: blob, KeyId: ctx.kms.keyArn(key) };
      }
      return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: ctx.kms.keyArn(key) };
    },
  });
}

export const GenerateDataKey = dataKeyOperation('GenerateDataKey');
export const GenerateDataKeyWithoutPlaintext = dataKeyOperation('GenerateDataKeyWithoutPlaintext');

export const GenerateRandom = defineOperation<{ bytes: number }, unknown>({
  name: 'GenerateRandom',
  validate(raw) {
    noRecipient(raw);
    if (optString(raw, 'CustomKeyStoreId') !== undefined) throw kmsError('CustomKeyStoreNotFoundException');
    const bytes = optInt(raw, 'NumberOfBytes', 1, 1024);
    if (bytes === undefined) throw kmsError('ValidationException', 'NumberOfBytes is required: specify a value from 1 to 1024.');
    return { bytes };
  },
  access: (_input, ctx) => [onAll(ctx, 'kms:GenerateRandom')],
  handler: async (input, ctx) => ({ Plaintext: Buffer.from(ctx.kms.random(input.bytes)) }),
});
