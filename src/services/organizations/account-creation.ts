// CreateAccount is asynchronous in AWS: the request is recorded IN_PROGRESS and answered at
// once; the account (its record, its root, OrganizationAccountAccessRole) is made in the
// background, and DescribeCreateAccountStatus reports SUCCEEDED (or FAILED with a reason).
// Completions run one after another, so two requests cannot both take one email address;
// requests a restart interrupted are completed at the next start.
import type { CreateAccountRequestRecord } from '../../store/meta/sqlite/organizations-store.js';
import { epochSeconds } from './input.js';
import type { OrganizationsService } from './service.js';

export class AccountCreation {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly orgs: OrganizationsService) {}

  /** Queues the completion of one request; `idle()` resolves once every queued one is done. */
  schedule(requestId: string): void {
    this.queue = this.queue.then(() => (this.closed ? undefined : this.complete(requestId)));
  }

  idle(): Promise<void> {
    return this.queue;
  }

  /** Stops starting new completions (the store is about to close); the rest finish at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  /** Requests left IN_PROGRESS by a restart. */
  resume(): void {
    for (const r of this.orgs.store.createAccountRequests()) if (r.state === 'IN_PROGRESS') this.schedule(r.id);
  }

  private async complete(requestId: string): Promise<void> {
    const { orgs } = this;
    const r = orgs.store.createAccountRequest(requestId);
    if (!r || r.state !== 'IN_PROGRESS') return;
    try {
      const email = r.email.toLowerCase();
      const taken = (await orgs.meta.listAccounts()).some((a) => a.id !== r.accountId && a.email.toLowerCase() === email);
      if (taken) {
        await orgs.store.failCreateAccount(r.id, 'EMAIL_ALREADY_EXISTS', orgs.now());
        return;
      }
      const now = new Date(orgs.now());
      if (!(await orgs.meta.getAccount(r.accountId))) {
        await orgs.meta.putAccount({ id: r.accountId, name: r.accountName, email: r.email, createdAt: now, isManagement: false });
      }
      await orgs.memberRole.create(r.accountId, r.roleName, orgs.managementAccountId, now);
      await orgs.store.succeedCreateAccount(r.id, orgs.now());
    } catch (err) {
      orgs.logger.error({ err, createAccountRequestId: r.id }, 'CreateAccount failed');
      try {
        await orgs.store.failCreateAccount(r.id, 'INTERNAL_FAILURE', orgs.now());
      } catch {
        // The store is closing; the request stays IN_PROGRESS and resumes at the next start.
      }
    }
  }
}

export function createAccountStatus(r: CreateAccountRequestRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { Id: r.id, AccountName: r.accountName, State: r.state, RequestedTimestamp: epochSeconds(r.requestedAt) };
  if (r.completedAt !== undefined) out['CompletedTimestamp'] = epochSeconds(r.completedAt);
  if (r.state === 'SUCCEEDED') out['AccountId'] = r.accountId;
  if (r.failureReason) out['FailureReason'] = r.failureReason;
  return out;
}
