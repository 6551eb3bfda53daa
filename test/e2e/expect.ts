import assert from 'node:assert/strict';
import type { S3ServiceException } from '@aws-sdk/client-s3';

/** Awaits a call that must fail with `code` (and `status`), and returns the error. */
export async function rejects(p: Promise<unknown>, code: string, status?: number): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as S3ServiceException;
    // A 304 has no body to name it; clients see only the status.
    if (code !== '304') assert.equal(err.name, code, `expected ${code}, got ${err.name}: ${err.message}`);
    if (status !== undefined) assert.equal(err.$metadata.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${code}`);
}
