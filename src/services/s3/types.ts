import type { Readable } from 'node:stream';
import type { Principal } from '../../auth/principal.js';
import type { BlobStore } from '../../store/blob/types.js';
import type { ChecksumAlgorithm, MetadataStore, ObjectVersion } from '../../store/meta/types.js';
import type { ObjectCodec } from './object-codec.js';
import type { EncryptionServices } from './sse-kms.js';

/** A request body after authentication: bytes as the client meant them, verified as they pass. */
export interface RequestBody {
  stream: Readable;
  /**
   * Settles after the stream ended: resolves with the checksums the client sent (header or
   * trailer) once every verification passed, rejects with the AwsError of the first failure.
   */
  done: Promise<{ checksums: Partial<Record<ChecksumAlgorithm, string>>; md5: Buffer }>;
  /** Decoded length when the client declared it. */
  length?: number;
}

export interface S3Settings {
  region: string;
  inlineMaxBytes: number;
  maxObjectSize: number;
}

/** What every S3 handler gets: the caller, the clock, the stores. Never the HTTP request. */
export interface S3Context {
  principal: Principal;
  requestId: string;
  now: () => Date;
  meta: MetadataStore;
  blobs: BlobStore;
  codec: ObjectCodec;
  /** KMS as the caller, transport facts and key caches for server-side encryption. */
  encryption: EncryptionServices;
  ids: { versionId(): string; uploadId(): string };
  settings: S3Settings;
  /**
   * Object versions this request already read (authorization reads the object's tags, then
   * the operation reads it again): one store read per version per request.
   */
  versions?: Map<string, Promise<ObjectVersion | undefined>>;
}

/** The version a request names, read once per request. */
export function readVersion(ctx: S3Context, bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
  if (!ctx.versions) return ctx.meta.getObject(bucket, key, versionId);
  const id = `${bucket}\u0000${key}\u0000${versionId ?? ''}`;
  let p = ctx.versions.get(id);
  if (!p) {
    p = ctx.meta.getObject(bucket, key, versionId);
    ctx.versions.set(id, p);
  }
  return p;
}
