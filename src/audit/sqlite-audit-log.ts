import Database from 'better-sqlite3';
import type { AuditLog, DecisionRecord } from './audit-log.js';
import { ensurePrivateFile } from '../store/private-file.js';

/**
 * Audit records in their own SQLite file. They are diagnostics, not acknowledged writes:
 * NORMAL sync (no fsync per commit) and batched inserts keep them off the hot path.
 * The table is trimmed to the newest `maxRows` records.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;
  private pending: DecisionRecord[] = [];
  private scheduled = false;
  private inserted = 0;
  private readonly insert;

  constructor(path: string, private readonly maxRows = 1_000_000) {
    ensurePrivateFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS decisions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id TEXT NOT NULL, time INTEGER NOT NULL, principal_arn TEXT NOT NULL, operation TEXT NOT NULL,
      action TEXT NOT NULL, resource TEXT NOT NULL, result TEXT NOT NULL, reason TEXT NOT NULL, message TEXT, decision TEXT)`);
    this.db.exec('CREATE INDEX IF NOT EXISTS decisions_by_request ON decisions (request_id)');
    this.insert = this.db.prepare(`INSERT INTO decisions (request_id, time, principal_arn, operation, action, resource, result, reason, message, decision)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  record(r: DecisionRecord): void {
    this.pending.push(r);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!this.db.open) return;
    this.db.transaction(() => {
      for (const r of batch) {
        this.insert.run(r.requestId, r.time.getTime(), r.principalArn, r.operation, r.action, r.resource, r.result, r.reason,
          r.message ?? null, r.decision === undefined ? null : JSON.stringify(r.decision));
      }
    })();
    this.inserted += batch.length;
    if (this.inserted > 10_000) {
      this.inserted = 0;
      this.db.prepare('DELETE FROM decisions WHERE id <= (SELECT MAX(id) FROM decisions) - ?').run(this.maxRows);
    }
  }

  async byRequestId(requestId: string): Promise<DecisionRecord[]> {
    this.flush();
    const rows = this.db.prepare('SELECT * FROM decisions WHERE request_id = ? ORDER BY id').all(requestId) as Array<Record<string, string | number | null>>;
    return rows.map((r) => {
      const rec: DecisionRecord = {
        requestId: r.request_id as string,
        time: new Date(r.time as number),
        principalArn: r.principal_arn as string,
        operation: r.operation as string,
        action: r.action as string,
        resource: r.resource as string,
        result: r.result as DecisionRecord['result'],
        reason: r.reason as string,
      };
      if (r.message) rec.message = r.message as string;
      if (r.decision) rec.decision = JSON.parse(r.decision as string);
      return rec;
    });
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }
}
