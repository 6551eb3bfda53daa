import type { Readable } from 'node:stream';

/**
 * Blob storage: opaque, immutable byte strings named by ids the store chooses. Paths
 * never derive from user keys.
 */
export interface BlobWriter {
  readonly blobId: string;
  write(chunk: Buffer): Promise<void>;
  /** Makes the blob durable (fsync) and visible under its id. */
  commit(): Promise<void>;
  /** Discards a partial blob. Safe to call after a failure, and more than once. */
  abort(): Promise<void>;
}

export interface BlobStore {
  create(): Promise<BlobWriter>;
  /** Streams bytes [start, end] inclusive, or the whole blob. */
  read(blobId: string, range?: { start: number; end: number }): Readable;
  delete(blobId: string): Promise<void>;
  /** Ids of all committed blobs, for the start-up sweep; also clears abandoned temporaries. */
  list(): AsyncIterable<string>;
  close(): Promise<void>;
}
