import { PassThrough, type Transform } from 'node:stream';
import type { SealInfo } from '../../store/meta/types.js';

/**
 * The seam between object bytes and storage: everything written passes through a sealer,
 * everything read through an opener. Encryption at rest plugs in here without touching
 * handlers.
 */
export interface SealRequest {
  bucket: string;
  key: string;
  /** Unique id of the piece being written, bound into the sealed bytes. */
  pieceId: string;
  /** The object's encryption settings as the handler resolved them. */
  encryption?: Record<string, unknown>;
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
  seal(req: SealRequest): Promise<Sealer>;
  /** `range` is inclusive, within [0, plainLength). */
  open(seal: SealInfo, plainLength: number, range?: { start: number; end: number }): Promise<Opened>;
}

/** Stores bytes as they come. Used until encryption at rest is configured. */
export const plainCodec: ObjectCodec = {
  async seal() {
    return { stream: new PassThrough({ highWaterMark: 1 << 20 }), info: () => ({ codec: 'plain' }) };
  },
  async open(_seal, _len, range) {
    return range ? { storedRange: range, stream: null } : { stream: null };
  },
};
