import { PassThrough, type Transform } from 'node:stream';
import type { SealInfo } from '../../store/meta/types.js';
import type { CustomerKeyHeaders, EncryptionSettings } from './encryption.js';
import type { EncryptionServices } from './sse-kms.js';

/**
 * The seam between object bytes and storage: everything written passes through a sealer,
 * everything read through an opener. Handlers resolve the encryption settings (encryption.ts)
 * and hand them over with the request's EncryptionServices (KMS as the caller); the codec
 * does every cryptographic step.
 */

/** The request's means of getting at data keys. */
export interface KeyAccess {
  services: EncryptionServices;
  /** The SSE-C key the request presented (checked against the object's record before). */
  customerKey?: CustomerKeyHeaders;
}

/**
 * An object's (or a multipart upload's) data-key envelope: made once by `prepare` (which
 * calls KMS GenerateDataKey for SSE-KMS), stored with every piece sealed under it.
 */
export interface Prepared {
  /** Stored with the upload and in each piece's seal; holds no plaintext key. */
  envelope: SealInfo;
  /** What ObjectVersion.encryption (and the response headers) record. */
  record: Record<string, unknown>;
  /** The plaintext data keys when just made (a single PUT), so sealing needs no KMS Decrypt. */
  keys?: Buffer[];
}

export interface SealRequest {
  bucket: string;
  key: string;
  /** Unique id of the piece being written, bound into the sealed bytes. */
  pieceId: string;
  /** From `prepare` (same request) or the upload's stored envelope (UploadPart). */
  prepared: Prepared;
  access: KeyAccess;
}

export interface Sealer {
  /** Plaintext in, stored bytes out. */
  stream: Transform;
  /** Called after the stream ended: what the opener needs later. */
  info(): SealInfo;
}

export interface Opened {
  /** Stored bytes to read (inclusive); undefined means the whole stored piece. */
  storedRange?: { start: number; end: number };
  /** Stored bytes in, exactly the requested plaintext out; null when bytes pass unchanged. */
  stream: Transform | null;
}

export interface ObjectCodec {
  /** Makes the data-key envelope for an object about to be written with `settings`. */
  prepare(settings: EncryptionSettings, target: { bucket: string; key: string }, access: KeyAccess): Promise<Prepared>;
  seal(req: SealRequest): Promise<Sealer>;
  /** Seals a small piece held in memory in one call (it will live inline). */
  sealInline(req: SealRequest, plaintext: Buffer): Promise<{ stored: Buffer; info: SealInfo }>;
  /** `range` is inclusive, within [0, plainLength). */
  open(seal: SealInfo, plainLength: number, range: { start: number; end: number } | undefined, access: KeyAccess): Promise<Opened>;
  /** The same for a piece held in memory (small objects live inline): one call, no streams. */
  openInline(seal: SealInfo, plainLength: number, range: { start: number; end: number } | undefined, access: KeyAccess, stored: Buffer): Promise<Buffer>;
  /** Whether `key` is the SSE-C key a stored verifier was made from. */
  customerKeyMatches(verifier: string, key: Buffer): boolean;
}

/** Stores bytes as they come (tests of the storage layer only). */
export const plainCodec: ObjectCodec = {
  async prepare() {
    return { envelope: { codec: 'plain' }, record: {} };
  },
  async seal() {
    return { stream: new PassThrough({ highWaterMark: 1 << 20 }), info: () => ({ codec: 'plain' }) };
  },
  async sealInline(_req, plaintext) {
    return { stored: plaintext, info: { codec: 'plain' } };
  },
  async open(_seal, _len, range) {
    return range ? { storedRange: range, stream: null } : { stream: null };
  },
  async openInline(_seal, _len, range, _access, stored) {
    return range ? stored.subarray(range.start, range.end + 1) : stored;
  },
  customerKeyMatches: () => false,
};
