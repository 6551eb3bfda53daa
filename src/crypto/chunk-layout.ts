// Pure arithmetic of the chunked object format (see README.md in this folder).
//
// Layout: the blob is the concatenation of sealed chunks, no header. With `layers` GCM
// layers (1 normally, 2 for DSSE) every chunk carries one 16-byte tag per layer, so
//
//   stride            = chunkSize + 16 * layers
//   offset of chunk i = i * stride
//   chunk i           = ciphertext of plaintext[i*chunkSize, (i+1)*chunkSize) ‖ tags
//
// Every chunk but the last holds exactly chunkSize plaintext bytes; the last holds
// 1..chunkSize bytes, or 0 when the object is empty (an empty object still has one sealed
// chunk so that "empty" is authenticated). An object whose length is an exact multiple of
// chunkSize therefore has no trailing empty chunk: the last full chunk carries the final
// flag. The chunk size and the plaintext length live in the object's metadata, so the
// position of any byte is computable without reading the blob.
//
// All ranges here are inclusive at both ends ({start, end}), as in an HTTP Range header
// and in fs.createReadStream({ start, end }).

export const TAG_LENGTH = 16;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Upper bound keeps the one chunk a stream buffers small, and far from GCM's 64 GiB limit. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** DSSE needs 2; more is allowed by the format but pointless. */
export const MAX_LAYERS = 4;

export interface ByteRange {
  /** first byte, inclusive */
  start: number;
  /** last byte, inclusive */
  end: number;
}

export interface DecryptPlan {
  /** total number of chunks in the object (at least 1) */
  chunkCount: number;
  /** first and last chunk the read touches (inclusive) */
  firstChunk: number;
  lastChunk: number;
  /** bytes of the blob to read: exactly the chunks firstChunk..lastChunk */
  ciphertextRange: ByteRange;
  /** the plaintext bytes emitted; null when the object is empty */
  plaintextRange: ByteRange | null;
  /** plaintext bytes of firstChunk to drop before the first emitted byte */
  skip: number;
  /** number of plaintext bytes emitted (the response's Content-Length) */
  length: number;
}

export function assertChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunkSize must be an integer in [1, ${MAX_CHUNK_SIZE}], got ${chunkSize}`);
  }
}

export function assertLayers(layers: number): void {
  if (!Number.isSafeInteger(layers) || layers < 1 || layers > MAX_LAYERS) {
    throw new RangeError(`layers must be an integer in [1, ${MAX_LAYERS}], got ${layers}`);
  }
}

function assertLength(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${n}`);
  }
}

/** Ciphertext bytes per full chunk. */
export function chunkStride(chunkSize: number, layers = 1): number {
  assertChunkSize(chunkSize);
  assertLayers(layers);
  return chunkSize + TAG_LENGTH * layers;
}

/** Number of sealed chunks: ceil(length / chunkSize), but at least 1 (the empty object). */
export function chunkCount(plaintextLength: number, chunkSize: number): number {
  assertLength('plaintextLength', plaintextLength);
  assertChunkSize(chunkSize);
  return plaintextLength === 0 ? 1 : Math.ceil(plaintextLength / chunkSize);
}

/** Plaintext bytes held by chunk `index`. */
export function chunkPlaintextLength(index: number, plaintextLength: number, chunkSize: number): number {
  const count = chunkCount(plaintextLength, chunkSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`chunk index ${index} outside [0, ${count})`);
  }
  return index < count - 1 ? chunkSize : plaintextLength - (count - 1) * chunkSize;
}

/** Byte offset of chunk `index` in the blob. */
export function chunkCiphertextOffset(index: number, chunkSize: number, layers = 1): number {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad chunk index ${index}`);
  return index * chunkStride(chunkSize, layers);
}

/** Size of the blob holding `plaintextLength` bytes. */
export function ciphertextLength(plaintextLength: number, chunkSize: number, layers = 1): number {
  assertLayers(layers);
  return plaintextLength + TAG_LENGTH * layers * chunkCount(plaintextLength, chunkSize);
}

/**
 * Inverse of ciphertextLength, for consistency checks (a blob whose size disagrees with
 * its metadata). Throws RangeError when no plaintext length produces `ctLength`.
 */
export function plaintextLengthFor(ctLength: number, chunkSize: number, layers = 1): number {
  assertLength('ciphertextLength', ctLength);
  const stride = chunkStride(chunkSize, layers);
  const count = Math.max(1, Math.ceil(ctLength / stride));
  const pt = ctLength - TAG_LENGTH * layers * count;
  if (pt < 0 || chunkCount(pt, chunkSize) !== count) {
    throw new RangeError(`${ctLength} is not a valid ciphertext length for chunkSize ${chunkSize}`);
  }
  return pt;
}

/**
 * What to read and what to emit for a plaintext range (the whole object when `range` is
 * omitted). The range must lie inside the object: resolving suffix ranges, clamping an
 * end past the object and answering 416 belong to the caller. An empty object can only be
 * read whole, which still reads and verifies its one empty chunk.
 */
export function planDecrypt(
  plaintextLength: number,
  chunkSize: number,
  range?: ByteRange,
  layers = 1,
): DecryptPlan {
  const count = chunkCount(plaintextLength, chunkSize);
  const stride = chunkStride(chunkSize, layers);
  let pt: ByteRange | null;
  if (range === undefined) {
    pt = plaintextLength === 0 ? null : { start: 0, end: plaintextLength - 1 };
  } else {
    const { start, end } = range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end >= plaintextLength) {
      throw new RangeError(`range ${start}-${end} is not inside an object of ${plaintextLength} bytes`);
    }
    pt = { start, end };
  }
  if (pt === null) {
    return {
      chunkCount: 1,
      firstChunk: 0,
      lastChunk: 0,
      ciphertextRange: { start: 0, end: TAG_LENGTH * layers - 1 },
      plaintextRange: null,
      skip: 0,
      length: 0,
    };
  }
  const firstChunk = Math.floor(pt.start / chunkSize);
  const lastChunk = Math.floor(pt.end / chunkSize);
  const ctEnd =
    lastChunk === count - 1
      ? ciphertextLength(plaintextLength, chunkSize, layers) - 1
      : (lastChunk + 1) * stride - 1;
  return {
    chunkCount: count,
    firstChunk,
    lastChunk,
    ciphertextRange: { start: firstChunk * stride, end: ctEnd },
    plaintextRange: pt,
    skip: pt.start - firstChunk * chunkSize,
    length: pt.end - pt.start + 1,
  };
}
