import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { StoreConflict, type VersioningStatus } from '../store/meta/types.js';
import type { App } from './app.js';
import { joinOrganization } from '../services/organizations/index.js';
import { applyIamBootstrap, IamBootstrapError, type IamBootstrap } from '../services/iam/bootstrap.js';
import { randomIamIds } from '../services/iam/ids.js';
import { SqliteIamStore } from '../store/meta/sqlite/iam-store.js';
import { newAccessKeyId, newSecretAccessKey, readCredentialsFile, writeCredentialsFile } from './credentials-file.js';

interface BootstrapKey { accessKeyId: string; secretAccessKey: string }
interface BootstrapAccount {
  id: string;
  name?: string;
  email?: string;
  rootAccessKeys?: BootstrapKey[];
  users?: IamBootstrap['users'];
  roles?: IamBootstrap['roles'];
  groups?: IamBootstrap['groups'];
  policies?: IamBootstrap['policies'];
  oidcProviders?: IamBootstrap['oidcProviders'];
  buckets?: Array<{ name: string; versioning?: string }>;
}

export class BootstrapError extends Error {}

const KEY_ID_RE = /^[A-Z0-9]{16,128}$/;

/** The management account and its root keys (DESIGN §5): fixed by the environment or generated once. */
export async function ensureManagementAccount(app: App): Promise<{ generated?: { accessKeyId: string; secretAccessKey: string } }> {
  const { config, meta } = app;
  const now = app.clock();
  if (!(await meta.getAccount(config.accountId))) {
    await meta.putAccount({ id: config.accountId, name: 'management', email: 'management@coffer.invalid', createdAt: now, isManagement: true });
  }
  let key: { accessKeyId: string; secretAccessKey: string };
  let generated = false;
  if (config.rootAccessKeyId && config.rootSecretAccessKey) {
    key = { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey };
  } else {
    const path = join(config.dataDir, 'root-credentials.json');
    const existing = await readCredentialsFile(path);
    if (existing) {
      key = existing;
    } else {
      key = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
      await writeCredentialsFile(path, { accountId: config.accountId, ...key });
      generated = true;
    }
  }
  const current = await meta.getAccessKey(key.accessKeyId);
  if (current && current.accountId !== config.accountId) throw new BootstrapError(`access key ${key.accessKeyId} belongs to account ${current.accountId}`);
  if (!current || current.secretAccessKey !== key.secretAccessKey) {
    await meta.putAccessKey({ ...key, accountId: config.accountId, principalKind: 'Root', principalName: '', status: 'Active', createdAt: now });
  }
  return generated ? { generated: key } : {};
}

/** Applies COFFER_BOOTSTRAP idempotently: accounts, their root keys, their IAM identities, their buckets. */
export async function applyBootstrapFile(app: App, path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const doc = (path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text)) as { accounts?: BootstrapAccount[] } | null;
  const accounts = doc?.accounts ?? [];
  if (!Array.isArray(accounts)) throw new BootstrapError('bootstrap: "accounts" must be a list');
  const now = app.clock();
  for (const a of accounts) {
    if (!a || typeof a.id !== 'string' || !/^\d{12}$/.test(a.id)) throw new BootstrapError(`bootstrap: account id must be 12 digits: ${JSON.stringify(a?.id)}`);
    for (const field of ['users', 'roles', 'groups', 'policies', 'oidcProviders'] as const) {
      if (a[field] !== undefined && !Array.isArray(a[field])) throw new BootstrapError(`bootstrap: account ${a.id}: "${field}" must be a list`);
    }
    const existing = await app.meta.getAccount(a.id);
    await app.meta.putAccount({
      id: a.id,
      name: a.name ?? existing?.name ?? a.id,
      email: a.email ?? existing?.email ?? `${a.id}@coffer.invalid`,
      createdAt: existing?.createdAt ?? now,
      isManagement: a.id === app.config.accountId,
    });
    for (const k of a.rootAccessKeys ?? []) {
      if (!KEY_ID_RE.test(k.accessKeyId ?? '') || typeof k.secretAccessKey !== 'string' || k.secretAccessKey.length < 16) {
        throw new BootstrapError(`bootstrap: account ${a.id}: access keys need an id of 16+ upper-case letters or digits and a secret of 16+ characters`);
      }
      const current = await app.meta.getAccessKey(k.accessKeyId);
      if (current && current.accountId !== a.id) throw new BootstrapError(`bootstrap: access key ${k.accessKeyId} already belongs to account ${current.accountId}`);
      await app.meta.putAccessKey({ accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, accountId: a.id, principalKind: 'Root', principalName: '', status: 'Active', createdAt: current?.createdAt ?? now });
    }
    try {
      await applyIamBootstrap(SqliteIamStore.open(app.sqlite), app.meta, a.id, a, now, randomIamIds);
    } catch (e) {
      throw e instanceof IamBootstrapError ? new BootstrapError(e.message) : e;
    }
    for (const b of a.buckets ?? []) {
      const versioning = (b.versioning ?? 'Unversioned') as VersioningStatus;
      if (!['Unversioned', 'Enabled', 'Suspended'].includes(versioning)) throw new BootstrapError(`bootstrap: bucket ${b.name}: versioning must be Enabled or Suspended`);
      const current = await app.meta.getBucket(b.name);
      if (current && current.ownerAccountId !== a.id) throw new BootstrapError(`bootstrap: bucket ${b.name} belongs to account ${current.ownerAccountId}`);
      if (!current) {
        try {
          await app.meta.createBucket({ name: b.name, ownerAccountId: a.id, region: app.config.region, createdAt: now, versioning: 'Unversioned', config: { ownershipControls: 'BucketOwnerEnforced' } });
        } catch (e) {
          if (!(e instanceof StoreConflict)) throw e;
        }
      }
      if (versioning !== 'Unversioned' && current?.versioning !== versioning) await app.meta.setBucketVersioning(b.name, versioning);
    }
  }
  // DESIGN §5: accounts in the file join the management account's organization.
  await joinOrganization(app, accounts.map((a) => a.id));
}

/** Removes blobs no metadata references: what a crash between blob write and commit left. */
export async function sweepOrphanBlobs(app: App): Promise<number> {
  const referenced = await app.meta.referencedBlobIds();
  let removed = 0;
  for await (const id of app.blobs.list()) {
    if (!referenced.has(id)) {
      await app.blobs.delete(id);
      removed++;
    }
  }
  return removed;
}
