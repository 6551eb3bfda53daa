/**
 * The metadata store: every durable fact except object bytes. Each method is one atomic
 * unit (one transaction in every adapter), named after what it does, so the PostgreSQL
 * adapter can implement the same contract with BEGIN/COMMIT.
 */

export type VersioningStatus = 'Unversioned' | 'Enabled' | 'Suspended';

export interface Account {
  id: string;
  name: string;
  email: string;
  createdAt: Date;
  isManagement: boolean;
}

export type PrincipalKind = 'Root' | 'User' | 'AssumedRole' | 'FederatedUser';

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalKind: PrincipalKind;
  /** For users the user name; for sessions the session id; empty for root. */
  principalName: string;
  status: 'Active' | 'Inactive';
  createdAt: Date;
  /** Temporary credentials carry a session token and an expiry. */
  sessionToken?: string;
  expiresAt?: Date;
  /** For STS sessions: who the session is and what limits it. */
  session?: SessionRecord;
  /** The latest authenticated use, as recorded (with a delay of seconds). */
  lastUsed?: { at: Date; service: string; region: string };
}

export interface AccessKeyUse {
  accessKeyId: string;
  at: Date;
  service: string;
  region: string;
}

/** What STS decided about a session when it issued it; authentication turns it into a Principal. */
export interface SessionRecord {
  /** The caller kind the credentials act as. */
  kind: 'AssumedRole' | 'FederatedUser' | 'User' | 'Root';
  arn: string;
  userId: string;
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
  parentUserArn?: string;
  userName?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  policies?: string[];
  policyArns?: string[];
  issuedAt: string;
  /** Set when a role session assumed this role (role chaining: at most one hour). */
  chained?: boolean;
}

/** Per-bucket configuration documents kept as JSON, each owned by one S3 sub-resource. */
export interface BucketConfig {
  tagging?: Array<[string, string]>;
  policy?: string;
  encryption?: unknown;
  publicAccessBlock?: unknown;
  ownershipControls?: string;
  [k: string]: unknown;
}

export interface Bucket {
  name: string;
  ownerAccountId: string;
  region: string;
  createdAt: Date;
  versioning: VersioningStatus;
  config: BucketConfig;
}

/** Standard content headers stored with an object and returned on GET/HEAD. */
export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  websiteRedirectLocation?: string;
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  type: 'FULL_OBJECT' | 'COMPOSITE';
  /** base64, with "-N" for composite multipart checksums */
  value: string;
}

/**
 * How the bytes of one stored piece were sealed: written by the object codec, read back
 * by it. The store treats it as opaque JSON.
 */
export type SealInfo = Record<string, unknown>;

export interface DataPiece {
  /** Plaintext length of this piece. */
  size: number;
  /** Stored (possibly sealed) length. */
  storedSize: number;
  blobId?: string;
  inline?: Buffer;
  seal: SealInfo;
}

export interface ObjectPart extends DataPiece {
  partNumber: number;
  etag: string;
  checksum?: ObjectChecksum;
}

export type ObjectData =
  | { kind: 'single'; piece: DataPiece }
  | { kind: 'parts'; parts: ObjectPart[] };

export interface ObjectVersion {
  bucket: string;
  key: string;
  versionId: string;
  /** Monotonic order of versions of a key, newest highest. */
  seq: number;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  /** Without quotes: hex MD5, or "hex-N" for multipart. */
  etag: string;
  lastModified: Date;
  ownerAccountId: string;
  storageClass: string;
  headers: ContentHeaders;
  userMetadata: Record<string, string>;
  tags: Array<[string, string]>;
  checksum?: ObjectChecksum;
  /** Object-level encryption facts (algorithm, key id...) reported in headers. */
  encryption?: Record<string, unknown>;
  partsCount?: number;
  /** Absent on listing rows and delete markers. */
  data?: ObjectData;
}

export type NewObjectVersion = Omit<ObjectVersion, 'versionId' | 'seq' | 'isLatest' | 'bucket' | 'key'>;

export type WriteCondition =
  | { kind: 'if-none-match' }
  | { kind: 'if-match'; etag: string };

export interface PutObjectResult {
  version: ObjectVersion;
  /** Data no longer referenced by any version: the caller deletes these blobs after commit. */
  released: DataPiece[];
}

export interface DeleteObjectResult {
  /** The version that was removed or the delete marker that was created. */
  versionId?: string;
  deleteMarker: boolean;
  released: DataPiece[];
}

export interface ListObjectsQuery {
  prefix: string;
  /** Lower bound on the key: exclusive unless `inclusive`. */
  start: string;
  inclusive?: boolean;
  limit: number;
}

export interface ListVersionsQuery {
  prefix: string;
  /** Resume after this key (all its versions), or with versionIdMarker after that version. */
  keyMarker: string;
  /** Resume at this key, inclusive (used to skip past a rolled-up common prefix). */
  startInclusive?: string;
  /** With keyMarker: resume after this version of that key. */
  versionIdMarker?: string;
  limit: number;
}

export interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: Date;
  ownerAccountId: string;
  initiatorArn: string;
  storageClass: string;
  headers: ContentHeaders;
  userMetadata: Record<string, string>;
  tags: Array<[string, string]>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  encryption?: Record<string, unknown>;
}

export interface UploadPart extends ObjectPart {
  lastModified: Date;
}

export interface ListUploadsQuery {
  prefix: string;
  /** Resume after this key (all its uploads), or with uploadIdMarker after that upload of it. */
  keyMarker: string;
  uploadIdMarker: string;
  /** Resume at this key, inclusive (used to skip past a rolled-up common prefix). */
  startInclusive?: string;
  limit: number;
}

export class StoreConflict extends Error {
  constructor(readonly reason: 'exists' | 'not-found' | 'not-empty' | 'precondition' | 'no-such-upload' | 'conflict') {
    super(reason);
  }
}

export interface MetadataStore {
  close(): Promise<void>;

  // accounts and credentials
  putAccount(a: Account): Promise<void>;
  getAccount(id: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  putAccessKey(k: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /** Temporary credentials past their expiry are of no use: removed at start. */
  deleteExpiredSessions(before: Date): Promise<number>;
  /** Records the latest use of each key, in one write. */
  recordAccessKeyUse(uses: AccessKeyUse[]): Promise<void>;

  // buckets
  /** Throws StoreConflict('exists') when the name is taken (by anyone). */
  createBucket(b: Bucket): Promise<void>;
  getBucket(name: string): Promise<Bucket | undefined>;
  listBuckets(ownerAccountId: string): Promise<Bucket[]>;
  /** Throws StoreConflict('not-empty') when versions or uploads remain. */
  deleteBucket(name: string): Promise<void>;
  setBucketVersioning(name: string, status: VersioningStatus): Promise<void>;
  /** Replaces (or with undefined removes) one configuration document. */
  setBucketConfig(name: string, key: string, value: unknown): Promise<void>;

  // objects
  getObject(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  putObject(bucket: string, key: string, v: NewObjectVersion, versioning: VersioningStatus, condition?: WriteCondition): Promise<PutObjectResult>;
  deleteObject(bucket: string, key: string, versioning: VersioningStatus, versionId?: string, now?: Date, ownerAccountId?: string): Promise<DeleteObjectResult>;
  setObjectTags(bucket: string, key: string, versionId: string | undefined, tags: Array<[string, string]>): Promise<string>;
  /** Latest, non-deleted versions in key order; rows carry no data. */
  listObjects(bucket: string, q: ListObjectsQuery): Promise<ObjectVersion[]>;
  /** All versions and delete markers, key ascending then newest first. */
  listObjectVersions(bucket: string, q: ListVersionsQuery): Promise<ObjectVersion[]>;

  // multipart
  createUpload(u: MultipartUpload): Promise<void>;
  getUpload(uploadId: string): Promise<MultipartUpload | undefined>;
  /** Returns the piece of a part this one replaced, for the caller to release. */
  putPart(uploadId: string, part: UploadPart): Promise<DataPiece | undefined>;
  listParts(uploadId: string, afterPartNumber: number, limit: number): Promise<UploadPart[]>;
  listUploads(bucket: string, q: ListUploadsQuery): Promise<MultipartUpload[]>;
  /** Atomically turns the upload into an object version made of the given parts. */
  completeUpload(uploadId: string, v: NewObjectVersion, parts: ObjectPart[], versioning: VersioningStatus, condition?: WriteCondition): Promise<PutObjectResult>;
  /** Removes the upload and returns its parts' pieces. */
  abortUpload(uploadId: string): Promise<DataPiece[]>;

  /** Every blob id any row references: the start-up sweep deletes the rest. */
  referencedBlobIds(): Promise<Set<string>>;
}
