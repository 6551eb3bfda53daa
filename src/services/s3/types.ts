import type { Readable } from 'node:stream';
import type { Principal } from '../../auth/principal.js';
import type { BlobStore } from '../../store/blob/types.js';
import type { ChecksumAlgorithm, MetadataStore } from '../../store/meta/types.js';
import type { ObjectCodec } from './object-codec.js';
import type { EncryptionServices } from './sse-kms.js';

/** A request body after authentication: bytes as the client meant them, verified as they pass. */
export interface RequestBody {
  stream: Readable;
  /**
   * Settles after the stream ended: resolves with the checksums the client sent (header or
   * trailer) once every verification passed, rejects with the AwsError of the first failure.
   */
  done: Promise<{ checksums: Partial<Record<ChecksumAlgorithm, string>> }>;
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
}
