import type Database from 'better-sqlite3';
import {
  IamConflict,
  type EntityKind, type IamAccessKey, type IamGroup, type IamRole, type IamStore, type IamUser, type InlinePolicy,
  type LabeledPolicy, type ManagedPolicy, type OidcProvider, type PolicyVersion, type PrincipalEntity, type PrincipalPolicies,
  type RoleChanges, type TaggedEntity, splitPolicyArn,
} from '../iam-types.js';
import { migrate, type SqliteHandle } from './database.js';
import { IAM_MIGRATIONS } from './iam-migrations.js';
import { groupOf, oidcOf, roleOf, userOf, versionOf, type Row } from './iam-rows.js';


/** An AWS-managed policy as seeded at start: the document of its default version. */
export interface AwsManagedPolicySeed {
  name: string;
  path: string;
  policyId: string;
  description: string;
  defaultVersionId: string;
  document: string;
  createDate: Date;
  updateDate: Date;
}

const lc = (s: string): string => s.toLowerCase();

function tagKey(e: TaggedEntity): string {
  return 'arn' in e ? `${e.kind}:${e.arn}` : `${e.kind}:${e.accountId}:${lc(e.name)}`;
}

/** The embedded IAM store, on the shared SQLite handle; every write goes through group commit. */
export class SqliteIamStore implements IamStore {
  private readonly db: Database.Database;

  private constructor(private readonly handle: SqliteHandle) {
    this.db = handle.db;
  }

  /** Runs the IAM migrations and (re)seeds the AWS-managed policies. */
  static open(handle: SqliteHandle, opts: { awsManagedPolicies?: readonly AwsManagedPolicySeed[] } = {}): SqliteIamStore {
    migrate(handle, 'iam', IAM_MIGRATIONS);
    const store = new SqliteIamStore(handle);
    if (opts.awsManagedPolicies) store.seed(opts.awsManagedPolicies);
    return store;
  }

  private q(sql: string): Database.Statement {
    return this.handle.statement(sql);
  }

  private write<T>(fn: () => T): Promise<T> {
    return this.handle.writes.run(fn);
  }

  /** At start, before any request: AWS-managed policies are the same in every account. */
  private seed(seeds: readonly AwsManagedPolicySeed[]): void {
    this.db.transaction(() => {
      for (const p of seeds) {
        const arn = `arn:aws:iam::aws:policy${p.path}${p.name}`;
        const versionNo = Number(p.defaultVersionId.slice(1));
        const current = this.q('SELECT default_version FROM iam_policies WHERE arn = ?').get(arn) as Row | undefined;
        const doc = this.q('SELECT document FROM iam_policy_versions WHERE policy_arn = ? AND version_no = ?').get(arn, versionNo) as Row | undefined;
        if (current?.default_version === p.defaultVersionId && doc?.document === p.document) continue;
        this.q(`INSERT INTO iam_policies (arn, account_id, name_lc, name, policy_id, path, description, default_version, next_version, created_at, updated_at)
                VALUES (?, 'aws', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (arn) DO UPDATE SET description = excluded.description, default_version = excluded.default_version,
                  next_version = excluded.next_version, updated_at = excluded.updated_at`)
          .run(arn, lc(p.name), p.name, p.policyId, p.path, p.description, p.defaultVersionId, versionNo + 1, p.createDate.getTime(), p.updateDate.getTime());
        this.q('DELETE FROM iam_policy_versions WHERE policy_arn = ?').run(arn);
        this.q('INSERT INTO iam_policy_versions (policy_arn, version_no, document, created_at) VALUES (?, ?, ?, ?)').run(arn, versionNo, p.document, p.updateDate.getTime());
      }
    })();
  }

  // ---- rows

  private policyOf(r: Row, countsFor: string): ManagedPolicy {
    const arn = r.arn as string;
    const attached = (this.q('SELECT COUNT(*) AS n FROM iam_attachments WHERE account_id = ? AND policy_arn = ?').get(countsFor, arn) as Row).n as number;
    const boundaries = (this.q(`SELECT (SELECT COUNT(*) FROM iam_users WHERE account_id = ? AND boundary_arn = ?)
      + (SELECT COUNT(*) FROM iam_roles WHERE account_id = ? AND boundary_arn = ?) AS n`).get(countsFor, arn, countsFor, arn) as Row).n as number;
    const p: ManagedPolicy = {
      accountId: r.account_id as string,
      policyName: r.name as string,
      policyId: r.policy_id as string,
      path: r.path as string,
      arn,
      defaultVersionId: r.default_version as string,
      attachmentCount: attached,
      permissionsBoundaryUsageCount: boundaries,
      isAttachable: true,
      createDate: new Date(r.created_at as number),
      updateDate: new Date(r.updated_at as number),
      tags: this.tagRows(`policy:${arn}`),
    };
    if (r.description !== null) p.description = r.description as string;
    return p;
  }

  private readonly tags = (entity: string): Array<[string, string]> => this.tagRows(entity);

  private tagRows(entity: string): Array<[string, string]> {
    return (this.q('SELECT key, value FROM iam_tags WHERE entity = ? ORDER BY seq').all(entity) as Row[]).map((t) => [t.key as string, t.value as string]);
  }

  private userRow(accountId: string, name: string): Row | undefined {
    return this.q('SELECT * FROM iam_users WHERE account_id = ? AND name_lc = ?').get(accountId, lc(name)) as Row | undefined;
  }

  private groupRow(accountId: string, name: string): Row | undefined {
    return this.q('SELECT * FROM iam_groups WHERE account_id = ? AND name_lc = ?').get(accountId, lc(name)) as Row | undefined;
  }

  private roleRow(accountId: string, name: string): Row | undefined {
    return this.q('SELECT * FROM iam_roles WHERE account_id = ? AND name_lc = ?').get(accountId, lc(name)) as Row | undefined;
  }

  private entityRow(kind: EntityKind, accountId: string, name: string): Row | undefined {
    return kind === 'user' ? this.userRow(accountId, name) : kind === 'group' ? this.groupRow(accountId, name) : this.roleRow(accountId, name);
  }

  /** By exact ARN, else by account, name (any case) and exact path. */
  private policyRow(arn: string): Row | undefined {
    const exact = this.q('SELECT * FROM iam_policies WHERE arn = ?').get(arn) as Row | undefined;
    if (exact) return exact;
    const parts = splitPolicyArn(arn);
    if (!parts) return undefined;
    const r = this.q('SELECT * FROM iam_policies WHERE account_id = ? AND name_lc = ?').get(parts.accountId, lc(parts.name)) as Row | undefined;
    return r && r.path === parts.path ? r : undefined;
  }

  private mustPolicy(arn: string): Row {
    const r = this.policyRow(arn);
    if (!r) throw new IamConflict('not-found', arn);
    return r;
  }

  private mustEntity(kind: EntityKind, accountId: string, name: string): Row {
    const r = this.entityRow(kind, accountId, name);
    if (!r) throw new IamConflict('not-found', `${kind} ${name}`);
    return r;
  }

  // ---- users

  async getUser(accountId: string, userName: string): Promise<IamUser | undefined> {
    const r = this.userRow(accountId, userName);
    return r ? userOf(r, this.tags) : undefined;
  }

  async getUserByAccessKey(accessKeyId: string): Promise<IamUser | undefined> {
    const k = this.q("SELECT account_id, principal_name FROM access_keys WHERE access_key_id = ? AND principal_kind = 'User'").get(accessKeyId) as Row | undefined;
    return k ? this.getUser(k.account_id as string, k.principal_name as string) : undefined;
  }

  async createUser(u: IamUser): Promise<void> {
    await this.write(() => {
      if (this.userRow(u.accountId, u.userName)) throw new IamConflict('exists', u.userName);
      this.q('INSERT INTO iam_users (account_id, name_lc, name, user_id, path, created_at, boundary_arn) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(u.accountId, lc(u.userName), u.userName, u.userId, u.path, u.createDate.getTime(), u.permissionsBoundaryArn ?? null);
      this.setTags(`user:${u.accountId}:${lc(u.userName)}`, u.tags, []);
    });
  }

  async listUsers(accountId: string): Promise<IamUser[]> {
    return (this.q('SELECT * FROM iam_users WHERE account_id = ? ORDER BY name_lc').all(accountId) as Row[]).map((r) => userOf(r, this.tags));
  }

  async updateUser(accountId: string, userName: string, changes: { newUserName?: string; newPath?: string }): Promise<void> {
    await this.write(() => {
      const r = this.userRow(accountId, userName);
      if (!r) throw new IamConflict('not-found', userName);
      const oldLc = r.name_lc as string;
      const name = changes.newUserName ?? (r.name as string);
      const newLc = lc(name);
      if (newLc !== oldLc && this.userRow(accountId, name)) throw new IamConflict('exists', name);
      this.q('UPDATE iam_users SET name_lc = ?, name = ?, path = ? WHERE account_id = ? AND name_lc = ?')
        .run(newLc, name, changes.newPath ?? r.path, accountId, oldLc);
      if (changes.newUserName !== undefined) {
        this.q('UPDATE iam_group_members SET user_lc = ? WHERE account_id = ? AND user_lc = ?').run(newLc, accountId, oldLc);
        this.q("UPDATE iam_attachments SET name_lc = ? WHERE account_id = ? AND kind = 'user' AND name_lc = ?").run(newLc, accountId, oldLc);
        this.q("UPDATE iam_inline_policies SET name_lc = ? WHERE account_id = ? AND kind = 'user' AND name_lc = ?").run(newLc, accountId, oldLc);
        this.q('UPDATE iam_tags SET entity = ? WHERE entity = ?').run(`user:${accountId}:${newLc}`, `user:${accountId}:${oldLc}`);
        this.q("UPDATE access_keys SET principal_name = ? WHERE account_id = ? AND principal_kind = 'User' AND principal_name = ?").run(name, accountId, r.name);
      }
    });
  }

  async deleteUser(accountId: string, userName: string): Promise<void> {
    await this.write(() => {
      const r = this.userRow(accountId, userName);
      if (!r) throw new IamConflict('not-found', userName);
      const name_lc = r.name_lc as string;
      const busy = (this.q("SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND principal_kind = 'User' AND principal_name = ?").get(accountId, r.name) as Row).n as number
        + ((this.q("SELECT COUNT(*) AS n FROM iam_attachments WHERE account_id = ? AND kind = 'user' AND name_lc = ?").get(accountId, name_lc) as Row).n as number)
        + ((this.q("SELECT COUNT(*) AS n FROM iam_inline_policies WHERE account_id = ? AND kind = 'user' AND name_lc = ?").get(accountId, name_lc) as Row).n as number)
        + ((this.q('SELECT COUNT(*) AS n FROM iam_group_members WHERE account_id = ? AND user_lc = ?').get(accountId, name_lc) as Row).n as number);
      if (busy > 0) throw new IamConflict('not-empty', userName);
      this.q('DELETE FROM iam_users WHERE account_id = ? AND name_lc = ?').run(accountId, name_lc);
      this.q('DELETE FROM iam_tags WHERE entity = ?').run(`user:${accountId}:${name_lc}`);
    });
  }

  // ---- groups

  async createGroup(g: IamGroup): Promise<void> {
    await this.write(() => {
      if (this.groupRow(g.accountId, g.groupName)) throw new IamConflict('exists', g.groupName);
      this.q('INSERT INTO iam_groups (account_id, name_lc, name, group_id, path, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(g.accountId, lc(g.groupName), g.groupName, g.groupId, g.path, g.createDate.getTime());
    });
  }

  async getGroup(accountId: string, groupName: string): Promise<IamGroup | undefined> {
    const r = this.groupRow(accountId, groupName);
    return r ? groupOf(r) : undefined;
  }

  async listGroups(accountId: string): Promise<IamGroup[]> {
    return (this.q('SELECT * FROM iam_groups WHERE account_id = ? ORDER BY name_lc').all(accountId) as Row[]).map((r) => groupOf(r));
  }

  async deleteGroup(accountId: string, groupName: string): Promise<void> {
    await this.write(() => {
      const r = this.groupRow(accountId, groupName);
      if (!r) throw new IamConflict('not-found', groupName);
      const g = r.name_lc as string;
      const busy = ((this.q('SELECT COUNT(*) AS n FROM iam_group_members WHERE account_id = ? AND group_lc = ?').get(accountId, g) as Row).n as number)
        + ((this.q("SELECT COUNT(*) AS n FROM iam_attachments WHERE account_id = ? AND kind = 'group' AND name_lc = ?").get(accountId, g) as Row).n as number)
        + ((this.q("SELECT COUNT(*) AS n FROM iam_inline_policies WHERE account_id = ? AND kind = 'group' AND name_lc = ?").get(accountId, g) as Row).n as number);
      if (busy > 0) throw new IamConflict('not-empty', groupName);
      this.q('DELETE FROM iam_groups WHERE account_id = ? AND name_lc = ?').run(accountId, g);
    });
  }

  async addUserToGroup(accountId: string, groupName: string, userName: string): Promise<void> {
    await this.write(() => {
      const g = this.mustEntity('group', accountId, groupName);
      const u = this.mustEntity('user', accountId, userName);
      this.q('INSERT OR IGNORE INTO iam_group_members (account_id, group_lc, user_lc) VALUES (?, ?, ?)').run(accountId, g.name_lc, u.name_lc);
    });
  }

  async removeUserFromGroup(accountId: string, groupName: string, userName: string): Promise<boolean> {
    return this.write(() => this.q('DELETE FROM iam_group_members WHERE account_id = ? AND group_lc = ? AND user_lc = ?').run(accountId, lc(groupName), lc(userName)).changes > 0);
  }

  async groupMembers(accountId: string, groupName: string): Promise<IamUser[]> {
    return (this.q(`SELECT u.* FROM iam_group_members m JOIN iam_users u ON u.account_id = m.account_id AND u.name_lc = m.user_lc
      WHERE m.account_id = ? AND m.group_lc = ? ORDER BY u.name_lc`).all(accountId, lc(groupName)) as Row[]).map((r) => userOf(r, this.tags));
  }

  async groupsForUser(accountId: string, userName: string): Promise<IamGroup[]> {
    return (this.q(`SELECT g.* FROM iam_group_members m JOIN iam_groups g ON g.account_id = m.account_id AND g.name_lc = m.group_lc
      WHERE m.account_id = ? AND m.user_lc = ? ORDER BY g.name_lc`).all(accountId, lc(userName)) as Row[]).map((r) => groupOf(r));
  }

  // ---- roles

  async getRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    const r = this.roleRow(accountId, roleName);
    return r ? roleOf(r, this.tags) : undefined;
  }

  async createRole(r: IamRole): Promise<void> {
    await this.write(() => {
      if (this.roleRow(r.accountId, r.roleName)) throw new IamConflict('exists', r.roleName);
      this.q(`INSERT INTO iam_roles (account_id, name_lc, name, role_id, path, created_at, trust_policy, description, max_session_duration, boundary_arn)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(r.accountId, lc(r.roleName), r.roleName, r.roleId, r.path, r.createDate.getTime(), r.assumeRolePolicyDocument,
          r.description ?? null, r.maxSessionDuration, r.permissionsBoundaryArn ?? null);
      this.setTags(`role:${r.accountId}:${lc(r.roleName)}`, r.tags, []);
    });
  }

  async listRoles(accountId: string): Promise<IamRole[]> {
    return (this.q('SELECT * FROM iam_roles WHERE account_id = ? ORDER BY name_lc').all(accountId) as Row[]).map((r) => roleOf(r, this.tags));
  }

  async updateRole(accountId: string, roleName: string, changes: RoleChanges): Promise<void> {
    await this.write(() => {
      const r = this.mustEntity('role', accountId, roleName);
      this.q('UPDATE iam_roles SET description = ?, max_session_duration = ?, trust_policy = ? WHERE account_id = ? AND name_lc = ?')
        .run(changes.description ?? r.description, changes.maxSessionDuration ?? r.max_session_duration,
          changes.assumeRolePolicyDocument ?? r.trust_policy, accountId, r.name_lc);
    });
  }

  async deleteRole(accountId: string, roleName: string): Promise<void> {
    await this.write(() => {
      const r = this.mustEntity('role', accountId, roleName);
      const n = r.name_lc as string;
      const busy = ((this.q("SELECT COUNT(*) AS n FROM iam_attachments WHERE account_id = ? AND kind = 'role' AND name_lc = ?").get(accountId, n) as Row).n as number)
        + ((this.q("SELECT COUNT(*) AS n FROM iam_inline_policies WHERE account_id = ? AND kind = 'role' AND name_lc = ?").get(accountId, n) as Row).n as number);
      if (busy > 0) throw new IamConflict('not-empty', roleName);
      this.q('DELETE FROM iam_roles WHERE account_id = ? AND name_lc = ?').run(accountId, n);
      this.q('DELETE FROM iam_tags WHERE entity = ?').run(`role:${accountId}:${n}`);
    });
  }

  async setPermissionsBoundary(kind: 'user' | 'role', accountId: string, name: string, policyArn: string | undefined): Promise<void> {
    await this.write(() => {
      const r = this.mustEntity(kind, accountId, name);
      this.q(`UPDATE ${kind === 'user' ? 'iam_users' : 'iam_roles'} SET boundary_arn = ? WHERE account_id = ? AND name_lc = ?`).run(policyArn ?? null, accountId, r.name_lc);
    });
  }

  // ---- tags

  private setTags(entity: string, set: Array<[string, string]>, remove: string[]): void {
    for (const [k, v] of set) {
      this.q(`INSERT INTO iam_tags (entity, key_lc, key, value, seq) VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM iam_tags WHERE entity = ?))
              ON CONFLICT (entity, key_lc) DO UPDATE SET key = excluded.key, value = excluded.value`).run(entity, lc(k), k, v, entity);
    }
    for (const k of remove) this.q('DELETE FROM iam_tags WHERE entity = ? AND key_lc = ?').run(entity, lc(k));
  }

  async tag(entity: TaggedEntity, set: Array<[string, string]>, remove: string[] = []): Promise<void> {
    await this.write(() => {
      const exists = !('arn' in entity) ? this.entityRow(entity.kind, entity.accountId, entity.name)
        : entity.kind === 'policy' ? this.policyRow(entity.arn) : this.q('SELECT arn FROM iam_oidc_providers WHERE arn = ?').get(entity.arn);
      if (!exists) throw new IamConflict('not-found');
      this.setTags(tagKey(entity), set, remove);
    });
  }

  async tagsOf(entity: TaggedEntity): Promise<Array<[string, string]>> {
    return this.tagRows(tagKey(entity));
  }

  // ---- managed policies

  async createPolicy(p: ManagedPolicy, document: string): Promise<void> {
    await this.write(() => {
      if (this.q('SELECT 1 FROM iam_policies WHERE account_id = ? AND name_lc = ?').get(p.accountId, lc(p.policyName))) throw new IamConflict('exists', p.policyName);
      this.q(`INSERT INTO iam_policies (arn, account_id, name_lc, name, policy_id, path, description, default_version, next_version, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, 'v1', 2, ?, ?)`)
        .run(p.arn, p.accountId, lc(p.policyName), p.policyName, p.policyId, p.path, p.description ?? null, p.createDate.getTime(), p.updateDate.getTime());
      this.q('INSERT INTO iam_policy_versions (policy_arn, version_no, document, created_at) VALUES (?, 1, ?, ?)').run(p.arn, document, p.createDate.getTime());
      this.setTags(`policy:${p.arn}`, p.tags, []);
    });
  }

  async getPolicy(arn: string, countsFor: string): Promise<ManagedPolicy | undefined> {
    const r = this.policyRow(arn);
    return r ? this.policyOf(r, countsFor) : undefined;
  }

  async listPolicies(accountId: string): Promise<ManagedPolicy[]> {
    return (this.q("SELECT * FROM iam_policies WHERE account_id IN (?, 'aws') ORDER BY name_lc, account_id").all(accountId) as Row[]).map((r) => this.policyOf(r, accountId));
  }

  async deletePolicy(arn: string): Promise<void> {
    await this.write(() => {
      const r = this.mustPolicy(arn);
      const canonical = r.arn as string;
      const attached = (this.q('SELECT COUNT(*) AS n FROM iam_attachments WHERE policy_arn = ?').get(canonical) as Row).n as number;
      const boundaries = ((this.q('SELECT COUNT(*) AS n FROM iam_users WHERE boundary_arn = ?').get(canonical) as Row).n as number)
        + ((this.q('SELECT COUNT(*) AS n FROM iam_roles WHERE boundary_arn = ?').get(canonical) as Row).n as number);
      const versions = (this.q('SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_arn = ?').get(canonical) as Row).n as number;
      if (attached + boundaries > 0 || versions > 1) throw new IamConflict('not-empty', canonical);
      this.q('DELETE FROM iam_policy_versions WHERE policy_arn = ?').run(canonical);
      this.q('DELETE FROM iam_policies WHERE arn = ?').run(canonical);
      this.q('DELETE FROM iam_tags WHERE entity = ?').run(`policy:${canonical}`);
    });
  }

  async createPolicyVersion(arn: string, document: string, setAsDefault: boolean, now: Date): Promise<PolicyVersion> {
    return this.write(() => {
      const r = this.mustPolicy(arn);
      const canonical = r.arn as string;
      const count = (this.q('SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_arn = ?').get(canonical) as Row).n as number;
      if (count >= 5) throw new IamConflict('limit', canonical);
      const no = r.next_version as number;
      this.q('INSERT INTO iam_policy_versions (policy_arn, version_no, document, created_at) VALUES (?, ?, ?, ?)').run(canonical, no, document, now.getTime());
      const defaultVersion = setAsDefault ? `v${no}` : (r.default_version as string);
      this.q('UPDATE iam_policies SET next_version = ?, default_version = ?, updated_at = ? WHERE arn = ?').run(no + 1, defaultVersion, now.getTime(), canonical);
      return { policyArn: canonical, versionId: `v${no}`, document, isDefaultVersion: setAsDefault, createDate: now };
    });
  }

  async getPolicyVersion(arn: string, versionId: string): Promise<PolicyVersion | undefined> {
    const p = this.policyRow(arn);
    const m = /^v([1-9]\d*)$/.exec(versionId);
    if (!p || !m) return undefined;
    const r = this.q('SELECT * FROM iam_policy_versions WHERE policy_arn = ? AND version_no = ?').get(p.arn, Number(m[1])) as Row | undefined;
    return r ? versionOf(r, p.default_version as string) : undefined;
  }

  async listPolicyVersions(arn: string): Promise<PolicyVersion[]> {
    const p = this.policyRow(arn);
    if (!p) return [];
    return (this.q('SELECT * FROM iam_policy_versions WHERE policy_arn = ? ORDER BY version_no DESC').all(p.arn) as Row[])
      .map((r) => versionOf(r, p.default_version as string));
  }

  async setDefaultPolicyVersion(arn: string, versionId: string, now: Date): Promise<void> {
    await this.write(() => {
      const p = this.mustPolicy(arn);
      const m = /^v([1-9]\d*)$/.exec(versionId);
      if (!m || !this.q('SELECT 1 FROM iam_policy_versions WHERE policy_arn = ? AND version_no = ?').get(p.arn, Number(m[1]))) throw new IamConflict('not-found', versionId);
      this.q('UPDATE iam_policies SET default_version = ?, updated_at = ? WHERE arn = ?').run(versionId, now.getTime(), p.arn);
    });
  }

  async deletePolicyVersion(arn: string, versionId: string): Promise<void> {
    await this.write(() => {
      const p = this.mustPolicy(arn);
      const m = /^v([1-9]\d*)$/.exec(versionId);
      if (!m) throw new IamConflict('not-found', versionId);
      if (p.default_version === versionId) throw new IamConflict('not-empty', versionId);
      if (this.q('DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_no = ?').run(p.arn, Number(m[1])).changes === 0) throw new IamConflict('not-found', versionId);
    });
  }

  // ---- attachments

  async attachPolicy(kind: EntityKind, accountId: string, name: string, policyArn: string): Promise<void> {
    await this.write(() => {
      const e = this.mustEntity(kind, accountId, name);
      const p = this.mustPolicy(policyArn);
      this.q(`INSERT OR IGNORE INTO iam_attachments (account_id, kind, name_lc, policy_arn, seq)
              VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM iam_attachments))`).run(accountId, kind, e.name_lc, p.arn);
    });
  }

  async detachPolicy(kind: EntityKind, accountId: string, name: string, policyArn: string): Promise<boolean> {
    return this.write(() => {
      const p = this.policyRow(policyArn);
      if (!p) return false;
      return this.q('DELETE FROM iam_attachments WHERE account_id = ? AND kind = ? AND name_lc = ? AND policy_arn = ?').run(accountId, kind, lc(name), p.arn).changes > 0;
    });
  }

  async attachedPolicies(kind: EntityKind, accountId: string, name: string): Promise<ManagedPolicy[]> {
    return (this.q(`SELECT p.* FROM iam_attachments a JOIN iam_policies p ON p.arn = a.policy_arn
      WHERE a.account_id = ? AND a.kind = ? AND a.name_lc = ? ORDER BY p.name_lc, p.account_id`).all(accountId, kind, lc(name)) as Row[])
      .map((r) => this.policyOf(r, accountId));
  }

  async entitiesForPolicy(accountId: string, policyArn: string): Promise<PrincipalEntity[]> {
    const p = this.policyRow(policyArn);
    if (!p) return [];
    const rows = this.q(`SELECT a.kind, COALESCE(u.name, g.name, r.name) AS name FROM iam_attachments a
      LEFT JOIN iam_users u ON a.kind = 'user' AND u.account_id = a.account_id AND u.name_lc = a.name_lc
      LEFT JOIN iam_groups g ON a.kind = 'group' AND g.account_id = a.account_id AND g.name_lc = a.name_lc
      LEFT JOIN iam_roles r ON a.kind = 'role' AND r.account_id = a.account_id AND r.name_lc = a.name_lc
      WHERE a.account_id = ? AND a.policy_arn = ? ORDER BY a.kind, a.name_lc`).all(accountId, p.arn) as Row[];
    return rows.filter((r) => r.name !== null).map((r) => ({ kind: r.kind as EntityKind, accountId, name: r.name as string }));
  }

  // ---- inline policies

  async putInlinePolicy(kind: EntityKind, accountId: string, name: string, policy: InlinePolicy): Promise<void> {
    await this.write(() => {
      const e = this.mustEntity(kind, accountId, name);
      this.q(`INSERT INTO iam_inline_policies (account_id, kind, name_lc, policy_lc, policy_name, document) VALUES (?, ?, ?, ?, ?, ?)
              ON CONFLICT (account_id, kind, name_lc, policy_lc) DO UPDATE SET document = excluded.document`)
        .run(accountId, kind, e.name_lc, lc(policy.policyName), policy.policyName, policy.document);
    });
  }

  async getInlinePolicy(kind: EntityKind, accountId: string, name: string, policyName: string): Promise<InlinePolicy | undefined> {
    const r = this.q('SELECT policy_name, document FROM iam_inline_policies WHERE account_id = ? AND kind = ? AND name_lc = ? AND policy_lc = ?')
      .get(accountId, kind, lc(name), lc(policyName)) as Row | undefined;
    return r ? { policyName: r.policy_name as string, document: r.document as string } : undefined;
  }

  async deleteInlinePolicy(kind: EntityKind, accountId: string, name: string, policyName: string): Promise<boolean> {
    return this.write(() => this.q('DELETE FROM iam_inline_policies WHERE account_id = ? AND kind = ? AND name_lc = ? AND policy_lc = ?')
      .run(accountId, kind, lc(name), lc(policyName)).changes > 0);
  }

  async inlinePolicies(kind: EntityKind, accountId: string, name: string): Promise<InlinePolicy[]> {
    return (this.q('SELECT policy_name, document FROM iam_inline_policies WHERE account_id = ? AND kind = ? AND name_lc = ? ORDER BY policy_lc')
      .all(accountId, kind, lc(name)) as Row[]).map((r) => ({ policyName: r.policy_name as string, document: r.document as string }));
  }

  // ---- access keys (rows of the shared credential table)

  private keyOwner(accountId: string, userName: string): { kind: 'User' | 'Root'; name: string } {
    if (userName === '') return { kind: 'Root', name: '' };
    const u = this.userRow(accountId, userName);
    if (!u) throw new IamConflict('not-found', userName);
    return { kind: 'User', name: u.name as string };
  }

  async createAccessKey(accountId: string, userName: string, key: { accessKeyId: string; secretAccessKey: string; createDate: Date }, limit: number): Promise<void> {
    await this.write(() => {
      const owner = this.keyOwner(accountId, userName);
      const existing = this.q('SELECT account_id, principal_kind, principal_name FROM access_keys WHERE access_key_id = ?').get(key.accessKeyId) as Row | undefined;
      if (existing) {
        if (existing.account_id === accountId && existing.principal_kind === owner.kind && existing.principal_name === owner.name) return;
        throw new IamConflict('exists', key.accessKeyId);
      }
      const n = (this.q('SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND principal_kind = ? AND principal_name = ?').get(accountId, owner.kind, owner.name) as Row).n as number;
      if (n >= limit) throw new IamConflict('limit', userName);
      this.q(`INSERT INTO access_keys (access_key_id, secret, account_id, principal_kind, principal_name, status, created_at)
              VALUES (?, ?, ?, ?, ?, 'Active', ?)`).run(key.accessKeyId, this.handle.secrets.seal(key.accessKeyId, key.secretAccessKey), accountId, owner.kind, owner.name, key.createDate.getTime());
    });
  }

  async listAccessKeys(accountId: string, userName: string): Promise<IamAccessKey[]> {
    const u = userName === '' ? undefined : this.userRow(accountId, userName);
    if (userName !== '' && !u) return [];
    const kind = u ? 'User' : 'Root';
    const name = u ? (u.name as string) : '';
    return (this.q('SELECT access_key_id, status, created_at FROM access_keys WHERE account_id = ? AND principal_kind = ? AND principal_name = ? ORDER BY created_at, access_key_id')
      .all(accountId, kind, name) as Row[]).map((r) => ({ accessKeyId: r.access_key_id as string, userName: name, status: r.status as 'Active' | 'Inactive', createDate: new Date(r.created_at as number) }));
  }

  async updateAccessKey(accountId: string, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<boolean> {
    return this.write(() => {
      const owner = this.keyOwner(accountId, userName);
      return this.q('UPDATE access_keys SET status = ? WHERE access_key_id = ? AND account_id = ? AND principal_kind = ? AND principal_name = ?')
        .run(status, accessKeyId, accountId, owner.kind, owner.name).changes > 0;
    });
  }

  async deleteAccessKey(accountId: string, userName: string, accessKeyId: string): Promise<boolean> {
    return this.write(() => {
      const owner = this.keyOwner(accountId, userName);
      return this.q('DELETE FROM access_keys WHERE access_key_id = ? AND account_id = ? AND principal_kind = ? AND principal_name = ?')
        .run(accessKeyId, accountId, owner.kind, owner.name).changes > 0;
    });
  }

  // ---- OIDC providers

  async createOidcProvider(p: OidcProvider): Promise<void> {
    await this.write(() => {
      if (this.q('SELECT 1 FROM iam_oidc_providers WHERE arn = ?').get(p.arn)) throw new IamConflict('exists', p.url);
      this.q('INSERT INTO iam_oidc_providers (arn, account_id, url, client_ids, thumbprints, jwks, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(p.arn, p.accountId, p.url, JSON.stringify(p.clientIds), JSON.stringify(p.thumbprints), p.jwks ?? null, p.createDate.getTime());
      this.setTags(`oidc:${p.arn}`, p.tags, []);
    });
  }

  async getOidcProvider(arn: string): Promise<OidcProvider | undefined> {
    const r = this.q('SELECT * FROM iam_oidc_providers WHERE arn = ?').get(arn) as Row | undefined;
    return r ? oidcOf(r, this.tags) : undefined;
  }

  async listOidcProviders(accountId: string): Promise<OidcProvider[]> {
    return (this.q('SELECT * FROM iam_oidc_providers WHERE account_id = ? ORDER BY arn').all(accountId) as Row[]).map((r) => oidcOf(r, this.tags));
  }

  async updateOidcProvider(arn: string, changes: { clientIds?: string[]; thumbprints?: string[]; jwks?: string | null }): Promise<void> {
    await this.write(() => {
      const r = this.q('SELECT * FROM iam_oidc_providers WHERE arn = ?').get(arn) as Row | undefined;
      if (!r) throw new IamConflict('not-found', arn);
      this.q('UPDATE iam_oidc_providers SET client_ids = ?, thumbprints = ?, jwks = ? WHERE arn = ?').run(
        changes.clientIds ? JSON.stringify(changes.clientIds) : r.client_ids,
        changes.thumbprints ? JSON.stringify(changes.thumbprints) : r.thumbprints,
        changes.jwks === undefined ? r.jwks : changes.jwks, arn);
    });
  }

  async deleteOidcProvider(arn: string): Promise<boolean> {
    return this.write(() => {
      const gone = this.q('DELETE FROM iam_oidc_providers WHERE arn = ?').run(arn).changes > 0;
      if (gone) this.q('DELETE FROM iam_tags WHERE entity = ?').run(`oidc:${arn}`);
      return gone;
    });
  }

  // ---- IdentityReader: the policies that apply to a principal

  async managedPolicyDocument(arn: string): Promise<string | undefined> {
    const p = this.policyRow(arn);
    if (!p) return undefined;
    const r = this.q('SELECT document FROM iam_policy_versions WHERE policy_arn = ? AND version_no = ?').get(p.arn, Number((p.default_version as string).slice(1))) as Row | undefined;
    return r?.document as string | undefined;
  }

  private async gather(kind: EntityKind, accountId: string, name: string, into: LabeledPolicy[], seen: Set<string>): Promise<void> {
    for (const p of await this.inlinePolicies(kind, accountId, name)) into.push({ label: `${kind}/${name}/${p.policyName}`, document: p.document });
    for (const p of await this.attachedPolicies(kind, accountId, name)) {
      if (seen.has(p.arn)) continue;
      seen.add(p.arn);
      const document = await this.managedPolicyDocument(p.arn);
      if (document !== undefined) into.push({ label: p.arn, document });
    }
  }

  private async boundaryOf(arn: string | undefined): Promise<LabeledPolicy | undefined> {
    if (!arn) return undefined;
    const document = await this.managedPolicyDocument(arn);
    // A boundary whose policy is gone allows nothing: keep it, empty.
    return { label: arn, document: document ?? '{"Version":"2012-10-17","Statement":[]}' };
  }

  async userPolicies(accountId: string, userName: string): Promise<PrincipalPolicies | undefined> {
    const u = await this.getUser(accountId, userName);
    if (!u) return undefined;
    const identity: LabeledPolicy[] = [];
    const seen = new Set<string>();
    await this.gather('user', accountId, u.userName, identity, seen);
    for (const g of await this.groupsForUser(accountId, u.userName)) await this.gather('group', accountId, g.groupName, identity, seen);
    const out: PrincipalPolicies = { identity, tags: Object.fromEntries(u.tags) };
    const boundary = await this.boundaryOf(u.permissionsBoundaryArn);
    if (boundary) out.boundary = boundary;
    return out;
  }

  async groupPolicies(accountId: string, groupName: string): Promise<LabeledPolicy[]> {
    const into: LabeledPolicy[] = [];
    await this.gather('group', accountId, groupName, into, new Set());
    return into;
  }

  async rolePolicies(accountId: string, roleName: string): Promise<PrincipalPolicies | undefined> {
    const r = await this.getRole(accountId, roleName);
    if (!r) return undefined;
    const identity: LabeledPolicy[] = [];
    await this.gather('role', accountId, r.roleName, identity, new Set());
    const out: PrincipalPolicies = { identity, tags: Object.fromEntries(r.tags) };
    const boundary = await this.boundaryOf(r.permissionsBoundaryArn);
    if (boundary) out.boundary = boundary;
    return out;
  }
}
