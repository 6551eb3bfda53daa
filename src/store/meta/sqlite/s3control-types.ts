/**
 * The S3 Access Grants store: one instance per account and region, its locations, its
 * grants and the tags of all three. Writes answer an outcome instead of throwing, so the
 * service maps each to its own error; each method is one atomic unit.
 */

export type AccessGrantPermission = 'READ' | 'WRITE' | 'READWRITE';

export interface AccessGrantsInstanceRecord {
  accountId: string;
  region: string;
  instanceId: string;
  arn: string;
  createdAt: number;
  grantCount: number;
  locationCount: number;
  policy?: string;
  policyOrganization?: string;
  policyCreatedAt?: number;
}

export interface AccessGrantsLocationRecord {
  accountId: string;
  region: string;
  locationId: string;
  arn: string;
  /** As the caller gave it: `s3://`, `s3://bucket`, `s3://bucket/prefix/`. */
  scope: string;
  roleArn: string;
  createdAt: number;
}

export interface AccessGrantRecord {
  accountId: string;
  region: string;
  grantId: string;
  arn: string;
  locationId: string;
  subPrefix?: string;
  /** `s3://bucket/prefix*`, or `s3://bucket/key` for an object grant. */
  scope: string;
  /** The scope without `s3://` and the trailing `*`: what GetDataAccess matches on. */
  scopeKey: string;
  object: boolean;
  granteeType: string;
  granteeId: string;
  permission: AccessGrantPermission;
  applicationArn?: string;
  createdAt: number;
  /** Set by listings: the position to resume after. */
  seq?: number;
}

export interface GrantFilter {
  granteeType?: string;
  granteeId?: string;
  permission?: string;
  /** Grants whose scope starts with this. */
  scopePrefix?: string;
  applicationArn?: string;
}

export type Tag = { Key: string; Value: string };

export type CreateOutcome = 'ok' | 'no-instance' | 'no-location' | 'exists' | 'quota';
export type DeleteOutcome = 'ok' | 'missing' | 'not-empty';

export interface AccessGrantsStore {
  getInstance(accountId: string, region: string): AccessGrantsInstanceRecord | undefined;
  createInstance(rec: AccessGrantsInstanceRecord, tags: Tag[]): Promise<CreateOutcome>;
  deleteInstance(accountId: string, region: string): Promise<DeleteOutcome>;
  putInstancePolicy(accountId: string, region: string, policy: string | undefined, organization: string | undefined, at: number): Promise<boolean>;

  getLocation(accountId: string, region: string, locationId: string): AccessGrantsLocationRecord | undefined;
  listLocations(accountId: string, region: string, opts: { scope?: string; afterId?: string; limit: number }): AccessGrantsLocationRecord[];
  createLocation(rec: AccessGrantsLocationRecord, tags: Tag[], limit: number): Promise<CreateOutcome>;
  updateLocationRole(accountId: string, region: string, locationId: string, roleArn: string): Promise<AccessGrantsLocationRecord | undefined>;
  deleteLocation(accountId: string, region: string, locationId: string): Promise<DeleteOutcome>;

  getGrant(accountId: string, region: string, grantId: string): AccessGrantRecord | undefined;
  listGrants(accountId: string, region: string, filter: GrantFilter, opts: { afterSeq?: number; limit: number }): AccessGrantRecord[];
  createGrant(rec: AccessGrantRecord, tags: Tag[], limit: number): Promise<CreateOutcome>;
  deleteGrant(accountId: string, region: string, grantId: string): Promise<boolean>;
  /** IAM grants of one grantee whose scope key is one of `scopeKeys` (the prefixes of a target), with their location's role. */
  grantsForTarget(accountId: string, region: string, granteeId: string, scopeKeys: readonly string[]): Array<AccessGrantRecord & { roleArn: string }>;

  tagsOf(arn: string): Tag[];
  /** 'too-many' when the resource would pass 50 tags. */
  tagResource(arn: string, tags: Tag[]): Promise<'ok' | 'too-many'>;
  untagResource(arn: string, keys: string[]): Promise<void>;
}
