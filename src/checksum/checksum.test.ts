import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  CHECKSUM_ALGORITHMS, algorithmFromHeaderName, checksumHeaderName, compositeChecksum, computeChecksum, createChecksum,
  decodeChecksum, encodeChecksum, fullObjectChecksum, isValidChecksumValue, parseChecksumAlgorithm,
  parseCompositeChecksum, supportsChecksumType, type ChecksumAlgorithm,
} from './checksum.js';
import { crcCombine } from './crc-combine.js';
import { etagFromMd5, md5FromEtag, multipartEtag } from './etag.js';

const CHECK = Buffer.from('123456789');

test('CRC check values for "123456789" (reveng catalogue)', () => {
  assert.equal(computeChecksum('CRC32', CHECK).toString('hex'), 'cbf43926');
  assert.equal(computeChecksum('CRC32C', CHECK).toString('hex'), 'e3069283');
  assert.equal(computeChecksum('CRC64NVME', CHECK).toString('hex'), 'ae8b14860a799888');
});

test('empty input: CRCs are zero, SHAs are the empty digests', () => {
  assert.equal(encodeChecksum(computeChecksum('CRC32', [])), 'AAAAAA==');
  assert.equal(encodeChecksum(computeChecksum('CRC64NVME', [])), 'AAAAAAAAAAA=');
  assert.equal(computeChecksum('SHA256', []).toString('hex'), createHash('sha256').digest('hex'));
});

test('S3 documentation style values: base64 of the big-endian digest', () => {
  // sha256("Welcome to Amazon S3.") is the body hash of the S3 SigV4 PUT example.
  assert.equal(computeChecksum('SHA256', Buffer.from('Welcome to Amazon S3.')).toString('hex'),
    '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
  assert.equal(encodeChecksum(computeChecksum('CRC32', CHECK)), Buffer.from('cbf43926', 'hex').toString('base64'));
});

test('any split of the input, at any alignment, gives the same digest', () => {
  const data = randomBytes(300_000);
  for (const alg of CHECKSUM_ALGORITHMS) {
    const whole = computeChecksum(alg, data).toString('hex');
    for (let trial = 0; trial < 20; trial++) {
      const c = createChecksum(alg);
      let at = 0;
      while (at < data.length) {
        const n = Math.min(data.length - at, 1 + Math.floor(Math.random() * (trial % 2 ? 70 : 40_000)));
        c.update(data.subarray(at, at + n));
        at += n;
      }
      assert.equal(c.digest().toString('hex'), whole, `${alg} trial ${trial}`);
    }
  }
});

test('the word-read fast path agrees with the byte path for every offset', () => {
  const base = randomBytes(1000);
  for (const alg of ['CRC32C', 'CRC64NVME'] as const) {
    for (let off = 0; off < 8; off++) {
      const slice = base.subarray(off, off + 200);
      const bytewise = createChecksum(alg);
      for (let i = 0; i < slice.length; i++) bytewise.update(slice.subarray(i, i + 1));
      assert.equal(computeChecksum(alg, slice).toString('hex'), bytewise.digest().toString('hex'), `${alg} @${off}`);
    }
  }
});

test('agrees with the AWS SDK implementations when they are installed', async (t) => {
  let sdk: Record<string, new () => { update(d: Uint8Array): void; digest(): Promise<Uint8Array> }>;
  try {
    const spec = '@aws-sdk/checksums/crc';
    sdk = (await import(spec)) as typeof sdk;
  } catch {
    t.skip('@aws-sdk/checksums not installed');
    return;
  }
  const data = randomBytes(100_003);
  const pairs: Array<[ChecksumAlgorithm, string]> = [['CRC32', 'Crc32'], ['CRC32C', 'Crc32c'], ['CRC64NVME', 'Crc64Nvme']];
  for (const [alg, name] of pairs) {
    const Impl = sdk[name] ?? sdk[`${name}Js`];
    if (!Impl) continue;
    const h = new Impl();
    h.update(data);
    assert.equal(Buffer.from(await h.digest()).toString('hex'), computeChecksum(alg, data).toString('hex'), alg);
  }
});

test('header names and algorithm names', () => {
  assert.equal(checksumHeaderName('CRC64NVME'), 'x-amz-checksum-crc64nvme');
  assert.equal(algorithmFromHeaderName('X-Amz-Checksum-CRC32C'), 'CRC32C');
  assert.equal(algorithmFromHeaderName('x-amz-checksum-type'), undefined);
  assert.equal(algorithmFromHeaderName('x-amz-checksum-algorithm'), undefined);
  assert.equal(parseChecksumAlgorithm('sha1'), 'SHA1');
  assert.equal(parseChecksumAlgorithm('MD5'), undefined);
});

test('header values must be the canonical base64 of a digest of the right length', () => {
  assert.ok(isValidChecksumValue('CRC32', 'y/Q5Jg=='));
  assert.ok(!isValidChecksumValue('CRC32', 'y/Q5Jg'));     // no padding
  assert.ok(!isValidChecksumValue('CRC32', 'y/Q5Jg==AA')); // too long
  assert.ok(!isValidChecksumValue('CRC32C', 'not base64!'));
  assert.ok(!isValidChecksumValue('SHA256', 'y/Q5Jg=='));
  assert.equal(decodeChecksum('CRC32', 'y/Q5Jg==')?.toString('hex'), 'cbf43926');
});

test('COMPOSITE: checksum of the concatenated part digests, with -N', () => {
  const parts = [randomBytes(1000), randomBytes(5000), randomBytes(1)];
  for (const alg of ['CRC32', 'CRC32C', 'SHA1', 'SHA256'] as const) {
    const digests = parts.map((p) => computeChecksum(alg, p));
    const expected = encodeChecksum(computeChecksum(alg, Buffer.concat(digests))) + '-3';
    assert.equal(compositeChecksum(alg, digests), expected);
    assert.deepEqual(parseCompositeChecksum(expected), { digest: expected.slice(0, -2), parts: 3 });
  }
  assert.throws(() => compositeChecksum('CRC64NVME', []));
  assert.equal(parseCompositeChecksum('abc'), undefined);
});

test('FULL_OBJECT: combined part CRCs equal the CRC of the whole object', () => {
  for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
    for (let trial = 0; trial < 5; trial++) {
      const parts = Array.from({ length: 1 + trial * 2 }, (_, i) => randomBytes(i === 0 ? 0 : 1 + Math.floor(Math.random() * 20_000)));
      const combined = fullObjectChecksum(alg, parts.map((p) => ({ digest: computeChecksum(alg, p), length: p.length })));
      assert.equal(combined, encodeChecksum(computeChecksum(alg, parts)), `${alg} trial ${trial}`);
    }
  }
  assert.equal(fullObjectChecksum('CRC32', []), 'AAAAAA==');
});

test('CRC combine handles lengths beyond 2^32 (S3 objects reach 5 TiB)', () => {
  // crc(A ‖ zeros(n)) computed two ways: combine with crc(zeros(n)) vs. folding powers of two.
  const a = BigInt('0x' + computeChecksum('CRC32C', CHECK).toString('hex'));
  const zeros = (n: number): bigint => BigInt('0x' + computeChecksum('CRC32C', Buffer.alloc(n)).toString('hex'));
  const z1 = zeros(1 << 20);
  // zeros(2^21) = combine(zeros(2^20), zeros(2^20), 2^20)
  assert.equal(crcCombine('CRC32C', z1, z1, 1 << 20), zeros(1 << 21));
  assert.doesNotThrow(() => crcCombine('CRC64NVME', a, a, 5n * 2n ** 40n));
});

test('supported multipart checksum types per algorithm, as S3 documents', () => {
  assert.ok(supportsChecksumType('CRC64NVME', 'FULL_OBJECT') && !supportsChecksumType('CRC64NVME', 'COMPOSITE'));
  assert.ok(supportsChecksumType('SHA256', 'COMPOSITE') && !supportsChecksumType('SHA256', 'FULL_OBJECT'));
  assert.ok(supportsChecksumType('CRC32', 'COMPOSITE') && supportsChecksumType('CRC32', 'FULL_OBJECT'));
});

test('ETags: single part hex MD5, multipart MD5 of MD5s with -N', () => {
  const p1 = Buffer.from('hello ');
  const p2 = Buffer.from('world');
  const m1 = createHash('md5').update(p1).digest();
  const m2 = createHash('md5').update(p2).digest();
  assert.equal(etagFromMd5(m1), m1.toString('hex'));
  assert.equal(multipartEtag([m1, m2]), createHash('md5').update(Buffer.concat([m1, m2])).digest('hex') + '-2');
  assert.deepEqual(md5FromEtag(`"${m1.toString('hex')}"`), m1);
  assert.equal(md5FromEtag('"abc-2"'), undefined);
});
