import type { Readable } from 'node:stream';
import { s3Error } from '../../errors/s3.js';
import type { RequestBody } from '../../services/s3/types.js';
import { MalformedXmlError, parseXml } from './xml.js';

/** An S3-style request after routing and authentication, before decoding into an operation input. */
export interface RestRequest {
  method: string;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  /** Lower-case names; repeated headers joined with ",". */
  headers: Record<string, string>;
  body: RequestBody;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string | number | undefined>;
  body?: string | Buffer | Readable;
}

/** Reads a small request body (an XML or JSON document) after its verification passed. */
export async function readSmallBody(body: RequestBody, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body.stream as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) {
      body.stream.destroy();
      throw s3Error('EntityTooLarge', 'Your request body is too large.');
    }
    chunks.push(c);
  }
  await body.done;
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses an XML body; `MalformedXML` for anything not well-formed or missing its root. */
export async function readXmlBody(body: RequestBody, root: string, limit?: number): Promise<Record<string, unknown>> {
  const text = await readSmallBody(body, limit);
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(text);
  } catch (e) {
    if (e instanceof MalformedXmlError) throw s3Error('MalformedXML');
    throw e;
  }
  const r = doc[root];
  if (r === undefined) throw s3Error('MalformedXML');
  return (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
}

/** Drains a body the operation does not use, still verifying it. */
export async function discardBody(body: RequestBody): Promise<void> {
  for await (const _ of body.stream) { /* drain */ }
  await body.done;
}
