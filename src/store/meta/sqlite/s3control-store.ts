import type Database from 'better-sqlite3';
import { migrate, type SqliteHandle } from './database.js';
import { S3CONTROL_MIGRATIONS } from './s3control-migrations.js';
import type {
  AccessGrantPermission, AccessGrantRecord, AccessGrantsInstanceRecord, AccessGrantsLocationRecord, AccessGrantsStore,
  CreateOutcome, DeleteOutcome, GrantFilter, Tag,
} from './s3control-types.js';

interface InstanceRow {
  account_id: string; region: string; instance_id: string; arn: string; created_at: number; grant_count: number; location_count: number;
  policy: string | null; policy_organization: string | null; policy_created_at: number | null;
}
interface LocationRow { account_id: string; region: string; location_id: string; arn: string; scope: string; role_arn: string; created_at: number }
interface GrantRow {
  seq: number; account_id: string; region: string; grant_id: string; arn: string; location_id: string; sub_prefix: string | null; scope: string;
  scope_key: string; object: number; grantee_type: string; grantee_id: string; permission: string; application_arn: string | null; created_at: number;
}

const MAX_TAGS = 50;

function instanceOf(r: InstanceRow): AccessGrantsInstanceRecord {
  const i: AccessGrantsInstanceRecord = {
    accountId: r.account_id, region: r.region, instanceId: r.instance_id, arn: r.arn, createdAt: r.created_at,
    grantCount: r.grant_count, locationCount: r.location_count,
  };
  if (r.policy !== null) i.policy = r.policy;
  if (r.policy_organization !== null) i.policyOrganization = r.policy_organization;
  if (r.policy_created_at !== null) i.policyCreatedAt = r.policy_created_at;
  return i;
}

function locationOf(r: LocationRow): AccessGrantsLocationRecord {
  return { accountId: r.account_id, region: r.region, locationId: r.location_id, arn: r.arn, scope: r.scope, roleArn: r.role_arn, createdAt: r.created_at };
}

function grantOf(r: GrantRow): AccessGrantRecord {
  const g: AccessGrantRecord = {
    accountId: r.account_id, region: r.region, grantId: r.grant_id, arn: r.arn, locationId: r.location_id, scope: r.scope,
    scopeKey: r.scope_key, object: r.object === 1, granteeType: r.grantee_type, granteeId: r.grantee_id,
    permission: r.permission as AccessGrantPermission, createdAt: r.created_at, seq: r.seq,
  };
  if (r.sub_prefix !== null) g.subPrefix = r.sub_prefix;
  if (r.application_arn !== null) g.applicationArn = r.application_arn;
  return g;
}

/** S3 Access Grants on the shared SQLite handle; writes go through its group commit. */
export class SqliteAccessGrantsStore implements AccessGrantsStore {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly handle: SqliteHandle) {}

  static open(handle: SqliteHandle): SqliteAccessGrantsStore {
    migrate(handle, 's3control', S3CONTROL_MIGRATIONS);
    return new SqliteAccessGrantsStore(handle);
  }

  private st(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.handle.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private insertTags(arn: string, tags: Tag[]): void {
    const ins = this.st('INSERT INTO ag_tags (arn, tag_key, tag_value) VALUES (?, ?, ?) ON CONFLICT (arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value');
    for (const t of tags) ins.run(arn, t.Key, t.Value);
  }

  private dropTags(arn: string): void {
    this.st('DELETE FROM ag_tags WHERE arn = ?').run(arn);
  }

  getInstance(accountId: string, region: string): AccessGrantsInstanceRecord | undefined {
    const r = this.st('SELECT * FROM ag_instances WHERE account_id = ? AND region = ?').get(accountId, region) as InstanceRow | undefined;
    return r ? instanceOf(r) : undefined;
  }

  createInstance(rec: AccessGrantsInstanceRecord, tags: Tag[]): Promise<CreateOutcome> {
    return this.handle.writes.run(() => {
      if (this.getInstance(rec.accountId, rec.region)) return 'exists';
      this.st('INSERT INTO ag_instances (account_id, region, instance_id, arn, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(rec.accountId, rec.region, rec.instanceId, rec.arn, rec.createdAt);
      this.insertTags(rec.arn, tags);
      return 'ok';
    });
  }

  deleteInstance(accountId: string, region: string): Promise<DeleteOutcome> {
    return this.handle.writes.run(() => {
      const i = this.getInstance(accountId, region);
      if (!i) return 'missing';
      if (i.locationCount > 0) return 'not-empty';
      this.st('DELETE FROM ag_instances WHERE account_id = ? AND region = ?').run(accountId, region);
      this.dropTags(i.arn);
      return 'ok';
    });
  }

  putInstancePolicy(accountId: string, region: string, policy: string | undefined, organization: string | undefined, at: number): Promise<boolean> {
    return this.handle.writes.run(() => {
      const r = this.st('UPDATE ag_instances SET policy = ?, policy_organization = ?, policy_created_at = ? WHERE account_id = ? AND region = ?')
        .run(policy ?? null, organization ?? null, policy === undefined ? null : at, accountId, region);
      return r.changes > 0;
    });
  }

  getLocation(accountId: string, region: string, locationId: string): AccessGrantsLocationRecord | undefined {
    const r = this.st('SELECT * FROM ag_locations WHERE account_id = ? AND region = ? AND location_id = ?').get(accountId, region, locationId) as LocationRow | undefined;
    return r ? locationOf(r) : undefined;
  }

  listLocations(accountId: string, region: string, opts: { scope?: string; afterId?: string; limit: number }): AccessGrantsLocationRecord[] {
    const rows = this.st(`SELECT * FROM ag_locations WHERE account_id = ? AND region = ? AND location_id > ?
      AND (? IS NULL OR substr(scope, 1, length(?)) = ?) ORDER BY location_id LIMIT ?`)
      .all(accountId, region, opts.afterId ?? '', opts.scope ?? null, opts.scope ?? null, opts.scope ?? null, opts.limit) as LocationRow[];
    return rows.map(locationOf);
  }

  createLocation(rec: AccessGrantsLocationRecord, tags: Tag[], limit: number): Promise<CreateOutcome> {
    return this.handle.writes.run(() => {
      const i = this.getInstance(rec.accountId, rec.region);
      if (!i) return 'no-instance';
      if (this.st('SELECT 1 FROM ag_locations WHERE account_id = ? AND region = ? AND (scope = ? OR location_id = ?)').get(rec.accountId, rec.region, rec.scope, rec.locationId)) return 'exists';
      if (i.locationCount >= limit) return 'quota';
      this.st('INSERT INTO ag_locations (account_id, region, location_id, arn, scope, role_arn, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(rec.accountId, rec.region, rec.locationId, rec.arn, rec.scope, rec.roleArn, rec.createdAt);
      this.st('UPDATE ag_instances SET location_count = location_count + 1 WHERE account_id = ? AND region = ?').run(rec.accountId, rec.region);
      this.insertTags(rec.arn, tags);
      return 'ok';
    });
  }

  updateLocationRole(accountId: string, region: string, locationId: string, roleArn: string): Promise<AccessGrantsLocationRecord | undefined> {
    return this.handle.writes.run(() => {
      this.st('UPDATE ag_locations SET role_arn = ? WHERE account_id = ? AND region = ? AND location_id = ?').run(roleArn, accountId, region, locationId);
      return this.getLocation(accountId, region, locationId);
    });
  }

  deleteLocation(accountId: string, region: string, locationId: string): Promise<DeleteOutcome> {
    return this.handle.writes.run(() => {
      const l = this.getLocation(accountId, region, locationId);
      if (!l) return 'missing';
      if (this.st('SELECT 1 FROM ag_grants WHERE account_id = ? AND region = ? AND location_id = ? LIMIT 1').get(accountId, region, locationId)) return 'not-empty';
      this.st('DELETE FROM ag_locations WHERE account_id = ? AND region = ? AND location_id = ?').run(accountId, region, locationId);
      this.st('UPDATE ag_instances SET location_count = location_count - 1 WHERE account_id = ? AND region = ?').run(accountId, region);
      this.dropTags(l.arn);
      return 'ok';
    });
  }

  getGrant(accountId: string, region: string, grantId: string): AccessGrantRecord | undefined {
    const r = this.st('SELECT * FROM ag_grants WHERE account_id = ? AND region = ? AND grant_id = ?').get(accountId, region, grantId) as GrantRow | undefined;
    return r ? grantOf(r) : undefined;
  }

  listGrants(accountId: string, region: string, f: GrantFilter, opts: { afterSeq?: number; limit: number }): AccessGrantRecord[] {
    const where = ['account_id = ?', 'region = ?', 'seq > ?'];
    const args: unknown[] = [accountId, region, opts.afterSeq ?? 0];
    if (f.granteeType !== undefined) { where.push('grantee_type = ?'); args.push(f.granteeType); }
    if (f.granteeId !== undefined) { where.push('grantee_id = ?'); args.push(f.granteeId); }
    if (f.permission !== undefined) { where.push('permission = ?'); args.push(f.permission); }
    if (f.applicationArn !== undefined) { where.push('application_arn = ?'); args.push(f.applicationArn); }
    if (f.scopePrefix !== undefined) { where.push('substr(scope, 1, ?) = ?'); args.push(f.scopePrefix.length, f.scopePrefix); }
    args.push(opts.limit);
    const rows = this.handle.db.prepare(`SELECT * FROM ag_grants WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args) as GrantRow[];
    return rows.map(grantOf);
  }

  createGrant(rec: AccessGrantRecord, tags: Tag[], limit: number): Promise<CreateOutcome> {
    return this.handle.writes.run(() => {
      const i = this.getInstance(rec.accountId, rec.region);
      if (!i) return 'no-instance';
      if (!this.getLocation(rec.accountId, rec.region, rec.locationId)) return 'no-location';
      if (i.grantCount >= limit) return 'quota';
      const dup = this.st(`SELECT 1 FROM ag_grants WHERE account_id = ? AND region = ? AND location_id = ? AND grantee_type = ? AND grantee_id = ?
        AND scope = ? AND object = ? AND permission = ? AND COALESCE(application_arn, '') = ?`)
        .get(rec.accountId, rec.region, rec.locationId, rec.granteeType, rec.granteeId, rec.scope, rec.object ? 1 : 0, rec.permission, rec.applicationArn ?? '');
      if (dup) return 'exists';
      this.st(`INSERT INTO ag_grants (account_id, region, grant_id, arn, location_id, sub_prefix, scope, scope_key, object, grantee_type, grantee_id, permission, application_arn, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(rec.accountId, rec.region, rec.grantId, rec.arn, rec.locationId, rec.subPrefix ?? null, rec.scope, rec.scopeKey, rec.object ? 1 : 0,
          rec.granteeType, rec.granteeId, rec.permission, rec.applicationArn ?? null, rec.createdAt);
      this.st('UPDATE ag_instances SET grant_count = grant_count + 1 WHERE account_id = ? AND region = ?').run(rec.accountId, rec.region);
      this.insertTags(rec.arn, tags);
      return 'ok';
    });
  }

  deleteGrant(accountId: string, region: string, grantId: string): Promise<boolean> {
    return this.handle.writes.run(() => {
      const g = this.getGrant(accountId, region, grantId);
      if (!g) return false;
      this.st('DELETE FROM ag_grants WHERE account_id = ? AND region = ? AND grant_id = ?').run(accountId, region, grantId);
      this.st('UPDATE ag_instances SET grant_count = grant_count - 1 WHERE account_id = ? AND region = ?').run(accountId, region);
      this.dropTags(g.arn);
      return true;
    });
  }

  grantsForTarget(accountId: string, region: string, granteeId: string, scopeKeys: readonly string[]): Array<AccessGrantRecord & { roleArn: string }> {
    // One index probe per candidate prefix (json_each feeds the IN list): no scan of the grantee's grants.
    const rows = this.st(`SELECT g.*, l.role_arn AS role_arn FROM ag_grants g
      JOIN ag_locations l ON l.account_id = g.account_id AND l.region = g.region AND l.location_id = g.location_id
      WHERE g.account_id = ? AND g.region = ? AND g.grantee_type = 'IAM' AND g.grantee_id = ? AND g.scope_key IN (SELECT value FROM json_each(?))`)
      .all(accountId, region, granteeId, JSON.stringify(scopeKeys)) as Array<GrantRow & { role_arn: string }>;
    return rows.map((r) => ({ ...grantOf(r), roleArn: r.role_arn }));
  }

  tagsOf(arn: string): Tag[] {
    const rows = this.st('SELECT tag_key, tag_value FROM ag_tags WHERE arn = ? ORDER BY tag_key').all(arn) as Array<{ tag_key: string; tag_value: string }>;
    return rows.map((r) => ({ Key: r.tag_key, Value: r.tag_value }));
  }

  tagResource(arn: string, tags: Tag[]): Promise<'ok' | 'too-many'> {
    return this.handle.writes.run(() => {
      const existing = new Set(this.tagsOf(arn).map((t) => t.Key));
      for (const t of tags) existing.add(t.Key);
      if (existing.size > MAX_TAGS) return 'too-many';
      this.insertTags(arn, tags);
      return 'ok';
    });
  }

  untagResource(arn: string, keys: string[]): Promise<void> {
    return this.handle.writes.run(() => {
      const del = this.st('DELETE FROM ag_tags WHERE arn = ? AND tag_key = ?');
      for (const k of keys) del.run(arn, k);
    });
  }
}
