/**
 * CRC combination: the CRC of A‖B from crc(A), crc(B) and the length of B, without the
 * bytes. S3 uses it for FULL_OBJECT checksums of multipart uploads (the CRC of the whole
 * object from the parts' CRCs).
 *
 * Method (zlib's crc32_combine since 1.2.12): for CRCs whose init and xorout are both all
 * ones, crc(A‖B) = crc(A)·x^(8·len(B)) mod P  ⊕  crc(B). Polynomials are kept reflected, as
 * the registers are. BigInt is fine: this runs once per part, not per byte.
 */

export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

interface CrcParams {
  readonly width: bigint;
  readonly poly: bigint; // reflected
  /** x^(2^k) mod P for k = 0..63, filled lazily. */
  readonly powers: bigint[];
}

const PARAMS: Record<CrcAlgorithm, CrcParams> = {
  CRC32: { width: 32n, poly: 0xedb88320n, powers: [] },
  CRC32C: { width: 32n, poly: 0x82f63b78n, powers: [] },
  CRC64NVME: { width: 64n, poly: 0x9a6c9329ac4bc9b5n, powers: [] },
};

/** a(x)·b(x) mod P, reflected representation (the top bit is x^0). */
function multModP(p: CrcParams, a: bigint, b: bigint): bigint {
  let m = 1n << (p.width - 1n);
  let product = 0n;
  while (m !== 0n) {
    if (a & m) product ^= b;
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ p.poly : b >> 1n;
  }
  return product;
}

function powerOfTwoExponent(p: CrcParams, k: number): bigint {
  if (p.powers.length === 0) p.powers.push(1n << (p.width - 2n)); // x^1
  while (p.powers.length <= k) {
    const last = p.powers[p.powers.length - 1]!;
    p.powers.push(multModP(p, last, last));
  }
  return p.powers[k]!;
}

/** x^(8·n) mod P. */
function xPow8n(p: CrcParams, n: bigint): bigint {
  let result = 1n << (p.width - 1n); // x^0
  let k = 3; // 8·n = n·2^3
  while (n > 0n) {
    if (n & 1n) result = multModP(p, powerOfTwoExponent(p, k), result);
    n >>= 1n;
    k++;
  }
  return result;
}

/** crc(A‖B) from the finished values crc(A), crc(B) and len(B) in bytes. */
export function crcCombine(algorithm: CrcAlgorithm, crcA: bigint, crcB: bigint, lengthB: number | bigint): bigint {
  const p = PARAMS[algorithm];
  const len = BigInt(lengthB);
  if (len === 0n) return crcA;
  return multModP(p, xPow8n(p, len), crcA) ^ crcB;
}

function toBigInt(digest: Uint8Array): bigint {
  return BigInt('0x' + (Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('hex') || '0'));
}

function fromBigInt(value: bigint, bytes: number): Buffer {
  return Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex');
}

/**
 * The full-object CRC of consecutive parts, each given by its big-endian digest (as S3
 * sends it, base64-decoded) and its length. No parts gives the CRC of the empty string.
 */
export function combineCrcDigests(
  algorithm: CrcAlgorithm,
  parts: ReadonlyArray<{ readonly digest: Uint8Array; readonly length: number }>,
): Buffer {
  const bytes = algorithm === 'CRC64NVME' ? 8 : 4;
  let crc = 0n; // crc of the empty string, for these three CRCs
  for (const part of parts) {
    if (part.digest.length !== bytes) throw new RangeError(`${algorithm} digest must be ${bytes} bytes`);
    crc = crcCombine(algorithm, crc, toBigInt(part.digest), part.length);
  }
  return fromBigInt(crc, bytes);
}
