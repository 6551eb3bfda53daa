import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chunkCiphertextOffset,
  chunkCount,
  chunkPlaintextLength,
  chunkStride,
  ciphertextLength,
  DEFAULT_CHUNK_SIZE,
  planDecrypt,
  plaintextLengthFor,
  type DecryptPlan,
} from './chunk-layout.js';

const K = DEFAULT_CHUNK_SIZE;

// An independent model: lay the chunks out one by one and look bytes up, instead of
// using the closed-form arithmetic under test.
interface ModelChunk { ptStart: number; ptEnd: number; ctStart: number; ctEnd: number }
function modelChunks(length: number, chunkSize: number, layers: number): ModelChunk[] {
  const chunks: ModelChunk[] = [];
  let pt = 0;
  let ct = 0;
  do {
    const n = Math.min(chunkSize, length - pt);
    chunks.push({ ptStart: pt, ptEnd: pt + n, ctStart: ct, ctEnd: ct + n + 16 * layers });
    pt += n;
    ct += n + 16 * layers;
  } while (pt < length);
  return chunks;
}
function modelPlan(length: number, chunkSize: number, layers: number, range?: { start: number; end: number }): DecryptPlan {
  const chunks = modelChunks(length, chunkSize, layers);
  const r = range ?? (length === 0 ? null : { start: 0, end: length - 1 });
  const touched = r === null ? [0] : chunks.flatMap((c, i) => (c.ptStart <= r.end && c.ptEnd > r.start ? [i] : []));
  const first = touched[0]!;
  const last = touched[touched.length - 1]!;
  return {
    chunkCount: chunks.length,
    firstChunk: first,
    lastChunk: last,
    ciphertextRange: { start: chunks[first]!.ctStart, end: chunks[last]!.ctEnd - 1 },
    plaintextRange: r,
    skip: r === null ? 0 : r.start - chunks[first]!.ptStart,
    length: r === null ? 0 : r.end - r.start + 1,
  };
}

describe('chunk layout arithmetic', () => {
  it('counts chunks, with one chunk for the empty object', () => {
    assert.equal(chunkCount(0, K), 1);
    assert.equal(chunkCount(1, K), 1);
    assert.equal(chunkCount(K - 1, K), 1);
    assert.equal(chunkCount(K, K), 1);
    assert.equal(chunkCount(K + 1, K), 2);
    assert.equal(chunkCount(10 * K, K), 10);
    assert.equal(chunkCount(5 * 1024 ** 4, K), 5 * 1024 ** 4 / K); // 5 TiB, S3's maximum
  });

  it('computes ciphertext lengths', () => {
    assert.equal(ciphertextLength(0, K), 16);
    assert.equal(ciphertextLength(1, K), 17);
    assert.equal(ciphertextLength(K, K), K + 16);
    assert.equal(ciphertextLength(K + 1, K), K + 1 + 32);
    assert.equal(ciphertextLength(3 * K, K), 3 * (K + 16));
    assert.equal(ciphertextLength(0, K, 2), 32);
    assert.equal(ciphertextLength(K + 1, K, 2), K + 1 + 64);
  });

  it('places chunk i at i * (chunkSize + 16 * layers)', () => {
    assert.equal(chunkStride(K), K + 16);
    assert.equal(chunkCiphertextOffset(0, K), 0);
    assert.equal(chunkCiphertextOffset(7, K), 7 * (K + 16));
    assert.equal(chunkCiphertextOffset(7, K, 2), 7 * (K + 32));
  });

  it('gives each chunk its plaintext length', () => {
    assert.equal(chunkPlaintextLength(0, 0, K), 0);
    assert.equal(chunkPlaintextLength(0, K, K), K);
    assert.equal(chunkPlaintextLength(1, K + 1, K), 1);
    assert.equal(chunkPlaintextLength(0, K + 1, K), K);
    assert.throws(() => chunkPlaintextLength(1, K, K), RangeError);
  });

  it('inverts ciphertextLength and rejects impossible blob sizes', () => {
    for (const c of [1, 2, 5, 16]) {
      for (const layers of [1, 2]) {
        const valid = new Set<number>();
        for (let n = 0; n <= 60; n++) {
          const ct = ciphertextLength(n, c, layers);
          valid.add(ct);
          assert.equal(plaintextLengthFor(ct, c, layers), n);
        }
        const max = ciphertextLength(60, c, layers);
        for (let ct = 0; ct <= max; ct++) {
          if (!valid.has(ct)) assert.throws(() => plaintextLengthFor(ct, c, layers), RangeError, `ct=${ct} c=${c}`);
        }
      }
    }
  });

  it('rejects bad parameters', () => {
    assert.throws(() => chunkCount(-1, K), RangeError);
    assert.throws(() => chunkCount(1.5, K), RangeError);
    assert.throws(() => chunkCount(1, 0), RangeError);
    assert.throws(() => chunkCount(1, 2 ** 25), RangeError);
    assert.throws(() => ciphertextLength(1, K, 0), RangeError);
    assert.throws(() => ciphertextLength(1, K, 5), RangeError);
  });
});

describe('planDecrypt', () => {
  it('matches the model for every range of small objects', () => {
    let cases = 0;
    for (const chunkSize of [1, 2, 3, 4, 7, 16]) {
      for (const layers of [1, 2]) {
        for (let length = 0; length <= 3 * chunkSize + 2 && length <= 40; length++) {
          assert.deepEqual(planDecrypt(length, chunkSize, undefined, layers), modelPlan(length, chunkSize, layers));
          for (let start = 0; start < length; start++) {
            for (let end = start; end < length; end++) {
              const range = { start, end };
              assert.deepEqual(
                planDecrypt(length, chunkSize, range, layers),
                modelPlan(length, chunkSize, layers, range),
                `len=${length} c=${chunkSize} L=${layers} ${start}-${end}`,
              );
              cases++;
            }
          }
        }
      }
    }
    assert.ok(cases > 10_000);
  });

  it('plans the whole empty object as its one 16-byte chunk', () => {
    assert.deepEqual(planDecrypt(0, K), {
      chunkCount: 1, firstChunk: 0, lastChunk: 0,
      ciphertextRange: { start: 0, end: 15 }, plaintextRange: null, skip: 0, length: 0,
    });
  });

  it('handles 64 KiB boundaries', () => {
    const len = 3 * K; // exact multiple: no trailing empty chunk
    const whole = planDecrypt(len, K);
    assert.deepEqual(whole.ciphertextRange, { start: 0, end: 3 * (K + 16) - 1 });
    assert.equal(whole.chunkCount, 3);

    const lastByte = planDecrypt(len, K, { start: len - 1, end: len - 1 });
    assert.deepEqual([lastByte.firstChunk, lastByte.lastChunk, lastByte.skip, lastByte.length], [2, 2, K - 1, 1]);
    assert.deepEqual(lastByte.ciphertextRange, { start: 2 * (K + 16), end: 3 * (K + 16) - 1 });

    const firstOfSecond = planDecrypt(len, K, { start: K, end: K });
    assert.deepEqual([firstOfSecond.firstChunk, firstOfSecond.lastChunk, firstOfSecond.skip], [1, 1, 0]);
    assert.deepEqual(firstOfSecond.ciphertextRange, { start: K + 16, end: 2 * (K + 16) - 1 });

    const straddle = planDecrypt(len, K, { start: K - 1, end: K });
    assert.deepEqual([straddle.firstChunk, straddle.lastChunk, straddle.skip, straddle.length], [0, 1, K - 1, 2]);

    const tail = planDecrypt(K + 1, K, { start: K, end: K });
    assert.deepEqual(tail.ciphertextRange, { start: K + 16, end: K + 16 + 17 - 1 });
  });

  it('rejects ranges outside the object', () => {
    assert.throws(() => planDecrypt(0, K, { start: 0, end: 0 }), RangeError);
    assert.throws(() => planDecrypt(10, K, { start: 5, end: 10 }), RangeError);
    assert.throws(() => planDecrypt(10, K, { start: 5, end: 4 }), RangeError);
    assert.throws(() => planDecrypt(10, K, { start: -1, end: 4 }), RangeError);
    assert.throws(() => planDecrypt(10, K, { start: 0.5, end: 4 }), RangeError);
  });
});
