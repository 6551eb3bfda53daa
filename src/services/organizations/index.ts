// Organizations for the composition root: the service, its JSON 1.1 spec, and the read side
// authorization uses (SCPs per level of an account's path, the organization id).
import type { OrganizationReader } from '../../authz/policy-authorizer.js';
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import type { App } from '../../server/app.js';
import type { JsonServiceSpec } from '../../server/json-handler.js';
import type { IamStore, LabeledPolicy } from '../../store/meta/iam-types.js';
import { SqliteIamStore } from '../../store/meta/sqlite/iam-store.js';
import { SqliteOrganizationsStore } from '../../store/meta/sqlite/organizations-store.js';
import { AWS_MANAGED_POLICIES } from '../iam/aws-managed-policies.js';
import { orgIds } from './ids.js';
import { iamMemberRole } from './member-role.js';
import { ORGANIZATIONS_OPERATION_NAMES } from './operation-names.js';
import { ORGANIZATIONS_OPERATIONS } from './operations.js';
import { OrganizationsService, type OrgContext } from './service.js';

export { OrganizationsService } from './service.js';
export type { OrgContext } from './service.js';

export interface OrganizationsOptions {
  random?: RandomSource;
  /** IAM's writable store, for the member accounts' OrganizationAccountAccessRole. */
  iamStore?: () => IamStore;
}

/** The Organizations API of one App; also its OrganizationReader (`app.organizations`). */
export class OrganizationsApi implements OrganizationReader {
  /** Every request asks for its account's SCPs: answers are kept until the store next writes. */
  private cacheGeneration = -1;
  private readonly scpCache = new Map<string, LabeledPolicy[][] | undefined>();
  private readonly orgIdCache = new Map<string, string | undefined>();

  constructor(readonly service: OrganizationsService, readonly spec: JsonServiceSpec<OrgContext>) {}

  private fresh(): void {
    const g = this.service.store.generation;
    if (g !== this.cacheGeneration) {
      this.scpCache.clear();
      this.orgIdCache.clear();
      this.cacheGeneration = g;
    }
  }

  async scpsFor(accountId: string): Promise<LabeledPolicy[][] | undefined> {
    this.fresh();
    if (!this.scpCache.has(accountId)) this.scpCache.set(accountId, this.service.scpsFor(accountId));
    return this.scpCache.get(accountId);
  }

  async orgIdOf(accountId: string): Promise<string | undefined> {
    this.fresh();
    if (!this.orgIdCache.has(accountId)) this.orgIdCache.set(accountId, this.service.orgIdOf(accountId));
    return this.orgIdCache.get(accountId);
  }

  /** Bootstrap-file accounts join the management account's organization, created if need be. */
  async joinAccounts(accountIds: readonly string[]): Promise<void> {
    const members = accountIds.filter((id) => id !== this.service.managementAccountId);
    if (members.length === 0) return;
    await this.service.ensureOrganization();
    for (const id of members) await this.service.join(id);
  }

  /** Resolves once the CreateAccount requests made so far have completed. */
  idle(): Promise<void> {
    return this.service.creation.idle();
  }

  /** Before the store closes: lets a running CreateAccount finish; queued ones resume at the next start. */
  close(): Promise<void> {
    return this.service.creation.close();
  }
}

/** IAM's store as the IAM service wires it (`app.iam`), or one opened on the shared handle. */
function iamStoreOf(app: App): () => IamStore {
  let own: IamStore | undefined;
  return () => {
    const wired = app.iam as Partial<IamStore> | undefined;
    if (wired && typeof wired.createRole === 'function' && typeof wired.attachPolicy === 'function') return wired as IamStore;
    own ??= SqliteIamStore.open(app.sqlite, { awsManagedPolicies: AWS_MANAGED_POLICIES });
    return own;
  };
}

export function createOrganizations(app: App, opts: OrganizationsOptions = {}): OrganizationsApi {
  const store = SqliteOrganizationsStore.open(app.sqlite);
  const service = new OrganizationsService({
    store,
    meta: app.meta,
    managementAccountId: app.config.accountId,
    clock: app.clock,
    ids: orgIds(opts.random ?? systemRandom),
    logger: app.logger,
    memberRole: iamMemberRole(opts.iamStore ?? iamStoreOf(app)),
  });
  service.creation.resume();
  return new OrganizationsApi(service, {
    targetPrefix: 'AWSOrganizationsV20161128',
    allOperations: new Set<string>(ORGANIZATIONS_OPERATION_NAMES),
    operations: ORGANIZATIONS_OPERATIONS,
    context: (principal, rc): OrgContext => ({ principal, requestId: rc.requestId, now: app.clock, region: app.config.region, orgs: service }),
  });
}

/** Bootstrap: the accounts of the file join the organization (a no-op before Organizations is wired). */
export async function joinOrganization(app: App, accountIds: readonly string[]): Promise<void> {
  if (app.organizations instanceof OrganizationsApi) await app.organizations.joinAccounts(accountIds);
}
