/**
 * S3 ETags. A single-part object's ETag is the hex MD5 of its bytes (for SSE-S3 and
 * plaintext); a multipart object's is the hex MD5 of the concatenated binary part MD5s,
 * followed by `-<part count>`. Values here are unquoted; the wire form adds the quotes.
 */
import { createHash } from 'node:crypto';

export function etagFromMd5(md5: Uint8Array): string {
  return Buffer.from(md5.buffer, md5.byteOffset, md5.byteLength).toString('hex');
}

export function multipartEtag(partMd5s: readonly Uint8Array[]): string {
  const hash = createHash('md5');
  for (const md5 of partMd5s) hash.update(md5);
  return `${hash.digest('hex')}-${partMd5s.length}`;
}

/** The binary MD5 in a part's ETag (quoted or not), or undefined if it is not one. */
export function md5FromEtag(etag: string): Buffer | undefined {
  const m = /^"?([0-9a-fA-F]{32})"?$/.exec(etag.trim());
  return m ? Buffer.from(m[1]!, 'hex') : undefined;
}
