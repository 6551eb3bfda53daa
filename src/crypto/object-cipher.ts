// Encrypting and decrypting object content in the chunked AES-256-GCM format
// (chunk-layout.ts for the layout, chunk-seal.ts for what protects each chunk).
//
// Streams never emit unauthenticated bytes: the decryptor gathers a whole chunk, checks
// every tag, and only then pushes that chunk's plaintext. Both directions hold at most
// one chunk, by reference to the buffers they were given (no copy unless a chunk arrives
// in many small pieces). As usual for Node streams, a Buffer once written belongs to the
// stream: a source that refills one buffer must copy before writing it.
//
// DSSE: pass two data keys and every chunk is sealed twice, inner key first. This is the
// same bytes as nesting two independent layers whose chunks are aligned (the outer layer's
// chunk is the inner layer's sealed chunk), so both layers stay independent — either key
// alone reveals nothing — while a ranged read still touches only the chunks it needs, at
// 16 extra bytes per chunk. Two separately-chunked nested streams would instead make outer
// chunks straddle inner ones and cost a second re-chunking pass.
import { Transform, type TransformCallback } from 'node:stream';
import {
  DEFAULT_CHUNK_SIZE,
  planDecrypt,
  TAG_LENGTH,
  type ByteRange,
  type DecryptPlan,
} from './chunk-layout.js';
import { deriveChunkKeys, openChunk, sealChunk, type ChunkKeys } from './chunk-seal.js';
import { ObjectDecryptError } from './errors.js';

/** One 32-byte data key, or two (inner first) for dual-layer (DSSE) encryption. */

/** Bytes a sealing or opening stream buffers on each side (a few chunks). */
const STREAM_BUFFER = 256 * 1024;
export type DataKeys = Buffer | readonly Buffer[];

export interface EncryptOptions {
  /** plaintext bytes per chunk; record it in the object's metadata. Default 64 KiB. */
  chunkSize?: number;
  /** object-version identifier, e.g. "bucket/key/versionId"; must be given again to decrypt */
  aad: string;
}

export interface DecryptOptions extends EncryptOptions {
  /** the object's plaintext length, from its metadata */
  plaintextLength: number;
  /** plaintext bytes wanted (inclusive, inside the object); whole object when omitted */
  range?: ByteRange;
}

export interface DecryptStream extends DecryptPlan {
  /** feed it exactly the blob bytes plan.ciphertextRange; emits exactly the wanted plaintext */
  stream: Transform;
}

type Emit = (piece: Buffer) => void;

/** Cuts plaintext into chunks; holds back the last full chunk until it knows whether it is final. */
class ChunkSealer {
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #index = 0;
  constructor(readonly keys: ChunkKeys) {}

  write(data: Buffer, emit: Emit): void {
    const size = this.keys.chunkSize;
    let off = 0;
    while (off < data.length) {
      // A full pending chunk is known not to be the last as soon as one more byte exists.
      if (this.#pendingLength === size) this.#seal(false, emit);
      const take = Math.min(size - this.#pendingLength, data.length - off);
      this.#pending.push(off === 0 && take === data.length ? data : data.subarray(off, off + take));
      this.#pendingLength += take;
      off += take;
    }
  }

  end(emit: Emit): void {
    this.#seal(true, emit); // an empty object still gets its one (empty) final chunk
  }

  #seal(final: boolean, emit: Emit): void {
    for (const piece of sealChunk(this.keys, this.#index, final, this.#pending)) emit(piece);
    this.#index++;
    this.#pending = [];
    this.#pendingLength = 0;
  }
}

/** Gathers sealed chunks of a plan, opens them, emits the wanted slice of each. */
class ChunkOpener {
  #index: number;
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #expected: number;
  readonly #lastPlainEnd: number; // exclusive end of wanted plaintext within lastChunk
  constructor(
    readonly keys: ChunkKeys,
    readonly plan: DecryptPlan,
    readonly plaintextLength: number,
  ) {
    this.#index = plan.firstChunk;
    this.#expected = this.#sealedLength(this.#index);
    this.#lastPlainEnd = plan.plaintextRange === null ? 0 : plan.plaintextRange.end - plan.lastChunk * keys.chunkSize + 1;
  }

  #sealedLength(index: number): number {
    const { chunkSize, layers } = this.keys;
    const plain = index < this.plan.chunkCount - 1 ? chunkSize : this.plaintextLength - index * chunkSize;
    return plain + TAG_LENGTH * layers;
  }

  write(data: Buffer, emit: Emit): void {
    let off = 0;
    while (off < data.length) {
      if (this.#index > this.plan.lastChunk) {
        throw new ObjectDecryptError('TrailingData', this.#index, 'ciphertext continues past the planned range');
      }
      const take = Math.min(this.#expected - this.#pendingLength, data.length - off);
      this.#pending.push(off === 0 && take === data.length ? data : data.subarray(off, off + take));
      this.#pendingLength += take;
      off += take;
      if (this.#pendingLength === this.#expected) this.#open(emit);
    }
  }

  end(): void {
    if (this.#index <= this.plan.lastChunk) {
      throw new ObjectDecryptError(
        'Truncated',
        this.#index,
        `ciphertext ended inside chunk ${this.#index} (${this.#pendingLength} of ${this.#expected} bytes)`,
      );
    }
  }

  #open(emit: Emit): void {
    const i = this.#index;
    const plain = openChunk(this.keys, i, i === this.plan.chunkCount - 1, this.#pending, this.#pendingLength);
    const from = i === this.plan.firstChunk ? this.plan.skip : 0;
    const to = i === this.plan.lastChunk ? this.#lastPlainEnd : this.keys.chunkSize;
    emitSlice(plain, from, to, emit);
    this.#index++;
    this.#pending = [];
    this.#pendingLength = 0;
    if (this.#index <= this.plan.lastChunk) this.#expected = this.#sealedLength(this.#index);
  }
}

/** Emits bytes [from, to) of the concatenation of `pieces`. */
function emitSlice(pieces: Buffer[], from: number, to: number, emit: Emit): void {
  let pos = 0;
  for (const piece of pieces) {
    const start = Math.max(from - pos, 0);
    const end = Math.min(to - pos, piece.length);
    if (start < end) emit(start === 0 && end === piece.length ? piece : piece.subarray(start, end));
    pos += piece.length;
    if (pos >= to) break;
  }
}

function chunkSizeOf(options: EncryptOptions): number {
  return options.chunkSize ?? DEFAULT_CHUNK_SIZE;
}

/**
 * Plaintext of unknown length in, sealed chunks out. The output's length is
 * ciphertextLength(plaintextLength, chunkSize, layers) once the input ends.
 */
export function createEncryptStream(dataKey: DataKeys, options: EncryptOptions): Transform {
  const sealer = new ChunkSealer(deriveChunkKeys(dataKey, chunkSizeOf(options), options.aad));
  return new Transform({
    // Deep buffers let reading, sealing and writing overlap instead of taking turns.
    readableHighWaterMark: STREAM_BUFFER,
    writableHighWaterMark: STREAM_BUFFER,
    transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        sealer.write(data, (piece) => this.push(piece));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        sealer.end((piece) => this.push(piece));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}

/**
 * Plans a read and returns the decrypting transform for it. Read the blob's bytes
 * `ciphertextRange` (inclusive) and pipe them through `stream`. The stream errors with
 * ObjectDecryptError on tampering, reordering, truncation or extra bytes, and never pushes
 * a byte of a chunk that did not verify.
 */
export function createDecryptStream(dataKey: DataKeys, options: DecryptOptions): DecryptStream {
  const keys = deriveChunkKeys(dataKey, chunkSizeOf(options), options.aad);
  const plan = planDecrypt(options.plaintextLength, keys.chunkSize, options.range, keys.layers);
  const opener = new ChunkOpener(keys, plan, options.plaintextLength);
  let pieces: Buffer[] = [];
  const flushPieces = (): void => {
    if (pieces.length === 1) stream.push(pieces[0]);
    else if (pieces.length > 1) stream.push(Buffer.concat(pieces));
    pieces = [];
  };
  const stream: Transform = new Transform({
    readableHighWaterMark: STREAM_BUFFER,
    writableHighWaterMark: STREAM_BUFFER,
    transform(data: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        // One push per input, not per 64 KiB chunk: each push becomes a socket write.
        opener.write(data, (piece) => pieces.push(piece));
        flushPieces();
        callback();
      } catch (err) {
        // The chunks that verified before the bad one still go out, as they would unbatched.
        flushPieces();
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        opener.end();
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
  return { ...plan, stream };
}

/** One-shot form for small objects held in memory (e.g. stored inline in metadata). */
export function encryptObject(dataKey: DataKeys, plaintext: Buffer, options: EncryptOptions): Buffer {
  const sealer = new ChunkSealer(deriveChunkKeys(dataKey, chunkSizeOf(options), options.aad));
  const out: Buffer[] = [];
  sealer.write(plaintext, (piece) => out.push(piece));
  sealer.end((piece) => out.push(piece));
  return Buffer.concat(out);
}

/**
 * One-shot decryption. `ciphertext` is the whole blob; only the chunks the range touches
 * are opened. Throws ObjectDecryptError like the stream does.
 */
export function decryptObject(dataKey: DataKeys, ciphertext: Buffer, options: DecryptOptions): Buffer {
  const keys = deriveChunkKeys(dataKey, chunkSizeOf(options), options.aad);
  const plan = planDecrypt(options.plaintextLength, keys.chunkSize, options.range, keys.layers);
  const opener = new ChunkOpener(keys, plan, options.plaintextLength);
  const out: Buffer[] = [];
  const wanted = ciphertext.subarray(plan.ciphertextRange.start, plan.ciphertextRange.end + 1);
  opener.write(wanted, (piece) => out.push(piece));
  opener.end();
  if (plan.lastChunk === plan.chunkCount - 1 && ciphertext.length > plan.ciphertextRange.end + 1) {
    throw new ObjectDecryptError('TrailingData', plan.chunkCount, 'ciphertext is longer than the object');
  }
  return Buffer.concat(out, plan.length);
}

/** Number of GCM layers a DataKeys value implies (1, or 2 for DSSE); for the range math. */
export function layerCount(dataKey: DataKeys): number {
  return Buffer.isBuffer(dataKey) ? 1 : dataKey.length;
}
