import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';
import { ensurePrivateFile } from '../../private-file.js';

/**
 * One SQLite file shared by every store of the embedded default (S3, IAM, KMS, ...): one
 * connection, one group-commit queue, and a schema version per component so each store
 * owns its own numbered migrations.
 */
/** Seals secret columns (access-key secrets) at rest; the identity codec for tests. */
export interface SecretCodec {
  seal(id: string, plaintext: string): string;
  open(id: string, stored: string): string;
}

export const PLAINTEXT_SECRETS: SecretCodec = { seal: (_id, p) => p, open: (_id, s) => s };

export interface SqliteHandle {
  db: Database.Database;
  writes: GroupCommit;
  secrets: SecretCodec;
  /** A prepared statement, prepared once per distinct SQL text. */
  statement(sql: string): Database.Statement;
  close(): void;
}

export function openSqlite(path: string, secrets: SecretCodec = PLAINTEXT_SECRETS): SqliteHandle {
  ensurePrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL in WAL mode syncs the log at every commit: an acknowledged write survives a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const statements = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  return { db, writes: new GroupCommit(db), secrets, statement, close: () => db.close() };
}

/** Applies the migrations of one component that have not run yet, each in its own transaction. */
export function migrate(h: SqliteHandle, component: string, migrations: readonly string[]): void {
  const { db } = h;
  const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(component) as { version: number } | undefined;
  let current = row?.version ?? 0;
  if (current > migrations.length) throw new Error(`the ${component} schema (${current}) is newer than this Coffer (${migrations.length})`);
  while (current < migrations.length) {
    const sql = migrations[current]!;
    const next = current + 1;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version').run(component, next);
    })();
    current = next;
  }
}
