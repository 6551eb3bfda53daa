import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { Authorizer } from '../authz/access.js';
import { PolicyAuthorizer } from '../authz/policy-authorizer.js';
import { s3ResourceResolver } from '../authz/s3-resources.js';
import type { AuditLog } from '../audit/audit-log.js';
import { SqliteAuditLog } from '../audit/sqlite-audit-log.js';
import type { IdentityReader } from '../store/meta/iam-types.js';
import type { OrganizationReader } from '../authz/policy-authorizer.js';
import { ResourcePolicyRegistry } from '../authz/resource-policies.js';
import { HashPool } from '../checksum/hash-pool.js';
import { KeyUsageTracker } from './key-usage.js';
import type { ObjectCodec } from '../services/s3/object-codec.js';
import type { RequestBody } from '../services/s3/types.js';
import { FsBlobStore } from '../store/blob/fs/fs-blob-store.js';
import type { BlobStore } from '../store/blob/types.js';
import { openSqlite, type SqliteHandle } from '../store/meta/sqlite/database.js';
import { SqliteMetadataStore } from '../store/meta/sqlite/sqlite-store.js';
import type { MetadataStore } from '../store/meta/types.js';
import { authenticateHttp } from './authenticate.js';
import type { Config } from './config.js';
import type { RequestContext } from './request-context.js';
import { createSealingCodec, loadRootKey } from './sealing.js';
import { createLocalRootKeyProvider, createStringSealer, deriveKey, type RootKeyProvider } from '../crypto/index.js';
import { createKms, type KmsApi } from '../services/kms/index.js';
import { jsonServiceHandler } from './json-handler.js';
import { SqliteIamStore } from '../store/meta/sqlite/iam-store.js';
import { AWS_MANAGED_POLICIES } from '../services/iam/aws-managed-policies.js';
import { iamService } from '../services/iam/operations.js';
import { stsService } from '../services/sts/operations.js';
import { roleTrustResolver } from '../authz/iam-resources.js';
import { createOrganizations, OrganizationsApi } from '../services/organizations/index.js';
import { SqliteAccessGrantsStore } from '../store/meta/sqlite/s3control-store.js';
import { accessGrantsResourceResolver } from '../services/s3control/resource-resolver.js';
import { accessGrantsLimitFromEnv, s3ControlService } from '../services/s3control/service.js';

export interface Authenticated {
  principal: Principal;
  body: RequestBody;
}

export type ServiceHandler = (req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string) => Promise<void>;

/** The composition root's product: every dependency a request needs, wired once. */
export interface App {
  config: Config;
  logger: Logger;
  /** The embedded database every SQLite store shares. */
  sqlite: SqliteHandle;
  meta: MetadataStore;
  blobs: BlobStore;
  codec: ObjectCodec;
  /** Hashes large request bodies on worker threads. */
  hashPool: HashPool;
  /** Last use of each access key, written in batches. */
  keyUsage: KeyUsageTracker;
  /** Wraps key material at rest (KMS keys, service keys); the seam for an external key store. */
  rootKey: RootKeyProvider;
  authorizer: Authorizer;
  audit: AuditLog;
  /** IAM's read side, once the IAM service is wired. */
  iam?: IdentityReader;
  /** Organizations' read side (SCPs), once the Organizations service is wired. */
  organizations?: OrganizationReader;
  /** Each service registers how to find its resources' owners and resource-based policies. */
  resources: ResourcePolicyRegistry;
  clock: () => Date;
  ids: { versionId(): string; uploadId(): string };
  /** KMS's internal API (S3 SSE-KMS asks it for data keys as the caller). */
  kms?: KmsApi;
  /** Services other than S3, by route name; absent ones answer NotImplemented. */
  services: Partial<Record<'s3control' | 'kms' | 'organizations' | 'iam' | 'sts', ServiceHandler>>;
  authenticate(req: IncomingMessage, res: ServerResponse, rc: RequestContext, rawPath: string, rawQuery: string): Promise<Authenticated>;
  accessLog(rc: RequestContext, status: number, aborted: boolean): void;
  close(): Promise<void>;
}

/** S3 version ids: 32 URL-safe characters, as S3's look. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

export function newUploadId(): string {
  return randomBytes(48).toString('base64url');
}

export interface AppOptions {
  clock?: () => Date;
  logger?: Logger;
}

export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const logger = opts.logger ?? pino({ level: config.logLevel, base: undefined });
  const root = await loadRootKey(config);
  // Access-key secrets are kept sealed under a key derived from the root key.
  const sqlite = openSqlite(join(config.dataDir, 'meta.sqlite'), createStringSealer(deriveKey(root, 'coffer/access-key-secrets/v1')));
  const meta = SqliteMetadataStore.open({ handle: sqlite, newVersionId });
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  const codec = createSealingCodec(root);
  const rootKey = createLocalRootKeyProvider(root);
  const clock = opts.clock ?? (() => new Date());
  const resources = new ResourcePolicyRegistry();
  resources.register('s3', s3ResourceResolver(meta));
  const audit = new SqliteAuditLog(join(config.dataDir, 'audit.sqlite'));
  const app: App = {
    config,
    logger,
    sqlite,
    meta,
    blobs,
    codec,
    hashPool: new HashPool(),
    keyUsage: new KeyUsageTracker(meta),
    rootKey,
    authorizer: new PolicyAuthorizer({ identity: () => app.iam, organizations: () => app.organizations, resources, audit }),
    audit,
    resources,
    clock,
    ids: { versionId: newVersionId, uploadId: newUploadId },
    services: {},
    authenticate: (req, res, rc, rawPath, rawQuery) => authenticateHttp(app, req, res, rc, rawPath, rawQuery),
    accessLog(rc, status, aborted) {
      logger.info({
        requestId: rc.requestId,
        service: rc.service,
        operation: rc.operation,
        bucket: rc.bucket,
        key: rc.key,
        principal: rc.principal?.arn,
        status,
        error: rc.errorCode,
        bytesIn: rc.bytesInOf?.() ?? rc.bytesIn,
        bytesOut: rc.bytesOut,
        ms: Date.now() - rc.startedAt,
        aborted: aborted || undefined,
      }, 'request');
    },
    async close() {
      await app.keyUsage.close();
      if (app.organizations instanceof OrganizationsApi) await app.organizations.close();
      await meta.close();
      await blobs.close();
      await audit.close();
      await app.hashPool.close();
      sqlite.close();
    },
  };
  app.kms = createKms(app);
  app.services.kms = jsonServiceHandler(app, app.kms.spec);
  const iam = SqliteIamStore.open(sqlite, { awsManagedPolicies: AWS_MANAGED_POLICIES });
  app.iam = iam;
  app.services.iam = iamService(app, iam);
  resources.register('sts', roleTrustResolver(() => app.iam));
  app.services.sts = stsService(app, iam);
  const organizations = createOrganizations(app);
  app.organizations = organizations;
  app.services.organizations = jsonServiceHandler(app, organizations.spec);
  const accessGrants = SqliteAccessGrantsStore.open(sqlite);
  resources.register('s3', accessGrantsResourceResolver(accessGrants, s3ResourceResolver(meta)));
  app.services.s3control = s3ControlService(app, accessGrants, iam, { limits: { grants: accessGrantsLimitFromEnv(process.env) } });
  return app;
}
