import type Database from 'better-sqlite3';
import { migrate, type SqliteHandle } from './database.js';
import { FULL_AWS_ACCESS_ID, ORGANIZATIONS_MIGRATIONS } from './organizations-migrations.js';

export { FULL_AWS_ACCESS_ID, FULL_AWS_ACCESS_CONTENT } from './organizations-migrations.js';

export type FeatureSet = 'ALL' | 'CONSOLIDATED_BILLING';
export type JoinedMethod = 'INVITED' | 'CREATED';
export type CreateAccountState = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
export const SCP = 'SERVICE_CONTROL_POLICY';

export interface OrganizationRecord {
  id: string;
  featureSet: FeatureSet;
  managementAccountId: string;
  createdAt: number;
}

export interface OrgRootRecord {
  id: string;
  name: string;
  scpEnabled: boolean;
}

export interface OrgUnitRecord {
  id: string;
  parentId: string;
  name: string;
  createdAt: number;
}

export interface OrgMemberRecord {
  accountId: string;
  parentId: string;
  joinedMethod: JoinedMethod;
  joinedAt: number;
  status: 'ACTIVE' | 'SUSPENDED';
}

export interface CreateAccountRequestRecord {
  id: string;
  accountName: string;
  email: string;
  roleName: string;
  /** Chosen when the request is made, so a request interrupted by a restart completes with the same id. */
  accountId: string;
  state: CreateAccountState;
  requestedAt: number;
  completedAt?: number;
  failureReason?: string;
}

export interface OrgPolicyRecord {
  id: string;
  type: string;
  name: string;
  description: string;
  content: string;
  awsManaged: boolean;
  createdAt: number;
}

/** Faults a write found inside its transaction; the service turns them into AWS errors. */
export class OrgConflict extends Error {
  constructor(
    readonly reason: 'exists' | 'not-found' | 'duplicate-name' | 'attached' | 'in-use' | 'not-attached' | 'last-policy' | 'too-many' | 'not-empty' | 'same-parent',
    detail = '',
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/** At most this many SCPs may be attached to one root, OU or account (Organizations quotas). */
export const MAX_SCPS_PER_TARGET = 5;

type Row = Record<string, string | number | null>;

const orgOf = (r: Row): OrganizationRecord => ({
  id: r.id as string, featureSet: r.feature_set as FeatureSet, managementAccountId: r.management_account_id as string, createdAt: r.created_at as number,
});
const rootOf = (r: Row): OrgRootRecord => ({ id: r.id as string, name: r.name as string, scpEnabled: r.scp_enabled === 1 });
const unitOf = (r: Row): OrgUnitRecord => ({ id: r.id as string, parentId: r.parent_id as string, name: r.name as string, createdAt: r.created_at as number });
const memberOf = (r: Row): OrgMemberRecord => ({
  accountId: r.account_id as string, parentId: r.parent_id as string, joinedMethod: r.joined_method as JoinedMethod,
  joinedAt: r.joined_at as number, status: r.status as OrgMemberRecord['status'],
});
const requestOf = (r: Row): CreateAccountRequestRecord => {
  const out: CreateAccountRequestRecord = {
    id: r.id as string, accountName: r.account_name as string, email: r.email as string, roleName: r.role_name as string,
    accountId: r.account_id as string, state: r.state as CreateAccountState, requestedAt: r.requested_at as number,
  };
  if (r.completed_at !== null) out.completedAt = r.completed_at as number;
  if (r.failure_reason !== null) out.failureReason = r.failure_reason as string;
  return out;
};
const policyOf = (r: Row): OrgPolicyRecord => ({
  id: r.id as string, type: r.type as string, name: r.name as string, description: r.description as string,
  content: r.content as string, awsManaged: r.aws_managed === 1, createdAt: r.created_at as number,
});

/**
 * The embedded Organizations store on the shared SQLite handle. Reads are direct; every
 * write goes through group commit and checks its rules inside its own transaction.
 */
export class SqliteOrganizationsStore {
  private constructor(private readonly handle: SqliteHandle) {}

  static open(handle: SqliteHandle): SqliteOrganizationsStore {
    migrate(handle, 'organizations', ORGANIZATIONS_MIGRATIONS);
    return new SqliteOrganizationsStore(handle);
  }

  private q(sql: string): Database.Statement {
    return this.handle.statement(sql);
  }

  /** Changes whenever a write runs or settles: readers cache derived answers against it. */
  generation = 0;

  private write<T>(fn: () => T): Promise<T> {
    const settled = this.handle.writes.run(() => {
      try {
        return fn();
      } finally {
        this.generation++;
      }
    });
    settled.then(() => { this.generation++; }, () => { this.generation++; });
    return settled;
  }

  // ---- the organization and its root

  organization(): OrganizationRecord | undefined {
    const r = this.q('SELECT * FROM org_organization LIMIT 1').get() as Row | undefined;
    return r ? orgOf(r) : undefined;
  }

  root(): OrgRootRecord | undefined {
    const r = this.q('SELECT * FROM org_roots LIMIT 1').get() as Row | undefined;
    return r ? rootOf(r) : undefined;
  }

  /** The organization, its root and the management account under it; OrgConflict('exists') if there is one. */
  async createOrganization(org: OrganizationRecord, root: OrgRootRecord, joinedAt: number): Promise<void> {
    await this.write(() => {
      if (this.organization()) throw new OrgConflict('exists');
      this.q('INSERT INTO org_organization (id, feature_set, management_account_id, created_at) VALUES (?, ?, ?, ?)')
        .run(org.id, org.featureSet, org.managementAccountId, org.createdAt);
      this.q('INSERT INTO org_roots (id, name, scp_enabled) VALUES (?, ?, ?)').run(root.id, root.name, root.scpEnabled ? 1 : 0);
      if (root.scpEnabled) this.attachDefault(root.id);
      this.insertMember({ accountId: org.managementAccountId, parentId: root.id, joinedMethod: 'INVITED', joinedAt, status: 'ACTIVE' });
    });
  }

  private scpEnabled(): boolean {
    return this.root()?.scpEnabled ?? false;
  }

  /** AWS attaches FullAWSAccess to every new root, OU and account while SCPs are enabled. */
  private attachDefault(targetId: string): void {
    this.q(`INSERT OR IGNORE INTO org_attachments (policy_id, target_id, seq)
            VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM org_attachments))`).run(FULL_AWS_ACCESS_ID, targetId);
  }

  /** Enables or disables SCPs on the root: disabling detaches every SCP, enabling attaches FullAWSAccess everywhere. */
  async setScpEnabled(rootId: string, enabled: boolean): Promise<void> {
    await this.write(() => {
      const root = this.root();
      if (!root || root.id !== rootId) throw new OrgConflict('not-found', rootId);
      if (root.scpEnabled === enabled) throw new OrgConflict('exists', rootId);
      this.q('UPDATE org_roots SET scp_enabled = ? WHERE id = ?').run(enabled ? 1 : 0, rootId);
      if (!enabled) {
        this.q(`DELETE FROM org_attachments WHERE policy_id IN (SELECT id FROM org_policies WHERE type = '${SCP}')`).run();
        return;
      }
      this.attachDefault(rootId);
      for (const u of this.q('SELECT id FROM org_units ORDER BY created_at, id').all() as Row[]) this.attachDefault(u.id as string);
      for (const m of this.q('SELECT account_id FROM org_members ORDER BY joined_at, account_id').all() as Row[]) this.attachDefault(m.account_id as string);
    });
  }

  // ---- members

  private insertMember(m: OrgMemberRecord): boolean {
    if (this.q('SELECT 1 FROM org_members WHERE account_id = ?').get(m.accountId)) return false;
    this.q('INSERT INTO org_members (account_id, parent_id, joined_method, joined_at, status) VALUES (?, ?, ?, ?, ?)')
      .run(m.accountId, m.parentId, m.joinedMethod, m.joinedAt, m.status);
    if (this.scpEnabled()) this.attachDefault(m.accountId);
    return true;
  }

  /** Adds an account to the organization (idempotent: false when it already was a member). */
  async addMember(m: OrgMemberRecord): Promise<boolean> {
    return this.write(() => this.insertMember(m));
  }

  member(accountId: string): OrgMemberRecord | undefined {
    const r = this.q('SELECT * FROM org_members WHERE account_id = ?').get(accountId) as Row | undefined;
    return r ? memberOf(r) : undefined;
  }

  /** Members in the order they joined. */
  members(parentId?: string): OrgMemberRecord[] {
    const rows = parentId === undefined
      ? this.q('SELECT * FROM org_members ORDER BY joined_at, account_id').all()
      : this.q('SELECT * FROM org_members WHERE parent_id = ? ORDER BY joined_at, account_id').all(parentId);
    return (rows as Row[]).map(memberOf);
  }

  async moveAccount(accountId: string, sourceParentId: string, destinationParentId: string): Promise<void> {
    await this.write(() => {
      const m = this.member(accountId);
      if (!m) throw new OrgConflict('not-found', accountId);
      if (m.parentId !== sourceParentId) throw new OrgConflict('not-attached', sourceParentId);
      if (m.parentId === destinationParentId) throw new OrgConflict('same-parent', destinationParentId);
      this.q('UPDATE org_members SET parent_id = ? WHERE account_id = ?').run(destinationParentId, accountId);
    });
  }

  // ---- organizational units

  unit(id: string): OrgUnitRecord | undefined {
    const r = this.q('SELECT * FROM org_units WHERE id = ?').get(id) as Row | undefined;
    return r ? unitOf(r) : undefined;
  }

  units(parentId: string): OrgUnitRecord[] {
    return (this.q('SELECT * FROM org_units WHERE parent_id = ? ORDER BY created_at, id').all(parentId) as Row[]).map(unitOf);
  }

  async createUnit(u: OrgUnitRecord): Promise<void> {
    await this.write(() => {
      if (this.q('SELECT 1 FROM org_units WHERE parent_id = ? AND name = ?').get(u.parentId, u.name)) throw new OrgConflict('duplicate-name', u.name);
      this.q('INSERT INTO org_units (id, parent_id, name, created_at) VALUES (?, ?, ?, ?)').run(u.id, u.parentId, u.name, u.createdAt);
      if (this.scpEnabled()) this.attachDefault(u.id);
    });
  }

  async renameUnit(id: string, name: string): Promise<void> {
    await this.write(() => {
      const u = this.unit(id);
      if (!u) throw new OrgConflict('not-found', id);
      if (this.q('SELECT 1 FROM org_units WHERE parent_id = ? AND name = ? AND id <> ?').get(u.parentId, name, id)) throw new OrgConflict('duplicate-name', name);
      this.q('UPDATE org_units SET name = ? WHERE id = ?').run(name, id);
    });
  }

  async deleteUnit(id: string): Promise<void> {
    await this.write(() => {
      if (!this.unit(id)) throw new OrgConflict('not-found', id);
      if (this.q('SELECT 1 FROM org_units WHERE parent_id = ?').get(id) || this.q('SELECT 1 FROM org_members WHERE parent_id = ?').get(id)) {
        throw new OrgConflict('not-empty', id);
      }
      this.q('DELETE FROM org_attachments WHERE target_id = ?').run(id);
      this.q('DELETE FROM org_units WHERE id = ?').run(id);
    });
  }

  // ---- create-account requests

  async insertCreateAccountRequest(r: CreateAccountRequestRecord): Promise<void> {
    await this.write(() => {
      if (this.q('SELECT 1 FROM org_create_account_requests WHERE account_id = ?').get(r.accountId)) throw new OrgConflict('exists', r.accountId);
      this.q(`INSERT INTO org_create_account_requests (id, account_name, email, role_name, account_id, state, requested_at)
              VALUES (?, ?, ?, ?, ?, ?, ?)`).run(r.id, r.accountName, r.email, r.roleName, r.accountId, r.state, r.requestedAt);
    });
  }

  createAccountRequest(id: string): CreateAccountRequestRecord | undefined {
    const r = this.q('SELECT * FROM org_create_account_requests WHERE id = ?').get(id) as Row | undefined;
    return r ? requestOf(r) : undefined;
  }

  /** Newest first, as ListCreateAccountStatus answers. */
  createAccountRequests(): CreateAccountRequestRecord[] {
    return (this.q('SELECT * FROM org_create_account_requests ORDER BY requested_at DESC, id').all() as Row[]).map(requestOf);
  }

  /** Is this account id taken by any request (pending ones included)? */
  accountIdRequested(accountId: string): boolean {
    return this.q('SELECT 1 FROM org_create_account_requests WHERE account_id = ?').get(accountId) !== undefined;
  }

  /** Marks the request SUCCEEDED and adds the account under the root, in one transaction. */
  async succeedCreateAccount(id: string, completedAt: number): Promise<void> {
    await this.write(() => {
      const r = this.createAccountRequest(id);
      const root = this.root();
      if (!r || !root) throw new OrgConflict('not-found', id);
      if (r.state !== 'IN_PROGRESS') return;
      this.insertMember({ accountId: r.accountId, parentId: root.id, joinedMethod: 'CREATED', joinedAt: completedAt, status: 'ACTIVE' });
      this.q("UPDATE org_create_account_requests SET state = 'SUCCEEDED', completed_at = ? WHERE id = ?").run(completedAt, id);
    });
  }

  async failCreateAccount(id: string, reason: string, completedAt: number): Promise<void> {
    await this.write(() => {
      this.q("UPDATE org_create_account_requests SET state = 'FAILED', failure_reason = ?, completed_at = ? WHERE id = ? AND state = 'IN_PROGRESS'")
        .run(reason, completedAt, id);
    });
  }

  // ---- policies

  policy(id: string): OrgPolicyRecord | undefined {
    const r = this.q('SELECT * FROM org_policies WHERE id = ?').get(id) as Row | undefined;
    return r ? policyOf(r) : undefined;
  }

  /** AWS-managed first, then by name. */
  policies(type: string): OrgPolicyRecord[] {
    return (this.q('SELECT * FROM org_policies WHERE type = ? ORDER BY aws_managed DESC, name, id').all(type) as Row[]).map(policyOf);
  }

  async createPolicy(p: OrgPolicyRecord): Promise<void> {
    await this.write(() => {
      if (this.q('SELECT 1 FROM org_policies WHERE type = ? AND name = ?').get(p.type, p.name)) throw new OrgConflict('duplicate-name', p.name);
      this.q('INSERT INTO org_policies (id, type, name, description, content, aws_managed, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)')
        .run(p.id, p.type, p.name, p.description, p.content, p.createdAt);
    });
  }

  async updatePolicy(id: string, changes: { name?: string; description?: string; content?: string }): Promise<OrgPolicyRecord> {
    return this.write(() => {
      const p = this.policy(id);
      if (!p) throw new OrgConflict('not-found', id);
      if (changes.name !== undefined && changes.name !== p.name && this.q('SELECT 1 FROM org_policies WHERE type = ? AND name = ?').get(p.type, changes.name)) {
        throw new OrgConflict('duplicate-name', changes.name);
      }
      const next = { ...p, ...changes };
      this.q('UPDATE org_policies SET name = ?, description = ?, content = ? WHERE id = ?').run(next.name, next.description, next.content, id);
      return next;
    });
  }

  async deletePolicy(id: string): Promise<void> {
    await this.write(() => {
      if (!this.policy(id)) throw new OrgConflict('not-found', id);
      if (this.q('SELECT 1 FROM org_attachments WHERE policy_id = ?').get(id)) throw new OrgConflict('in-use', id);
      this.q('DELETE FROM org_policies WHERE id = ?').run(id);
    });
  }

  // ---- attachments

  async attach(policyId: string, targetId: string): Promise<void> {
    await this.write(() => {
      const p = this.policy(policyId);
      if (!p) throw new OrgConflict('not-found', policyId);
      if (this.q('SELECT 1 FROM org_attachments WHERE policy_id = ? AND target_id = ?').get(policyId, targetId)) throw new OrgConflict('attached', policyId);
      if (this.policiesFor(targetId, p.type).length >= MAX_SCPS_PER_TARGET) throw new OrgConflict('too-many', targetId);
      this.q(`INSERT INTO org_attachments (policy_id, target_id, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM org_attachments))`)
        .run(policyId, targetId);
    });
  }

  /** OrgConflict('last-policy') when it is the target's last SCP (every target keeps one while SCPs are enabled). */
  async detach(policyId: string, targetId: string): Promise<void> {
    await this.write(() => {
      const p = this.policy(policyId);
      if (!p) throw new OrgConflict('not-found', policyId);
      if (!this.q('SELECT 1 FROM org_attachments WHERE policy_id = ? AND target_id = ?').get(policyId, targetId)) throw new OrgConflict('not-attached', policyId);
      if (this.policiesFor(targetId, p.type).length <= 1) throw new OrgConflict('last-policy', targetId);
      this.q('DELETE FROM org_attachments WHERE policy_id = ? AND target_id = ?').run(policyId, targetId);
    });
  }

  /** Policies of one type attached to a target, in the order they were attached. */
  policiesFor(targetId: string, type: string): OrgPolicyRecord[] {
    return (this.q(`SELECT p.* FROM org_attachments a JOIN org_policies p ON p.id = a.policy_id
                    WHERE a.target_id = ? AND p.type = ? ORDER BY a.seq`).all(targetId, type) as Row[]).map(policyOf);
  }

  targetsFor(policyId: string): string[] {
    return (this.q('SELECT target_id FROM org_attachments WHERE policy_id = ? ORDER BY seq').all(policyId) as Row[]).map((r) => r.target_id as string);
  }
}
