import type Database from 'better-sqlite3';
import { migrate, openSqlite, type SqliteHandle } from './database.js';
import type { GroupCommit } from './group-commit.js';
import { MIGRATIONS } from './migrations.js';
import { ObjectStatements } from './objects-sql.js';
import { MultipartStatements } from './multipart-sql.js';
import type {
  AccessKeyRecord, AccessKeyUse, Account, Bucket, DataPiece, DeleteObjectResult, ListObjectsQuery, ListUploadsQuery,
  ListVersionsQuery, MetadataStore, MultipartUpload, NewObjectVersion, ObjectPart, ObjectVersion,
  PutObjectResult, UploadPart, VersioningStatus, WriteCondition,
} from '../types.js';
import { StoreConflict } from '../types.js';

export interface SqliteStoreOptions {
  /** An open database (shared with the other stores), or a file path / ':memory:'. */
  handle?: SqliteHandle;
  path?: string;
  /** Makes S3 version ids; injected so tests are deterministic. */
  newVersionId: () => string;
}

interface BucketRow {
  name: string;
  owner_account_id: string;
  region: string;
  created_at: number;
  versioning: string;
  config: string;
}

function bucketFromRow(r: BucketRow): Bucket {
  return {
    name: r.name,
    ownerAccountId: r.owner_account_id,
    region: r.region,
    createdAt: new Date(r.created_at),
    versioning: r.versioning as VersioningStatus,
    config: JSON.parse(r.config),
  };
}

/** The embedded metadata store: one SQLite file in WAL mode, fsync on every commit. */
export class SqliteMetadataStore implements MetadataStore {
  private readonly writes: GroupCommit;
  private readonly db: Database.Database;
  private readonly objects: ObjectStatements;
  private readonly multipart: MultipartStatements;

  private constructor(private readonly handle: SqliteHandle, private readonly owned: boolean, opts: SqliteStoreOptions) {
    this.db = handle.db;
    this.writes = handle.writes;
    const db = handle.db;
    this.objects = new ObjectStatements(db, opts.newVersionId);
    this.multipart = new MultipartStatements(db, this.objects);
  }

  static open(opts: SqliteStoreOptions): SqliteMetadataStore {
    const handle = opts.handle ?? openSqlite(opts.path ?? ':memory:');
    migrate(handle, 's3', MIGRATIONS);
    return new SqliteMetadataStore(handle, !opts.handle, opts);
  }

  async close(): Promise<void> {
    if (this.owned) this.handle.close();
  }

  // ---- accounts and credentials

  async putAccount(a: Account): Promise<void> {
    await this.writes.run(() =>
      this.db
        .prepare(
          `INSERT INTO accounts (id, name, email, created_at, is_management) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, is_management = excluded.is_management`,
        )
        .run(a.id, a.name, a.email, a.createdAt.getTime(), a.isManagement ? 1 : 0),
    );
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const r = this.handle.statement('SELECT * FROM accounts WHERE id = ?').get(id) as
      | { id: string; name: string; email: string; created_at: number; is_management: number }
      | undefined;
    return r && { id: r.id, name: r.name, email: r.email, createdAt: new Date(r.created_at), isManagement: r.is_management === 1 };
  }

  async listAccounts(): Promise<Account[]> {
    const rows = this.handle.statement('SELECT id FROM accounts ORDER BY id').all() as Array<{ id: string }>;
    const out: Account[] = [];
    for (const r of rows) out.push((await this.getAccount(r.id))!);
    return out;
  }

  async putAccessKey(k: AccessKeyRecord): Promise<void> {
    await this.writes.run(() =>
      this.db
        .prepare(
          `INSERT INTO access_keys (access_key_id, secret, account_id, principal_kind, principal_name, status, created_at, session_token, expires_at, session)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (access_key_id) DO UPDATE SET secret = excluded.secret, account_id = excluded.account_id,
             principal_kind = excluded.principal_kind, principal_name = excluded.principal_name, status = excluded.status,
             session_token = excluded.session_token, expires_at = excluded.expires_at, session = excluded.session`,
        )
        .run(k.accessKeyId, this.handle.secrets.seal(k.accessKeyId, k.secretAccessKey), k.accountId, k.principalKind, k.principalName, k.status,
          k.createdAt.getTime(), k.sessionToken ?? null, k.expiresAt?.getTime() ?? null, k.session ? JSON.stringify(k.session) : null),
    );
  }

  /** Read caches valid for one write generation: every request reads its key and bucket more than once. */
  private readonly keyCache = new Map<string, AccessKeyRecord | null>();
  private readonly bucketCache = new Map<string, Bucket | null>();
  private cacheGeneration = -1;

  private cached<T>(cache: Map<string, T | null>, id: string, load: () => T | undefined): T | undefined {
    if (this.writes.generation !== this.cacheGeneration) {
      this.keyCache.clear();
      this.bucketCache.clear();
      this.cacheGeneration = this.writes.generation;
    }
    let v = cache.get(id);
    if (v === undefined) {
      v = load() ?? null;
      cache.set(id, v);
    }
    return v ?? undefined;
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const k = this.cached(this.keyCache, accessKeyId, () => this.loadAccessKey(accessKeyId));
    return k && { ...k };
  }

  private loadAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    const r = this.handle.statement('SELECT * FROM access_keys WHERE access_key_id = ?').get(accessKeyId) as
      | Record<string, string | number | null>
      | undefined;
    if (!r) return undefined;
    const k: AccessKeyRecord = {
      accessKeyId: r.access_key_id as string,
      secretAccessKey: this.handle.secrets.open(r.access_key_id as string, r.secret as string),
      accountId: r.account_id as string,
      principalKind: r.principal_kind as AccessKeyRecord['principalKind'],
      principalName: r.principal_name as string,
      status: r.status as AccessKeyRecord['status'],
      createdAt: new Date(r.created_at as number),
    };
    if (r.session_token) k.sessionToken = r.session_token as string;
    if (r.expires_at != null) k.expiresAt = new Date(r.expires_at as number);
    if (r.session) k.session = JSON.parse(r.session as string);
    if (r.last_used_at != null) k.lastUsed = { at: new Date(r.last_used_at as number), service: r.last_used_service as string, region: r.last_used_region as string };
    return k;
  }

  async recordAccessKeyUse(uses: AccessKeyUse[]): Promise<void> {
    if (uses.length === 0) return;
    await this.writes.run(() => {
      const st = this.handle.statement('UPDATE access_keys SET last_used_at = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)');
      for (const u of uses) st.run(u.at.getTime(), u.service, u.region, u.accessKeyId, u.at.getTime());
    });
  }

  async deleteExpiredSessions(before: Date): Promise<number> {
    return this.writes.run(() => this.handle.statement('DELETE FROM access_keys WHERE expires_at IS NOT NULL AND expires_at < ?').run(before.getTime()).changes);
  }

  // ---- buckets

  async createBucket(b: Bucket): Promise<void> {
    await this.writes.run(() => {
      const r = this.db
        .prepare(
          `INSERT INTO buckets (name, owner_account_id, region, created_at, versioning, config) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO NOTHING`,
        )
        .run(b.name, b.ownerAccountId, b.region, b.createdAt.getTime(), b.versioning, JSON.stringify(b.config));
      if (r.changes === 0) throw new StoreConflict('exists');
    });
  }

  async getBucket(name: string): Promise<Bucket | undefined> {
    const b = this.cached(this.bucketCache, name, () => {
      const r = this.handle.statement('SELECT * FROM buckets WHERE name = ?').get(name) as BucketRow | undefined;
      return r && bucketFromRow(r);
    });
    // Callers may not change the cached record: they get their own copy of it and its config.
    return b && { ...b, config: { ...b.config } };
  }

  async listBuckets(ownerAccountId: string): Promise<Bucket[]> {
    const rows = this.handle.statement('SELECT * FROM buckets WHERE owner_account_id = ? ORDER BY name').all(ownerAccountId) as BucketRow[];
    return rows.map(bucketFromRow);
  }

  async deleteBucket(name: string): Promise<void> {
    await this.writes.run(() => {
      const obj = this.handle.statement('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1').get(name);
      const up = this.handle.statement('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1').get(name);
      if (obj || up) throw new StoreConflict('not-empty');
      const r = this.handle.statement('DELETE FROM buckets WHERE name = ?').run(name);
      if (r.changes === 0) throw new StoreConflict('not-found');
    });
  }

  async setBucketVersioning(name: string, status: VersioningStatus): Promise<void> {
    await this.writes.run(() => {
      const r = this.handle.statement('UPDATE buckets SET versioning = ? WHERE name = ?').run(status, name);
      if (r.changes === 0) throw new StoreConflict('not-found');
    });
  }

  async setBucketConfig(name: string, key: string, value: unknown): Promise<void> {
    await this.writes.run(() => {
      const r = this.handle.statement('SELECT config FROM buckets WHERE name = ?').get(name) as { config: string } | undefined;
      if (!r) throw new StoreConflict('not-found');
      const config = JSON.parse(r.config) as Record<string, unknown>;
      if (value === undefined) delete config[key];
      else config[key] = value;
      this.handle.statement('UPDATE buckets SET config = ? WHERE name = ?').run(JSON.stringify(config), name);
    });
  }

  // ---- objects

  async getObject(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    return this.objects.get(bucket, key, versionId);
  }

  async putObject(bucket: string, key: string, v: NewObjectVersion, versioning: VersioningStatus, condition?: WriteCondition): Promise<PutObjectResult> {
    return this.writes.run(() => this.objects.put(bucket, key, v, versioning, condition));
  }

  async deleteObject(bucket: string, key: string, versioning: VersioningStatus, versionId?: string, now = new Date(), ownerAccountId = ''): Promise<DeleteObjectResult> {
    return this.writes.run(() => this.objects.delete(bucket, key, versioning, versionId, now, ownerAccountId));
  }

  async setObjectTags(bucket: string, key: string, versionId: string | undefined, tags: Array<[string, string]>): Promise<string> {
    return this.writes.run(() => this.objects.setTags(bucket, key, versionId, tags));
  }

  async listObjects(bucket: string, q: ListObjectsQuery): Promise<ObjectVersion[]> {
    return this.objects.list(bucket, q);
  }

  async listObjectVersions(bucket: string, q: ListVersionsQuery): Promise<ObjectVersion[]> {
    return this.objects.listVersions(bucket, q);
  }

  // ---- multipart

  async createUpload(u: MultipartUpload): Promise<void> {
    await this.writes.run(() => this.multipart.create(u));
  }

  async getUpload(uploadId: string): Promise<MultipartUpload | undefined> {
    return this.multipart.get(uploadId);
  }

  async putPart(uploadId: string, part: UploadPart): Promise<DataPiece | undefined> {
    return this.writes.run(() => this.multipart.putPart(uploadId, part));
  }

  async listParts(uploadId: string, afterPartNumber: number, limit: number): Promise<UploadPart[]> {
    return this.multipart.listParts(uploadId, afterPartNumber, limit);
  }

  async listUploads(bucket: string, q: ListUploadsQuery): Promise<MultipartUpload[]> {
    return this.multipart.list(bucket, q);
  }

  async completeUpload(uploadId: string, v: NewObjectVersion, parts: ObjectPart[], versioning: VersioningStatus, condition?: WriteCondition): Promise<PutObjectResult> {
    return this.writes.run(() => this.multipart.complete(uploadId, v, parts, versioning, condition));
  }

  async abortUpload(uploadId: string): Promise<DataPiece[]> {
    return this.writes.run(() => this.multipart.abort(uploadId));
  }

  async referencedBlobIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const r of this.handle.statement(`SELECT data FROM objects WHERE data IS NOT NULL`).iterate() as Iterable<{ data: string }>) {
      const id = (JSON.parse(r.data) as DataPiece).blobId;
      if (id) ids.add(id);
    }
    for (const table of ['object_parts', 'upload_parts']) {
      for (const r of this.handle.statement(`SELECT piece FROM ${table}`).iterate() as Iterable<{ piece: string }>) {
        const id = (JSON.parse(r.piece) as DataPiece).blobId;
        if (id) ids.add(id);
      }
    }
    return ids;
  }
}

export { StoreConflict };
