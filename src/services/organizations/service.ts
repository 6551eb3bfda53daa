// The Organizations service: Coffer's one organization, managed by the management account
// (DESIGN §5). Operations call it after authorization; it applies AWS's own rules (only the
// management account may manage the organization, every target keeps one SCP, …).
import type { Logger } from 'pino';
import type { Principal } from '../../auth/principal.js';
import type { LabeledPolicy } from '../../store/meta/iam-types.js';
import { organizationsError } from '../../errors/organizations.js';
import type { BaseServiceContext } from '../../server/service-operation.js';
import type { MetadataStore } from '../../store/meta/types.js';
import {
  SCP, type FeatureSet, type OrganizationRecord, type OrgMemberRecord, type OrgPolicyRecord, type OrgRootRecord, type SqliteOrganizationsStore,
} from '../../store/meta/sqlite/organizations-store.js';
import { AccountCreation } from './account-creation.js';
import { accountArn, organizationArn, ouArn, policyArn, rootArn } from './arns.js';
import type { OrgIds } from './ids.js';
import { epochSeconds } from './input.js';
import type { MemberAccountRole } from './member-role.js';

export interface OrganizationsDeps {
  store: SqliteOrganizationsStore;
  meta: MetadataStore;
  managementAccountId: string;
  clock: () => Date;
  ids: OrgIds;
  logger: Logger;
  /** Creates `OrganizationAccountAccessRole` in a new member account (through IAM's store). */
  memberRole: MemberAccountRole;
}

export interface OrgContext extends BaseServiceContext {
  orgs: OrganizationsService;
}

export type TargetType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

export interface ResolvedTarget {
  id: string;
  type: TargetType;
  name: string;
  arn: string;
}

export class OrganizationsService {
  readonly store: SqliteOrganizationsStore;
  readonly meta: MetadataStore;
  readonly managementAccountId: string;
  readonly ids: OrgIds;
  readonly logger: Logger;
  readonly memberRole: MemberAccountRole;
  private readonly clock: () => Date;
  /** Completes CreateAccount requests in the background. */
  readonly creation: AccountCreation = new AccountCreation(this);

  constructor(deps: OrganizationsDeps) {
    this.store = deps.store;
    this.meta = deps.meta;
    this.managementAccountId = deps.managementAccountId;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.logger = deps.logger;
    this.memberRole = deps.memberRole;
  }

  now(): number {
    return this.clock().getTime();
  }

  // ---- who may call

  /** Any account of the organization (DescribeOrganization). */
  requireMember(principal: Principal): OrganizationRecord {
    const org = this.store.organization();
    if (!org || !this.store.member(principal.accountId)) throw organizationsError('AWSOrganizationsNotInUseException');
    return org;
  }

  /** "This operation can be called only from the organization's management account." */
  requireManagement(principal: Principal): OrganizationRecord {
    const org = this.requireMember(principal);
    if (principal.accountId !== org.managementAccountId) throw organizationsError('AccessDeniedException');
    return org;
  }

  /** The organization for building resource ARNs before authorization (undefined before CreateOrganization). */
  orgForArns(): { mgmt: string; orgId: string } | undefined {
    const org = this.store.organization();
    return org ? { mgmt: org.managementAccountId, orgId: org.id } : undefined;
  }

  // ---- the organization

  /**
   * Creates the organization with the management account as its first member and SCPs
   * enabled on the root (FullAWSAccess attached to the root and the management account).
   */
  async createOrganization(featureSet: FeatureSet = 'ALL'): Promise<OrganizationRecord> {
    const now = this.now();
    const org: OrganizationRecord = { id: this.ids.organizationId(), featureSet, managementAccountId: this.managementAccountId, createdAt: now };
    const root: OrgRootRecord = { id: this.ids.rootId(), name: 'Root', scpEnabled: featureSet === 'ALL' };
    await this.store.createOrganization(org, root, now);
    return org;
  }

  /** The organization, created on first need (bootstrap accounts join it). */
  async ensureOrganization(): Promise<OrganizationRecord> {
    const existing = this.store.organization();
    if (existing) return existing;
    try {
      return await this.createOrganization('ALL');
    } catch (e) {
      const org = this.store.organization();
      if (org) return org;
      throw e;
    }
  }

  /** Adds an existing Coffer account to the organization, under the root (idempotent). */
  async join(accountId: string): Promise<void> {
    const root = this.store.root();
    if (!root) throw new Error('no organization root');
    await this.store.addMember({ accountId, parentId: root.id, joinedMethod: 'INVITED', joinedAt: this.now(), status: 'ACTIVE' });
  }

  async organizationShape(org: OrganizationRecord): Promise<Record<string, unknown>> {
    const email = (await this.meta.getAccount(org.managementAccountId))?.email ?? `${org.managementAccountId}@coffer.invalid`;
    return {
      Id: org.id,
      Arn: organizationArn(org.managementAccountId, org.id),
      FeatureSet: org.featureSet,
      MasterAccountArn: accountArn(org.managementAccountId, org.id, org.managementAccountId),
      MasterAccountId: org.managementAccountId,
      MasterAccountEmail: email,
      AvailablePolicyTypes: org.featureSet === 'ALL' ? [{ Type: SCP, Status: 'ENABLED' }] : [],
    };
  }

  rootShape(org: OrganizationRecord, root: OrgRootRecord): Record<string, unknown> {
    return {
      Id: root.id,
      Arn: rootArn(org.managementAccountId, org.id, root.id),
      Name: root.name,
      PolicyTypes: root.scpEnabled ? [{ Type: SCP, Status: 'ENABLED' }] : [],
    };
  }

  async accountShape(org: OrganizationRecord, m: OrgMemberRecord): Promise<Record<string, unknown>> {
    const a = await this.meta.getAccount(m.accountId);
    return {
      Id: m.accountId,
      Arn: accountArn(org.managementAccountId, org.id, m.accountId),
      Email: a?.email ?? `${m.accountId}@coffer.invalid`,
      Name: a?.name ?? m.accountId,
      Status: m.status,
      JoinedMethod: m.joinedMethod,
      JoinedTimestamp: epochSeconds(m.joinedAt),
    };
  }

  policySummary(org: OrganizationRecord, p: OrgPolicyRecord): Record<string, unknown> {
    return {
      Id: p.id,
      Arn: policyArn(org.managementAccountId, org.id, p),
      Name: p.name,
      Description: p.description,
      Type: p.type,
      AwsManaged: p.awsManaged,
    };
  }

  // ---- targets (roots, OUs, accounts)

  /** A root, OU or member account by id, or undefined. */
  async target(org: OrganizationRecord, id: string): Promise<ResolvedTarget | undefined> {
    const mgmt = org.managementAccountId;
    if (id.startsWith('r-')) {
      const root = this.store.root();
      return root && root.id === id ? { id, type: 'ROOT', name: root.name, arn: rootArn(mgmt, org.id, id) } : undefined;
    }
    if (id.startsWith('ou-')) {
      const u = this.store.unit(id);
      return u ? { id, type: 'ORGANIZATIONAL_UNIT', name: u.name, arn: ouArn(mgmt, org.id, id) } : undefined;
    }
    if (!this.store.member(id)) return undefined;
    const a = await this.meta.getAccount(id);
    return { id, type: 'ACCOUNT', name: a?.name ?? id, arn: accountArn(mgmt, org.id, id) };
  }

  /** The ARN a target id names, for authorization (before the target is known to exist). */
  targetArn(id: string): string {
    const o = this.orgForArns();
    if (!o) return '*';
    if (id.startsWith('r-')) return rootArn(o.mgmt, o.orgId, id);
    if (id.startsWith('ou-')) return ouArn(o.mgmt, o.orgId, id);
    return accountArn(o.mgmt, o.orgId, id);
  }

  /** Is `id` a root or an OU of the organization? */
  parentExists(id: string): boolean {
    if (id.startsWith('r-')) return this.store.root()?.id === id;
    return this.store.unit(id) !== undefined;
  }

  parentType(id: string): 'ROOT' | 'ORGANIZATIONAL_UNIT' {
    return id.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
  }

  /** The ids from the root down to `parentId` (a root or an OU): the levels above whatever it contains. */
  pathTo(parentId: string): string[] {
    const path: string[] = [];
    let cur: string | undefined = parentId;
    for (let guard = 0; cur && guard < 16; guard++) {
      path.unshift(cur);
      if (cur.startsWith('r-')) break;
      cur = this.store.unit(cur)?.parentId;
    }
    return path;
  }

  // ---- what authorization reads

  /** The SCPs of each level of the account's path: root, each OU down, the account itself. */
  scpsFor(accountId: string): LabeledPolicy[][] | undefined {
    const org = this.store.organization();
    if (!org || accountId === org.managementAccountId || org.featureSet !== 'ALL') return undefined;
    const m = this.store.member(accountId);
    if (!m || !this.store.root()?.scpEnabled) return undefined;
    const levels = [...this.pathTo(m.parentId), accountId];
    return levels.map((target) => this.store.policiesFor(target, SCP).map((p) => ({
      label: `${policyArn(org.managementAccountId, org.id, p)} (attached to ${target})`,
      document: p.content,
    })));
  }

  orgIdOf(accountId: string): string | undefined {
    const org = this.store.organization();
    return org && this.store.member(accountId) ? org.id : undefined;
  }
}
