// The KMS service core: key lookup in every KeyId form, key states, key material (wrapped
// by the root key, unwrapped on use), automatic rotation when due, deletion when the waiting
// period ends, and the AWS managed keys. Operation files build on it.
import type { Logger } from 'pino';
import type { Authorizer } from '../../authz/access.js';
import type { RootKeyProvider } from '../../crypto/index.js';
import { kmsError } from '../../errors/kms.js';
import type { KmsKeyRecord, SqliteKmsStore } from '../../store/meta/sqlite/kms-store.js';
import type { BaseServiceContext } from '../../server/service-operation.js';
import { isKeyIdUuid } from './ciphertext.js';
import { awsS3KeyPolicy, type PutKeyPolicyCheck } from './key-policy.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ROTATION_DAYS = 365;
const MATERIAL_CACHE_MAX = 4096;

export interface KmsContext extends BaseServiceContext {
  kms: KmsService;
  /** `s3.<region>.amazonaws.com` when another Coffer service calls on the caller's behalf. */
  viaService?: string;
}

export interface KmsDeps {
  store: SqliteKmsStore;
  rootKey: RootKeyProvider;
  authorizer: Authorizer;
  clock: () => Date;
  region: string;
  random: (n: number) => Buffer;
  logger: Logger;
  putKeyPolicyCheck: PutKeyPolicyCheck;
}

/** How a KeyId named the key: the alias name goes into kms:RequestAlias. */
export interface ResolvedKey {
  key: KmsKeyRecord;
  alias?: string;
}

/** `any`: key id, key ARN, alias name, alias ARN; `keyOnly`: key id or ARN; `ownKey`: key id or ARN of the caller's account. */
export type KeyIdForms = 'any' | 'keyOnly' | 'ownKey';

const KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/** The AWS managed keys Coffer can create, by alias, with what AWS writes for them. */
const AWS_MANAGED = {
  'aws/s3': {
    description: 'Default key that protects my S3 objects when no other key is defined',
    policy: awsS3KeyPolicy,
  },
} as const;
export type AwsManagedAlias = keyof typeof AWS_MANAGED;

export class KmsService {
  readonly store: SqliteKmsStore;
  readonly region: string;
  readonly clock: () => Date;
  readonly random: (n: number) => Buffer;
  readonly authorizer: Authorizer;
  readonly putKeyPolicyCheck: PutKeyPolicyCheck;
  private readonly rootKey: RootKeyProvider;
  private readonly logger: Logger;
  private readonly materials = new Map<string, Buffer>();
  private readonly rotating = new Map<string, Promise<KmsKeyRecord>>();
  private readonly creatingManaged = new Map<string, Promise<KmsKeyRecord>>();

  constructor(deps: KmsDeps) {
    this.store = deps.store;
    this.rootKey = deps.rootKey;
    this.authorizer = deps.authorizer;
    this.clock = deps.clock;
    this.region = deps.region;
    this.random = deps.random;
    this.logger = deps.logger;
    this.putKeyPolicyCheck = deps.putKeyPolicyCheck;
  }

  now(): number {
    return this.clock().getTime();
  }

  keyArn(k: { accountId: string; region: string; id: string }): string {
    return `arn:aws:kms:${k.region}:${k.accountId}:key/${k.id}`;
  }

  aliasArn(accountId: string, name: string, region = this.region): string {
    return `arn:aws:kms:${region}:${accountId}:${name}`;
  }

  /** A UUID v4 from the injected randomness (AWS key ids are v4 UUIDs). */
  newKeyId(): string {
    const b = Buffer.from(this.random(16));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // ---- lookup

  /** The key by id, deleting it first if its waiting period has ended. */
  async loadKey(id: string): Promise<KmsKeyRecord | undefined> {
    const k = this.store.getKey(id);
    if (!k) return undefined;
    if (k.keyState === 'PendingDeletion' && k.deletionAt !== undefined && k.deletionAt <= this.now()) {
      await this.deleteKeyNow(k.id);
      return undefined;
    }
    return k;
  }

  private async deleteKeyNow(id: string): Promise<void> {
    await this.store.transact((s) => s.deleteKey(id));
    for (const k of this.materials.keys()) if (k.startsWith(`${id}:`)) this.materials.delete(k);
    this.logger.info({ keyId: id }, 'kms key deleted at the end of its waiting period');
  }

  /** Deletes every key whose waiting period has ended; returns how many. */
  async sweepDeletedKeys(): Promise<number> {
    const due = this.store.keysDueForDeletion(this.now());
    for (const id of due) await this.deleteKeyNow(id);
    return due.length;
  }

  /**
   * Finds the key a KeyId names, as KMS does: key id or key ARN always; alias name or alias
   * ARN where the operation accepts them. Keys of other accounts only by ARN.
   */
  async resolveKey(keyId: string, callerAccount: string, forms: KeyIdForms = 'any'): Promise<ResolvedKey> {
    let account = callerAccount;
    let region = this.region;
    let id: string | undefined;
    let alias: string | undefined;
    const keyArn = KEY_ARN.exec(keyId);
    const aliasArn = ALIAS_ARN.exec(keyId);
    if (isKeyIdUuid(keyId)) id = keyId;
    else if (keyArn) {
      [, , region, account, id] = keyArn as unknown as [string, string, string, string, string];
      if (!isKeyIdUuid(id)) throw kmsError('NotFoundException', `Invalid arn ${keyId}`);
    } else if (forms === 'any' && aliasArn) {
      [, , region, account, alias] = aliasArn as unknown as [string, string, string, string, string];
    } else if (forms === 'any' && keyId.startsWith('alias/')) {
      alias = keyId;
    } else if (keyId.startsWith('arn:')) {
      throw kmsError('NotFoundException', `Invalid arn ${keyId}`);
    } else {
      throw kmsError('NotFoundException', `Invalid keyId ${keyId}`);
    }
    if (alias !== undefined) {
      const a = region === this.region ? this.store.getAlias(account, region, alias) : undefined;
      const k = a ? await this.loadKey(a.targetKeyId) : undefined;
      if (!k) throw kmsError('NotFoundException', `Alias ${this.aliasArn(account, alias, region)} is not found.`);
      return { key: k, alias };
    }
    const k = await this.loadKey(id!);
    if (!k || k.accountId !== account || k.region !== region || (forms === 'ownKey' && account !== callerAccount)) {
      throw kmsError('NotFoundException', `Key '${this.keyArn({ accountId: account, region, id: id! })}' does not exist`);
    }
    return { key: k };
  }

  // ---- key states

  /** Cryptographic operations need an Enabled key. */
  requireEnabled(k: KmsKeyRecord): void {
    if (k.keyState === 'Disabled') throw kmsError('DisabledException', `${this.keyArn(k)} is disabled.`);
    this.requireNotPendingDeletion(k);
  }

  requireNotPendingDeletion(k: KmsKeyRecord): void {
    if (k.keyState === 'PendingDeletion') throw kmsError('KMSInvalidStateException', `${this.keyArn(k)} is pending deletion.`);
  }

  // ---- key material

  private materialAad(keyId: string, version: number): string {
    return `kms-key:${keyId}:${version}`;
  }

  /** Fresh material for a key, wrapped by the root key (the plaintext is returned for the cache). */
  async newMaterial(keyId: string, version: number): Promise<{ wrapped: Buffer; material: Buffer }> {
    const material = Buffer.from(this.random(32));
    const wrapped = await this.rootKey.wrap(material, this.materialAad(keyId, version));
    return { wrapped, material };
  }

  private remember(keyId: string, version: number, material: Buffer): void {
    if (this.materials.size >= MATERIAL_CACHE_MAX) {
      const oldest = this.materials.keys().next().value;
      if (oldest !== undefined) {
        this.materials.get(oldest)?.fill(0);
        this.materials.delete(oldest);
      }
    }
    this.materials.set(`${keyId}:${version}`, material);
  }

  /** The unwrapped material of one version, or undefined when the key has no such version. */
  async material(keyId: string, version: number): Promise<Buffer | undefined> {
    const cached = this.materials.get(`${keyId}:${version}`);
    if (cached) return cached;
    const wrapped = this.store.getMaterial(keyId, version);
    if (!wrapped) return undefined;
    let material: Buffer;
    try {
      material = await this.rootKey.unwrap(wrapped, this.materialAad(keyId, version));
    } catch (err) {
      this.logger.error({ keyId, version, err: (err as Error).message }, 'kms key material does not unwrap under the root key');
      throw kmsError('KMSInternalException');
    }
    this.remember(keyId, version, material);
    return material;
  }

  /** The key after any automatic rotation that is due (checked on use, with the injected clock). */
  async withDueRotation(k: KmsKeyRecord): Promise<KmsKeyRecord> {
    if (!k.rotationEnabled || k.nextRotationAt === undefined || k.nextRotationAt > this.now() || k.keyState !== 'Enabled') return k;
    return this.rotate(k, 'AUTOMATIC');
  }

  /** Makes a new material version current. One rotation per key at a time. */
  rotate(k: KmsKeyRecord, type: 'AUTOMATIC' | 'ON_DEMAND'): Promise<KmsKeyRecord> {
    const running = this.rotating.get(k.id);
    if (running) return running;
    const p = (async () => {
      const version = k.currentVersion + 1;
      const { wrapped, material } = await this.newMaterial(k.id, version);
      const at = this.now();
      const rotated = await this.store.transact((s) => {
        const fresh = s.getKey(k.id);
        if (!fresh) throw kmsError('NotFoundException', `Key '${this.keyArn(k)}' does not exist`);
        if (fresh.currentVersion !== k.currentVersion) return false;
        const next = type === 'AUTOMATIC' && fresh.rotationPeriodDays !== undefined ? at + fresh.rotationPeriodDays * DAY_MS : undefined;
        s.addMaterialVersion(k.id, version, wrapped, at, type, next);
        return true;
      });
      if (rotated) this.remember(k.id, version, material);
      return this.store.getKey(k.id) ?? k;
    })();
    this.rotating.set(k.id, p);
    return p.finally(() => this.rotating.delete(k.id));
  }

  // ---- AWS managed keys

  /**
   * The account's AWS managed key for `alias` (`aws/s3`), created on first use as AWS does:
   * KeyManager AWS, AWS's key policy, rotated every year.
   */
  getOrCreateAwsManagedKey(accountId: string, alias: AwsManagedAlias): Promise<KmsKeyRecord> {
    const name = `alias/${alias}`;
    const existing = this.store.getAlias(accountId, this.region, name);
    const found = existing ? this.store.getKey(existing.targetKeyId) : undefined;
    if (found) return Promise.resolve(found);
    const slot = `${accountId}:${name}`;
    const running = this.creatingManaged.get(slot);
    if (running) return running;
    const p = (async () => {
      const id = this.newKeyId();
      const { wrapped, material } = await this.newMaterial(id, 1);
      const at = this.now();
      const spec = AWS_MANAGED[alias];
      const record: KmsKeyRecord = {
        id, accountId, region: this.region, description: spec.description, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT',
        keyState: 'Enabled', origin: 'AWS_KMS', keyManager: 'AWS', multiRegion: false, createdAt: at,
        policy: spec.policy(accountId, this.region), rotationEnabled: true, rotationPeriodDays: DEFAULT_ROTATION_DAYS,
        nextRotationAt: at + DEFAULT_ROTATION_DAYS * DAY_MS, currentVersion: 1, tags: [],
      };
      const key = await this.store.transact((s) => {
        const again = s.getAlias(accountId, this.region, name);
        const other = again ? s.getKey(again.targetKeyId) : undefined;
        if (other) return other;
        if (again) s.deleteAlias(accountId, this.region, name);
        s.insertKey(record, wrapped);
        s.insertAlias({ accountId, region: this.region, name, targetKeyId: id, createdAt: at, updatedAt: at });
        return record;
      });
      if (key.id === id) this.remember(id, 1, material);
      return key;
    })();
    this.creatingManaged.set(slot, p);
    return p.finally(() => this.creatingManaged.delete(slot));
  }
}

/** KeyMetadata as DescribeKey, CreateKey and friends return it (dates in epoch seconds). */
export function keyMetadata(kms: KmsService, k: KmsKeyRecord): Record<string, unknown> {
  const m: Record<string, unknown> = {
    AWSAccountId: k.accountId,
    KeyId: k.id,
    Arn: kms.keyArn(k),
    CreationDate: k.createdAt / 1000,
    Enabled: k.keyState === 'Enabled',
    Description: k.description,
    KeyUsage: k.keyUsage,
    KeyState: k.keyState,
    Origin: k.origin,
    KeyManager: k.keyManager,
    CustomerMasterKeySpec: k.keySpec,
    KeySpec: k.keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: k.multiRegion,
  };
  if (k.deletionAt !== undefined) m['DeletionDate'] = k.deletionAt / 1000;
  return m;
}
