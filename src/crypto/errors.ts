// Typed failures of the crypto library. Callers map them to their own error shapes
// (an S3 service turns ObjectDecryptError into InternalError, CustomerKeyError into
// InvalidArgument, ...): the library never knows about AWS error codes.
//
// Programming mistakes (a 31-byte data key, a negative chunk size, a range outside the
// object) are thrown as plain TypeError/RangeError instead: they are bugs, not conditions
// a caller should branch on.

export abstract class CryptoError extends Error {
  abstract readonly code: string;
}

export type ObjectDecryptFailure =
  /** a chunk's tag did not verify: tampered bytes, wrong key, wrong aad, swapped chunks */
  | 'ChunkAuthFailed'
  /** the ciphertext ended before the last chunk the plan needs */
  | 'Truncated'
  /** more ciphertext arrived than the plan covers */
  | 'TrailingData';

export class ObjectDecryptError extends CryptoError {
  readonly code = 'ObjectDecryptError';
  constructor(
    readonly reason: ObjectDecryptFailure,
    /** index of the chunk being opened when the failure was noticed */
    readonly chunkIndex: number,
    message: string,
  ) {
    super(message);
    this.name = 'ObjectDecryptError';
  }
}

export type KeyUnwrapFailure = 'Malformed' | 'UnsupportedVersion' | 'AuthFailed';

export class KeyUnwrapError extends CryptoError {
  readonly code = 'KeyUnwrapError';
  constructor(
    readonly reason: KeyUnwrapFailure,
    message: string,
  ) {
    super(message);
    this.name = 'KeyUnwrapError';
  }
}

export type RootKeyFailure =
  | 'InvalidBase64'
  | 'WrongLength'
  | 'FileModeTooOpen'
  | 'FileWrongSize'
  | 'NotARegularFile';

export class RootKeyError extends CryptoError {
  readonly code = 'RootKeyError';
  constructor(
    readonly reason: RootKeyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RootKeyError';
  }
}

export type CustomerKeyFailure =
  /** the key header is not base64 of exactly 32 bytes */
  | 'InvalidKey'
  /** the key-MD5 header is not base64 of exactly 16 bytes */
  | 'InvalidKeyMd5'
  /** the key-MD5 header does not match the key */
  | 'Md5Mismatch';

export class CustomerKeyError extends CryptoError {
  readonly code = 'CustomerKeyError';
  constructor(
    readonly reason: CustomerKeyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'CustomerKeyError';
  }
}
