/**
 * The encryption an object reports. Every object is sealed with SSE-S3 until bucket and
 * request encryption settings (SSE-KMS, DSSE-KMS, SSE-C) exist.
 */
export function defaultEncryption(): Record<string, string> {
  return { 'x-amz-server-side-encryption': 'AES256' };
}
