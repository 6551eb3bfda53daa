import type { AccessKeyUse, MetadataStore } from '../store/meta/types.js';

/**
 * When and where each access key was last used, noted in memory on every authenticated
 * request and written in one batch every few seconds (a write per request would cost more
 * than the request). IAM's GetAccessKeyLastUsed reads what was written; AWS itself reports
 * it with a delay.
 */
export class KeyUsageTracker {
  private pending = new Map<string, AccessKeyUse>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly meta: MetadataStore, intervalMs = 5_000) {
    this.timer = setInterval(() => { void this.flush(); }, intervalMs);
    this.timer.unref();
  }

  note(accessKeyId: string, at: Date, service: string, region: string): void {
    this.pending.set(accessKeyId, { accessKeyId, at, service, region });
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const uses = [...this.pending.values()];
    this.pending = new Map();
    await this.meta.recordAccessKeyUse(uses).catch(() => {
      // Usage is advisory: a failed batch is dropped, never retried into a request's path.
    });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
