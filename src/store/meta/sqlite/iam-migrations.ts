/**
 * The IAM component's numbered migrations (schema_versions row 'iam'). Names are kept as
 * given and keyed by their lower-cased form (`*_lc`): IAM names are unique regardless of
 * case. Access keys live in the shared credential table (`access_keys`, created by the S3
 * component's first migration), so authentication needs one lookup; IAM adds an index to
 * list a principal's keys.
 */
export const IAM_MIGRATIONS: readonly string[] = [
  // 1: users, groups, roles, managed policies and versions, attachments, inline policies, tags, OIDC providers
  `
  CREATE TABLE iam_users (
    account_id TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    boundary_arn TEXT,
    PRIMARY KEY (account_id, name_lc)
  );
  CREATE TABLE iam_groups (
    account_id TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    name TEXT NOT NULL,
    group_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, name_lc)
  );
  CREATE TABLE iam_group_members (
    account_id TEXT NOT NULL,
    group_lc TEXT NOT NULL,
    user_lc TEXT NOT NULL,
    PRIMARY KEY (account_id, group_lc, user_lc)
  );
  CREATE INDEX iam_group_members_by_user ON iam_group_members (account_id, user_lc);
  CREATE TABLE iam_roles (
    account_id TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    name TEXT NOT NULL,
    role_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    trust_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration INTEGER NOT NULL DEFAULT 3600,
    boundary_arn TEXT,
    PRIMARY KEY (account_id, name_lc)
  );
  CREATE TABLE iam_policies (
    arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    name TEXT NOT NULL,
    policy_id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    description TEXT,
    default_version TEXT NOT NULL,
    next_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (account_id, name_lc)
  );
  CREATE TABLE iam_policy_versions (
    policy_arn TEXT NOT NULL,
    version_no INTEGER NOT NULL,
    document TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (policy_arn, version_no)
  );
  CREATE TABLE iam_attachments (
    account_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (account_id, kind, name_lc, policy_arn)
  );
  CREATE INDEX iam_attachments_by_policy ON iam_attachments (account_id, policy_arn);
  CREATE TABLE iam_inline_policies (
    account_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    policy_lc TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, name_lc, policy_lc)
  );
  CREATE TABLE iam_tags (
    entity TEXT NOT NULL,
    key_lc TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (entity, key_lc)
  );
  CREATE TABLE iam_oidc_providers (
    arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    url TEXT NOT NULL,
    client_ids TEXT NOT NULL,
    thumbprints TEXT NOT NULL,
    jwks TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS access_keys_by_principal ON access_keys (account_id, principal_kind, principal_name);
  `,
];
