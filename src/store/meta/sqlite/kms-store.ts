import type Database from 'better-sqlite3';
import { migrate, type SqliteHandle } from './database.js';
import { KMS_MIGRATIONS } from './kms-migrations.js';

/** A KMS key as stored; material lives in kms_key_material, wrapped by the root key. */
export interface KmsKeyRecord {
  id: string;
  accountId: string;
  region: string;
  description: string;
  keyUsage: string;
  keySpec: string;
  keyState: 'Enabled' | 'Disabled' | 'PendingDeletion';
  origin: string;
  keyManager: 'CUSTOMER' | 'AWS';
  multiRegion: boolean;
  createdAt: number;
  deletionAt?: number;
  pendingWindowDays?: number;
  policy: string;
  rotationEnabled: boolean;
  rotationPeriodDays?: number;
  nextRotationAt?: number;
  currentVersion: number;
  tags: Array<{ TagKey: string; TagValue: string }>;
}

export interface KmsAliasRecord {
  accountId: string;
  region: string;
  name: string;
  targetKeyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface KmsGrantConstraints {
  EncryptionContextSubset?: Record<string, string>;
  EncryptionContextEquals?: Record<string, string>;
}

export interface KmsGrantRecord {
  id: string;
  keyId: string;
  token: string;
  name?: string;
  grantee: string;
  retiring?: string;
  operations: string[];
  constraints?: KmsGrantConstraints;
  issuingAccount: string;
  createdAt: number;
}

export interface KmsRotationRecord {
  keyId: string;
  version: number;
  rotatedAt: number;
  rotationType: 'AUTOMATIC' | 'ON_DEMAND';
}

interface KeyRow {
  id: string; account_id: string; region: string; description: string; key_usage: string; key_spec: string;
  key_state: string; origin: string; key_manager: string; multi_region: number; created_at: number;
  deletion_at: number | null; pending_window_days: number | null; policy: string; rotation_enabled: number;
  rotation_period_days: number | null; next_rotation_at: number | null; current_version: number; tags: string;
}
interface AliasRow { account_id: string; region: string; name: string; target_key_id: string; created_at: number; updated_at: number }
interface GrantRow {
  id: string; key_id: string; token: string; name: string | null; grantee: string; retiring: string | null;
  operations: string; constraints: string | null; issuing_account: string; created_at: number;
}
interface RotationRow { key_id: string; version: number; rotated_at: number; rotation_type: string }

const keyOf = (r: KeyRow): KmsKeyRecord => {
  const k: KmsKeyRecord = {
    id: r.id, accountId: r.account_id, region: r.region, description: r.description, keyUsage: r.key_usage,
    keySpec: r.key_spec, keyState: r.key_state as KmsKeyRecord['keyState'], origin: r.origin,
    keyManager: r.key_manager as KmsKeyRecord['keyManager'], multiRegion: r.multi_region === 1, createdAt: r.created_at,
    policy: r.policy, rotationEnabled: r.rotation_enabled === 1, currentVersion: r.current_version,
    tags: JSON.parse(r.tags) as KmsKeyRecord['tags'],
  };
  if (r.deletion_at !== null) k.deletionAt = r.deletion_at;
  if (r.pending_window_days !== null) k.pendingWindowDays = r.pending_window_days;
  if (r.rotation_period_days !== null) k.rotationPeriodDays = r.rotation_period_days;
  if (r.next_rotation_at !== null) k.nextRotationAt = r.next_rotation_at;
  return k;
};
const aliasOf = (r: AliasRow): KmsAliasRecord => ({
  accountId: r.account_id, region: r.region, name: r.name, targetKeyId: r.target_key_id, createdAt: r.created_at, updatedAt: r.updated_at,
});
const grantOf = (r: GrantRow): KmsGrantRecord => {
  const g: KmsGrantRecord = {
    id: r.id, keyId: r.key_id, token: r.token, grantee: r.grantee, operations: JSON.parse(r.operations) as string[],
    issuingAccount: r.issuing_account, createdAt: r.created_at,
  };
  if (r.name !== null) g.name = r.name;
  if (r.retiring !== null) g.retiring = r.retiring;
  if (r.constraints !== null) g.constraints = JSON.parse(r.constraints) as KmsGrantConstraints;
  return g;
};
const rotationOf = (r: RotationRow): KmsRotationRecord => ({
  keyId: r.key_id, version: r.version, rotatedAt: r.rotated_at, rotationType: r.rotation_type as KmsRotationRecord['rotationType'],
});

/** Fields of a key that operations change after creation. */
export type KmsKeyPatch = Partial<Pick<KmsKeyRecord,
  'description' | 'keyState' | 'deletionAt' | 'pendingWindowDays' | 'policy' | 'rotationEnabled' | 'rotationPeriodDays' | 'nextRotationAt' | 'tags'>>;

const PATCH_COLUMNS: Record<keyof KmsKeyPatch, string> = {
  description: 'description', keyState: 'key_state', deletionAt: 'deletion_at', pendingWindowDays: 'pending_window_days',
  policy: 'policy', rotationEnabled: 'rotation_enabled', rotationPeriodDays: 'rotation_period_days',
  nextRotationAt: 'next_rotation_at', tags: 'tags',
};

/**
 * The KMS store on the shared SQLite handle. Reads are synchronous; every mutation runs
 * inside `transact`, which group-commits it (the promise settles once it is durable).
 * Mutating methods must only be called from inside a `transact` callback.
 */
export class SqliteKmsStore {
  private readonly db: Database.Database;
  /**
   * Every crypto call reads its key and grants several times (resolver, access, handler):
   * committed rows are cached here and the caches are dropped whenever a write runs or
   * settles, so a reader never sees a row that was rolled back or replaced.
   */
  private readonly keyCache = new Map<string, KmsKeyRecord | null>();
  private readonly grantCache = new Map<string, KmsGrantRecord[]>();
  private readonly aliasCache = new Map<string, KmsAliasRecord[]>();

  private constructor(private readonly handle: SqliteHandle) {
    this.db = handle.db;
  }

  static open(handle: SqliteHandle): SqliteKmsStore {
    migrate(handle, 'kms', KMS_MIGRATIONS);
    return new SqliteKmsStore(handle);
  }

  private st(sql: string): Database.Statement {
    return this.handle.statement(sql);
  }

  /** Runs `fn` atomically in the next group commit; an exception rolls back only `fn`'s writes. */
  transact<T>(fn: (store: SqliteKmsStore) => T): Promise<T> {
    const settled = this.handle.writes.run(() => {
      try {
        return fn(this);
      } finally {
        this.dropCaches();
      }
    });
    settled.then(() => this.dropCaches(), () => this.dropCaches());
    return settled;
  }

  private dropCaches(): void {
    this.keyCache.clear();
    this.grantCache.clear();
    this.aliasCache.clear();
  }

  // ---- keys
  getKey(id: string): KmsKeyRecord | undefined {
    let k = this.keyCache.get(id);
    if (k === undefined) {
      const r = this.st('SELECT * FROM kms_keys WHERE id = ?').get(id) as KeyRow | undefined;
      k = r ? keyOf(r) : null;
      if (!this.db.inTransaction) this.keyCache.set(id, k);
    }
    return k ? { ...k, tags: [...k.tags] } : undefined;
  }

  listKeys(accountId: string, region: string, after: string, limit: number): KmsKeyRecord[] {
    return (this.st('SELECT * FROM kms_keys WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?')
      .all(accountId, region, after, limit) as KeyRow[]).map(keyOf);
  }

  /** Keys whose waiting period has ended (the deletion sweep). */
  keysDueForDeletion(now: number): string[] {
    return (this.st("SELECT id FROM kms_keys WHERE deletion_at IS NOT NULL AND deletion_at <= ? AND key_state = 'PendingDeletion'")
      .all(now) as Array<{ id: string }>).map((r) => r.id);
  }

  insertKey(k: KmsKeyRecord, wrappedMaterial: Buffer): void {
    this.st(`INSERT INTO kms_keys (id, account_id, region, description, key_usage, key_spec, key_state, origin, key_manager,
      multi_region, created_at, deletion_at, pending_window_days, policy, rotation_enabled, rotation_period_days, next_rotation_at,
      current_version, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      k.id, k.accountId, k.region, k.description, k.keyUsage, k.keySpec, k.keyState, k.origin, k.keyManager,
      k.multiRegion ? 1 : 0, k.createdAt, k.deletionAt ?? null, k.pendingWindowDays ?? null, k.policy, k.rotationEnabled ? 1 : 0,
      k.rotationPeriodDays ?? null, k.nextRotationAt ?? null, k.currentVersion, JSON.stringify(k.tags));
    this.st('INSERT INTO kms_key_material (key_id, version, wrapped, created_at) VALUES (?, ?, ?, ?)').run(k.id, k.currentVersion, wrappedMaterial, k.createdAt);
  }

  updateKey(id: string, patch: KmsKeyPatch): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [field, column] of Object.entries(PATCH_COLUMNS) as Array<[keyof KmsKeyPatch, string]>) {
      if (!(field in patch)) continue;
      const v = patch[field];
      sets.push(`${column} = ?`);
      values.push(v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? JSON.stringify(v) : v);
    }
    if (sets.length === 0) return;
    this.st(`UPDATE kms_keys SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /** Removes a key and everything that hangs from it (material, aliases, grants, rotations). */
  deleteKey(id: string): void {
    this.st('DELETE FROM kms_key_material WHERE key_id = ?').run(id);
    this.st('DELETE FROM kms_aliases WHERE target_key_id = ?').run(id);
    this.st('DELETE FROM kms_grants WHERE key_id = ?').run(id);
    this.st('DELETE FROM kms_rotations WHERE key_id = ?').run(id);
    this.st('DELETE FROM kms_keys WHERE id = ?').run(id);
  }

  // ---- key material
  getMaterial(keyId: string, version: number): Buffer | undefined {
    const r = this.st('SELECT wrapped FROM kms_key_material WHERE key_id = ? AND version = ?').get(keyId, version) as { wrapped: Buffer } | undefined;
    return r?.wrapped;
  }

  /** A new material version becomes current; the rotation is recorded. */
  addMaterialVersion(keyId: string, version: number, wrapped: Buffer, at: number, type: KmsRotationRecord['rotationType'], nextRotationAt?: number): void {
    this.st('INSERT INTO kms_key_material (key_id, version, wrapped, created_at) VALUES (?, ?, ?, ?)').run(keyId, version, wrapped, at);
    this.st('INSERT INTO kms_rotations (key_id, version, rotated_at, rotation_type) VALUES (?, ?, ?, ?)').run(keyId, version, at, type);
    if (nextRotationAt !== undefined) {
      this.st('UPDATE kms_keys SET current_version = ?, next_rotation_at = ? WHERE id = ?').run(version, nextRotationAt, keyId);
    } else {
      this.st('UPDATE kms_keys SET current_version = ? WHERE id = ?').run(version, keyId);
    }
  }

  listRotations(keyId: string, afterVersion: number, limit: number): KmsRotationRecord[] {
    return (this.st('SELECT * FROM kms_rotations WHERE key_id = ? AND version > ? ORDER BY version LIMIT ?')
      .all(keyId, afterVersion, limit) as RotationRow[]).map(rotationOf);
  }

  countRotations(keyId: string, type: KmsRotationRecord['rotationType']): number {
    return (this.st('SELECT COUNT(*) AS n FROM kms_rotations WHERE key_id = ? AND rotation_type = ?').get(keyId, type) as { n: number }).n;
  }

  // ---- aliases
  getAlias(accountId: string, region: string, name: string): KmsAliasRecord | undefined {
    const r = this.st('SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND name = ?').get(accountId, region, name) as AliasRow | undefined;
    return r ? aliasOf(r) : undefined;
  }

  listAliases(accountId: string, region: string, after: string, limit: number, keyId?: string): KmsAliasRecord[] {
    const rows = keyId === undefined
      ? this.st('SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?').all(accountId, region, after, limit)
      : this.st('SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND target_key_id = ? AND name > ? ORDER BY name LIMIT ?').all(accountId, region, keyId, after, limit);
    return (rows as AliasRow[]).map(aliasOf);
  }

  aliasesOfKey(keyId: string): KmsAliasRecord[] {
    let list = this.aliasCache.get(keyId);
    if (!list) {
      list = (this.st('SELECT * FROM kms_aliases WHERE target_key_id = ? ORDER BY name').all(keyId) as AliasRow[]).map(aliasOf);
      if (!this.db.inTransaction) this.aliasCache.set(keyId, list);
    }
    return list.map((a) => ({ ...a }));
  }

  countAliasesOfKey(keyId: string): number {
    return (this.st('SELECT COUNT(*) AS n FROM kms_aliases WHERE target_key_id = ?').get(keyId) as { n: number }).n;
  }

  insertAlias(a: KmsAliasRecord): void {
    this.st('INSERT INTO kms_aliases (account_id, region, name, target_key_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(a.accountId, a.region, a.name, a.targetKeyId, a.createdAt, a.updatedAt);
  }

  retargetAlias(accountId: string, region: string, name: string, targetKeyId: string, at: number): void {
    this.st('UPDATE kms_aliases SET target_key_id = ?, updated_at = ? WHERE account_id = ? AND region = ? AND name = ?')
      .run(targetKeyId, at, accountId, region, name);
  }

  deleteAlias(accountId: string, region: string, name: string): void {
    this.st('DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND name = ?').run(accountId, region, name);
  }

  // ---- grants
  getGrant(id: string): KmsGrantRecord | undefined {
    const r = this.st('SELECT * FROM kms_grants WHERE id = ?').get(id) as GrantRow | undefined;
    return r ? grantOf(r) : undefined;
  }

  getGrantByToken(token: string): KmsGrantRecord | undefined {
    const r = this.st('SELECT * FROM kms_grants WHERE token = ?').get(token) as GrantRow | undefined;
    return r ? grantOf(r) : undefined;
  }

  grantsOfKey(keyId: string, after = '', limit = -1): KmsGrantRecord[] {
    if (after !== '' || limit !== -1) {
      return (this.st('SELECT * FROM kms_grants WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?').all(keyId, after, limit) as GrantRow[]).map(grantOf);
    }
    let list = this.grantCache.get(keyId);
    if (!list) {
      list = (this.st('SELECT * FROM kms_grants WHERE key_id = ? ORDER BY id').all(keyId) as GrantRow[]).map(grantOf);
      if (!this.db.inTransaction) this.grantCache.set(keyId, list);
    }
    return list.map((g) => ({ ...g, operations: [...g.operations] }));
  }

  countGrantsOfKey(keyId: string): number {
    return (this.st('SELECT COUNT(*) AS n FROM kms_grants WHERE key_id = ?').get(keyId) as { n: number }).n;
  }

  retirableGrants(retiring: string, after: string, limit: number): KmsGrantRecord[] {
    return (this.st('SELECT * FROM kms_grants WHERE retiring = ? AND id > ? ORDER BY id LIMIT ?').all(retiring, after, limit) as GrantRow[]).map(grantOf);
  }

  insertGrant(g: KmsGrantRecord): void {
    this.st(`INSERT INTO kms_grants (id, key_id, token, name, grantee, retiring, operations, constraints, issuing_account, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(g.id, g.keyId, g.token, g.name ?? null, g.grantee, g.retiring ?? null,
      JSON.stringify(g.operations), g.constraints ? JSON.stringify(g.constraints) : null, g.issuingAccount, g.createdAt);
  }

  deleteGrant(id: string): void {
    this.st('DELETE FROM kms_grants WHERE id = ?').run(id);
  }
}
