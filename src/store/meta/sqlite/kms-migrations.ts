/**
 * The `kms` component's numbered migrations on the shared SQLite handle. Times are epoch
 * milliseconds. Key material is only ever stored wrapped by the root key.
 */
export const KMS_MIGRATIONS: readonly string[] = [
  // 1: keys, key material versions, aliases, grants, rotations
  `
  CREATE TABLE kms_keys (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    key_usage TEXT NOT NULL,
    key_spec TEXT NOT NULL,
    key_state TEXT NOT NULL,
    origin TEXT NOT NULL,
    key_manager TEXT NOT NULL,
    multi_region INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    deletion_at INTEGER,
    pending_window_days INTEGER,
    policy TEXT NOT NULL,
    rotation_enabled INTEGER NOT NULL DEFAULT 0,
    rotation_period_days INTEGER,
    next_rotation_at INTEGER,
    current_version INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX kms_keys_by_account ON kms_keys (account_id, region, id);
  CREATE INDEX kms_keys_pending_deletion ON kms_keys (deletion_at) WHERE deletion_at IS NOT NULL;
  CREATE TABLE kms_key_material (
    key_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    wrapped BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (key_id, version)
  );
  CREATE TABLE kms_aliases (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    target_key_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, name)
  );
  CREATE INDEX kms_aliases_by_key ON kms_aliases (target_key_id, name);
  CREATE TABLE kms_grants (
    id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    name TEXT,
    grantee TEXT NOT NULL,
    retiring TEXT,
    operations TEXT NOT NULL,
    constraints TEXT,
    issuing_account TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX kms_grants_by_key ON kms_grants (key_id, id);
  CREATE INDEX kms_grants_by_retiring ON kms_grants (retiring, id);
  CREATE TABLE kms_rotations (
    key_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    rotated_at INTEGER NOT NULL,
    rotation_type TEXT NOT NULL,
    PRIMARY KEY (key_id, version)
  );
  `,
];
