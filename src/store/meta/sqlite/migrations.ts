/**
 * Numbered migrations; the applied number is kept in schema_version. SQL stays portable
 * (the PostgreSQL adapter shares the shape): TEXT keys compared bytewise, which is S3's
 * listing order for UTF-8.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: accounts, credentials, buckets, objects, multipart
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    is_management INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    account_id TEXT NOT NULL,
    principal_kind TEXT NOT NULL,
    principal_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'Active',
    created_at INTEGER NOT NULL,
    session_token TEXT,
    expires_at INTEGER
  );
  CREATE TABLE buckets (
    name TEXT PRIMARY KEY,
    owner_account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    versioning TEXT NOT NULL DEFAULT 'Unversioned',
    config TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX buckets_by_owner ON buckets (owner_account_id, name);
  CREATE TABLE objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    is_latest INTEGER NOT NULL,
    is_delete_marker INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    owner_account_id TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    headers TEXT NOT NULL,
    user_meta TEXT NOT NULL,
    tags TEXT NOT NULL,
    checksum TEXT,
    encryption TEXT,
    parts_count INTEGER,
    data TEXT,
    inline_data BLOB
  );
  CREATE UNIQUE INDEX objects_by_version ON objects (bucket, key, version_id);
  CREATE INDEX objects_by_key_seq ON objects (bucket, key, id);
  CREATE INDEX objects_latest ON objects (bucket, key) WHERE is_latest = 1;
  CREATE TABLE object_parts (
    object_id INTEGER NOT NULL,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksum TEXT,
    piece TEXT NOT NULL,
    PRIMARY KEY (object_id, part_number)
  );
  CREATE TABLE uploads (
    upload_id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    initiated INTEGER NOT NULL,
    owner_account_id TEXT NOT NULL,
    initiator_arn TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    headers TEXT NOT NULL,
    user_meta TEXT NOT NULL,
    tags TEXT NOT NULL,
    checksum_algorithm TEXT,
    checksum_type TEXT,
    encryption TEXT
  );
  CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated, upload_id);
  CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    checksum TEXT,
    piece TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
  );
  `,
  // 2: STS session context on temporary credentials
  `
  ALTER TABLE access_keys ADD COLUMN session TEXT;
  CREATE INDEX access_keys_by_expiry ON access_keys (expires_at) WHERE expires_at IS NOT NULL;
  `,
  // 3: when and where each access key was last used (GetAccessKeyLastUsed)
  `
  ALTER TABLE access_keys ADD COLUMN last_used_at INTEGER;
  ALTER TABLE access_keys ADD COLUMN last_used_service TEXT;
  ALTER TABLE access_keys ADD COLUMN last_used_region TEXT;
  `,
];
