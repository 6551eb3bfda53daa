/**
 * The `organizations` component's numbered migrations on the shared SQLite handle. Times
 * are epoch milliseconds. Coffer has at most one organization, managed by the management
 * account; account names and emails stay in the `accounts` table of the metadata store.
 */
export const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';
export const FULL_AWS_ACCESS_CONTENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, null, 2);

export const ORGANIZATIONS_MIGRATIONS: readonly string[] = [
  // 1: the organization, its root, OUs, members, create-account requests, policies, attachments
  `
  CREATE TABLE org_organization (
    id TEXT PRIMARY KEY,
    feature_set TEXT NOT NULL,
    management_account_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE org_roots (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scp_enabled INTEGER NOT NULL
  );
  CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    parent_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX org_units_by_parent ON org_units (parent_id, name);
  CREATE TABLE org_members (
    account_id TEXT PRIMARY KEY,
    parent_id TEXT NOT NULL,
    joined_method TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'ACTIVE'
  );
  CREATE INDEX org_members_by_parent ON org_members (parent_id, account_id);
  CREATE TABLE org_create_account_requests (
    id TEXT PRIMARY KEY,
    account_name TEXT NOT NULL,
    email TEXT NOT NULL,
    role_name TEXT NOT NULL,
    account_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    completed_at INTEGER,
    failure_reason TEXT
  );
  CREATE INDEX org_create_account_requests_by_time ON org_create_account_requests (requested_at, id);
  CREATE TABLE org_policies (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    aws_managed INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX org_policies_by_name ON org_policies (type, name);
  CREATE TABLE org_attachments (
    policy_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (policy_id, target_id)
  );
  CREATE INDEX org_attachments_by_target ON org_attachments (target_id, seq);
  INSERT INTO org_policies (id, type, name, description, content, aws_managed, created_at)
    VALUES ('${FULL_AWS_ACCESS_ID}', 'SERVICE_CONTROL_POLICY', 'FullAWSAccess', 'Allows access to every operation',
            '${FULL_AWS_ACCESS_CONTENT.replace(/'/g, "''")}', 1, 0);
  `,
];
