import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Transform } from 'node:stream';
import { ciphertextLength } from './chunk-layout.js';
import { ObjectDecryptError } from './errors.js';
import {
  createDecryptStream,
  createEncryptStream,
  decryptObject,
  encryptObject,
  type DataKeys,
  type DecryptOptions,
} from './object-cipher.js';

// Deterministic piece sizes and ranges (mulberry32), so a failure reproduces.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(0xc0ffe4);
const randInt = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

/** Splits a buffer into pieces of random sizes up to maxPiece. */
function pieces(buf: Buffer, maxPiece: number): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < buf.length; ) {
    const n = Math.min(randInt(1, maxPiece), buf.length - off);
    out.push(buf.subarray(off, off + n));
    off += n;
  }
  return out;
}

interface Run { output: Buffer; error: unknown }
/** Writes the pieces into the transform, collecting what it emits until it ends or errors. */
function run(stream: Transform, input: Buffer[]): Promise<Run> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    const done = (error: unknown) => resolve({ output: Buffer.concat(got), error });
    stream.on('data', (b: Buffer) => got.push(b));
    stream.on('end', () => done(undefined));
    stream.on('error', done);
    (async () => {
      for (const p of input) {
        if (stream.destroyed) return;
        if (!stream.write(p)) await new Promise((r) => stream.once('drain', r));
      }
      stream.end();
    })();
  });
}

async function encryptStreamed(key: DataKeys, pt: Buffer, chunkSize: number, aad: string, maxPiece = 5000): Promise<Buffer> {
  const r = await run(createEncryptStream(key, { chunkSize, aad }), pieces(pt, maxPiece));
  assert.equal(r.error, undefined);
  return r.output;
}

async function decryptStreamed(key: DataKeys, blob: Buffer, options: DecryptOptions, maxPiece = 5000): Promise<Run> {
  const d = createDecryptStream(key, options);
  const ct = blob.subarray(d.ciphertextRange.start, d.ciphertextRange.end + 1);
  return run(d.stream, pieces(ct, maxPiece));
}

function assertDecryptError(error: unknown, reason: string, chunkIndex?: number): void {
  assert.ok(error instanceof ObjectDecryptError, `expected ObjectDecryptError, got ${String(error)}`);
  assert.equal(error.reason, reason);
  if (chunkIndex !== undefined) assert.equal(error.chunkIndex, chunkIndex);
}

const key = randomBytes(32);
const key2 = randomBytes(32);
const aad = 'bucket/photos/cat.jpg/3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY';

describe('object cipher round trips', () => {
  for (const chunkSize of [1, 16, 1000, 64 * 1024]) {
    const sizes = [0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 3 * chunkSize + 7, randInt(1, 5 * chunkSize)]
      .filter((n, i, all) => n >= 0 && all.indexOf(n) === i && n <= 400_000);
    for (const size of sizes) {
      it(`chunkSize ${chunkSize}, ${size} bytes: whole and ranged reads`, async () => {
        const pt = randomBytes(size);
        const blob = await encryptStreamed(key, pt, chunkSize, aad, chunkSize === 1 ? 50 : 3 * chunkSize);
        assert.equal(blob.length, ciphertextLength(size, chunkSize));
        // the format is deterministic given key and aad, whatever the write boundaries
        assert.deepEqual(blob, encryptObject(key, pt, { chunkSize, aad }));

        const opts = { chunkSize, aad, plaintextLength: size };
        const whole = await decryptStreamed(key, blob, opts);
        assert.equal(whole.error, undefined);
        assert.deepEqual(whole.output, pt);
        assert.deepEqual(decryptObject(key, blob, opts), pt);

        if (size === 0) return;
        const ranges = [
          { start: 0, end: 0 },
          { start: size - 1, end: size - 1 },
          { start: 0, end: size - 1 },
          { start: Math.min(chunkSize, size - 1), end: size - 1 },
        ];
        if (size > chunkSize) ranges.push({ start: chunkSize - 1, end: chunkSize }); // straddles a boundary
        for (let i = 0; i < 30; i++) {
          const start = randInt(0, size - 1);
          ranges.push({ start, end: randInt(start, Math.min(size - 1, start + randInt(0, 3 * chunkSize))) });
        }
        for (const range of ranges) {
          const r = await decryptStreamed(key, blob, { ...opts, range });
          assert.equal(r.error, undefined);
          assert.deepEqual(r.output, pt.subarray(range.start, range.end + 1), `range ${range.start}-${range.end}`);
          assert.deepEqual(decryptObject(key, blob, { ...opts, range }), pt.subarray(range.start, range.end + 1));
        }
      });
    }
  }

  it('accepts input and ciphertext one byte at a time', async () => {
    const pt = randomBytes(100);
    const blob = await encryptStreamed(key, pt, 7, aad, 1);
    const r = await decryptStreamed(key, blob, { chunkSize: 7, aad, plaintextLength: 100 }, 1);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.output, pt);
  });

  it('streams a multi-megabyte object with the default chunk size', async () => {
    const pt = randomBytes(5 * 1024 * 1024 + 123);
    const blob = await encryptStreamed(key, pt, 64 * 1024, aad, 200_000);
    const r = await decryptStreamed(key, blob, { aad, plaintextLength: pt.length }, 70_000);
    assert.equal(r.error, undefined);
    assert.ok(r.output.equals(pt));
  });

  it('rejects data keys that are not 32 bytes', () => {
    assert.throws(() => createEncryptStream(randomBytes(16), { aad }), RangeError);
    assert.throws(() => createDecryptStream([key, randomBytes(31)], { aad, plaintextLength: 0 }), RangeError);
  });
});

describe('object cipher integrity', () => {
  const C = 64;
  const size = 5 * C + 10; // 6 chunks, the last partial
  const pt = randomBytes(size);
  const blob = encryptObject(key, pt, { chunkSize: C, aad });
  const opts = { chunkSize: C, aad, plaintextLength: size };
  const stride = C + 16;

  it('detects a flipped bit in any byte of any chunk and emits nothing of that chunk', async () => {
    for (let at = 0; at < blob.length; at += randInt(1, 9)) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 1 << randInt(0, 7);
      const chunk = Math.floor(at / stride);
      const r = await decryptStreamed(key, bad, opts);
      assertDecryptError(r.error, 'ChunkAuthFailed', chunk);
      // only the verified chunks before it were emitted
      assert.deepEqual(r.output, pt.subarray(0, chunk * C));
      assert.throws(() => decryptObject(key, bad, opts), ObjectDecryptError);
    }
  });

  it('detects a flipped bit inside a ranged read', async () => {
    const bad = Buffer.from(blob);
    bad[2 * stride + 5]! ^= 0x80;
    const r = await decryptStreamed(key, bad, { ...opts, range: { start: 2 * C + 3, end: 2 * C + 4 } });
    assertDecryptError(r.error, 'ChunkAuthFailed', 2);
    assert.equal(r.output.length, 0);
  });

  it('detects truncation at a chunk boundary', async () => {
    const short = blob.subarray(0, 3 * stride);
    const r = await decryptStreamed(key, short, opts);
    assertDecryptError(r.error, 'Truncated', 3);
    assert.deepEqual(r.output, pt.subarray(0, 3 * C));
    // also when the recorded length is forged to match: chunk 2 was not sealed as final
    const forged = await decryptStreamed(key, short, { ...opts, plaintextLength: 3 * C });
    assertDecryptError(forged.error, 'ChunkAuthFailed', 2);
    assert.throws(() => decryptObject(key, short, { ...opts, plaintextLength: 3 * C }), ObjectDecryptError);
  });

  it('detects truncation inside a chunk and a dropped empty chunk', async () => {
    const r = await decryptStreamed(key, blob.subarray(0, blob.length - 1), opts);
    assertDecryptError(r.error, 'Truncated', 5);
    const empty = encryptObject(key, Buffer.alloc(0), { chunkSize: C, aad });
    assert.equal(empty.length, 16);
    const gone = await decryptStreamed(key, Buffer.alloc(0), { ...opts, plaintextLength: 0 });
    assertDecryptError(gone.error, 'Truncated', 0);
    const ok = await decryptStreamed(key, empty, { ...opts, plaintextLength: 0 });
    assert.equal(ok.error, undefined);
    assert.equal(ok.output.length, 0);
  });

  it('detects an exact-multiple object extended by a forged final chunk', async () => {
    const exact = randomBytes(2 * C);
    const sealed = encryptObject(key, exact, { chunkSize: C, aad });
    const longer = encryptObject(key, Buffer.concat([exact, Buffer.from('x')]), { chunkSize: C, aad });
    // the first two chunks of the longer object are not final: they cannot stand for `exact`
    const r = await decryptStreamed(key, longer.subarray(0, 2 * stride), { ...opts, plaintextLength: 2 * C });
    assertDecryptError(r.error, 'ChunkAuthFailed', 1);
    assert.deepEqual(decryptObject(key, sealed, { ...opts, plaintextLength: 2 * C }), exact);
  });

  it('rejects bytes beyond the planned range', async () => {
    const d = createDecryptStream(key, { ...opts, range: { start: 0, end: 5 } });
    const ct = blob.subarray(0, d.ciphertextRange.end + 2);
    const r = await run(d.stream, [ct]);
    assertDecryptError(r.error, 'TrailingData');
    assert.throws(() => decryptObject(key, Buffer.concat([blob, Buffer.alloc(1)]), opts), ObjectDecryptError);
  });

  it('detects swapped chunks', async () => {
    const swapped = Buffer.from(blob);
    blob.copy(swapped, 1 * stride, 3 * stride, 4 * stride);
    blob.copy(swapped, 3 * stride, 1 * stride, 2 * stride);
    const r = await decryptStreamed(key, swapped, opts);
    assertDecryptError(r.error, 'ChunkAuthFailed', 1);
    assert.deepEqual(r.output, pt.subarray(0, C));
  });

  it('detects a chunk moved from another object under the same key', async () => {
    const other = encryptObject(key, randomBytes(size), { chunkSize: C, aad: aad + 'x' });
    const mixed = Buffer.from(blob);
    other.copy(mixed, 2 * stride, 2 * stride, 3 * stride);
    assertDecryptError((await decryptStreamed(key, mixed, opts)).error, 'ChunkAuthFailed', 2);
  });

  it('fails with a wrong aad, key or chunk size', async () => {
    assertDecryptError((await decryptStreamed(key, blob, { ...opts, aad: aad + ' ' })).error, 'ChunkAuthFailed', 0);
    assertDecryptError((await decryptStreamed(key2, blob, opts)).error, 'ChunkAuthFailed', 0);
    const other = encryptObject(key, pt, { chunkSize: C * 2, aad });
    assert.equal(other.length, ciphertextLength(size, 2 * C));
    const r = await decryptStreamed(key, other, opts);
    assert.ok(r.error instanceof ObjectDecryptError);
    assert.equal(r.output.length, 0);
  });
});

describe('dual-layer (DSSE) chunks', () => {
  const C = 100;
  const keys = [key, key2] as const;

  it('round-trips whole and ranged reads with two keys', async () => {
    for (const size of [0, 1, C, C + 1, 7 * C + 3]) {
      const pt = randomBytes(size);
      const blob = await encryptStreamed(keys, pt, C, aad, 333);
      assert.equal(blob.length, ciphertextLength(size, C, 2));
      const opts = { chunkSize: C, aad, plaintextLength: size };
      assert.deepEqual((await decryptStreamed(keys, blob, opts)).output, pt);
      for (let i = 0; i < 20 && size > 0; i++) {
        const start = randInt(0, size - 1);
        const range = { start, end: randInt(start, size - 1) };
        const d = createDecryptStream(keys, { ...opts, range });
        // a ranged read touches only whole sealed chunks of stride C + 32
        assert.equal(d.ciphertextRange.start, d.firstChunk * (C + 32));
        const r = await decryptStreamed(keys, blob, { ...opts, range });
        assert.equal(r.error, undefined);
        assert.deepEqual(r.output, pt.subarray(range.start, range.end + 1));
      }
    }
  });

  it('needs both keys, in order', async () => {
    const pt = randomBytes(3 * C);
    const blob = encryptObject(keys, pt, { chunkSize: C, aad });
    const opts = { chunkSize: C, aad, plaintextLength: pt.length };
    assertDecryptError((await decryptStreamed([key2, key], blob, opts)).error, 'ChunkAuthFailed', 0);
    assertDecryptError((await decryptStreamed([key, key], blob, opts)).error, 'ChunkAuthFailed', 0);
    const single = await decryptStreamed(key, blob, opts);
    assert.ok(single.error instanceof ObjectDecryptError);
    assert.equal(single.output.length, 0);
    // each layer is independent: a tampered chunk fails at the outer tag already
    const bad = Buffer.from(blob);
    bad[C + 32 + 3]! ^= 4;
    assertDecryptError((await decryptStreamed(keys, bad, opts)).error, 'ChunkAuthFailed', 1);
  });
});
