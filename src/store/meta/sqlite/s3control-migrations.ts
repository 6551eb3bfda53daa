/**
 * The `s3control` component's numbered migrations (S3 Access Grants) on the shared SQLite
 * handle. Times are epoch milliseconds. Grants are indexed by grantee and scope key, so
 * GetDataAccess probes the prefixes of its target instead of scanning.
 */
export const S3CONTROL_MIGRATIONS: readonly string[] = [
  // 1: instances, locations, grants, tags
  `
  CREATE TABLE ag_instances (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    arn TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    grant_count INTEGER NOT NULL DEFAULT 0,
    location_count INTEGER NOT NULL DEFAULT 0,
    policy TEXT,
    policy_organization TEXT,
    policy_created_at INTEGER,
    PRIMARY KEY (account_id, region)
  );
  CREATE TABLE ag_locations (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    location_id TEXT NOT NULL,
    arn TEXT NOT NULL,
    scope TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, location_id)
  );
  CREATE UNIQUE INDEX ag_locations_by_scope ON ag_locations (account_id, region, scope);
  CREATE TABLE ag_grants (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    grant_id TEXT NOT NULL,
    arn TEXT NOT NULL,
    location_id TEXT NOT NULL,
    sub_prefix TEXT,
    scope TEXT NOT NULL,
    scope_key TEXT NOT NULL,
    object INTEGER NOT NULL DEFAULT 0,
    grantee_type TEXT NOT NULL,
    grantee_id TEXT NOT NULL,
    permission TEXT NOT NULL,
    application_arn TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX ag_grants_by_id ON ag_grants (account_id, region, grant_id);
  CREATE INDEX ag_grants_by_grantee ON ag_grants (account_id, region, grantee_id, scope_key);
  CREATE INDEX ag_grants_by_location ON ag_grants (account_id, region, location_id);
  CREATE UNIQUE INDEX ag_grants_identity ON ag_grants (account_id, region, location_id, grantee_type, grantee_id, scope, object, permission, COALESCE(application_arn, ''));
  CREATE TABLE ag_tags (
    arn TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    tag_value TEXT NOT NULL,
    PRIMARY KEY (arn, tag_key)
  );
  `,
];
