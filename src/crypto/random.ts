// Randomness is injected so tests can be deterministic; production passes nothing and
// gets the operating system's CSPRNG.
import { randomBytes } from 'node:crypto';

/** Returns `size` bytes that must be unpredictable (keys, nonces, salts). */
export type RandomSource = (size: number) => Buffer;

export const systemRandom: RandomSource = (size) => randomBytes(size);

/** Calls `random` and checks it kept its contract, so a broken stub cannot yield short nonces. */
export function draw(random: RandomSource, size: number): Buffer {
  const bytes = random(size);
  if (!Buffer.isBuffer(bytes) || bytes.length !== size) {
    throw new TypeError(`random source returned ${Buffer.isBuffer(bytes) ? bytes.length : typeof bytes} bytes, wanted ${size}`);
  }
  return bytes;
}

/** A fresh 256-bit key: one per object version (data keys), per salt, per root key file. */
export function generateKey(random: RandomSource = systemRandom): Buffer {
  return draw(random, 32);
}
