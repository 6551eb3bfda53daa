import type Database from 'better-sqlite3';

interface Pending {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Runs the writes that arrive in one turn of the event loop in one transaction, each under
 * its own savepoint, so that one commit (one fsync of the WAL) acknowledges them all. A
 * write's promise settles only after that commit: nothing is acknowledged before it is
 * durable.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /**
   * Counts batches run: a cached read taken at generation g is current while no batch has
   * run since (writes happen only through this queue).
   */
  generation = 0;

  constructor(private readonly db: Database.Database) {}

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    this.generation++;
    const results: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const p of batch) {
        this.db.exec('SAVEPOINT w');
        try {
          results.push({ ok: true, value: p.fn() });
          this.db.exec('RELEASE w');
        } catch (e) {
          this.db.exec('ROLLBACK TO w');
          this.db.exec('RELEASE w');
          results.push({ ok: false, value: e });
        }
      }
      this.db.exec('COMMIT');
      this.generation++;
    } catch (e) {
      this.generation++;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.resolve(r.value);
      else p.reject(r.value);
    });
  }
}
