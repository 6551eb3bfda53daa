/**
 * The call shape src/server/authenticate.ts was written against, kept as a thin adapter
 * over `createPayloadPipeline` (payload.ts). New code should call that directly.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { s3Error } from '../errors/s3.js';
import type { HashPool } from '../checksum/hash-pool.js';
import { EMPTY_SHA256 } from './sigv4.js';
import { headerValue } from './payload-mode.js';
import { createPayloadPipeline, type PayloadSummary } from './payload.js';
import type { AuthResult } from './verify.js';

export interface VerifiedBody {
  stream: Readable;
  done: Promise<PayloadSummary>;
  /** Decoded length, when the request declares it. */
  length?: number;
  /** Raw (encoded) bytes read so far. */
  received(): number;
}

/**
 * The request body as the operation should see it: de-chunked, verified, and failing with
 * IncompleteBody when the client goes away early. `beforeRead` runs once when reading
 * starts (it sends `100 Continue`).
 */
export function verifiedBody(req: IncomingMessage, auth: AuthResult, beforeRead: () => void, hashPool?: HashPool): VerifiedBody {
  const empty = emptyBody(req, auth);
  if (empty) return empty;
  const body = createPayloadPipeline(req, auth, req.headers, hashPool ? { hashPool } : {});
  const stream = body.stream;
  let started = false;
  const read = stream._read.bind(stream);
  stream._read = (size: number): void => {
    if (!started) {
      started = true;
      beforeRead();
    }
    read(size);
  };
  const chunked = auth.kind === 'sigv4' && (auth.payload.kind === 'streaming-signed' || auth.payload.kind === 'streaming-unsigned-trailer');
  const declared = headerValue(req.headers, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  const out: VerifiedBody = { stream, done: body.done, received: body.received };
  if (declared !== undefined && /^\d+$/.test(declared)) out.length = Number(declared);
  return out;
}

const EMPTY_MD5 = createHash('md5').digest();

/**
 * GET, HEAD and DELETE requests almost never carry a body: with no Content-Length, no
 * transfer coding and no body checksums to verify, the only check left is the signed
 * payload hash, made here without building a verification pipeline for zero bytes.
 */
function emptyBody(req: IncomingMessage, auth: AuthResult): VerifiedBody | undefined {
  const m = req.method;
  if (m !== 'GET' && m !== 'HEAD' && m !== 'DELETE') return undefined;
  const h = req.headers;
  if ((h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined) return undefined;
  if (h['content-md5'] !== undefined || h['x-amz-trailer'] !== undefined) return undefined;
  for (const name of Object.keys(h)) if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-mode') return undefined;
  const mode = auth.kind === 'sigv4' ? auth.payload : { kind: 'unsigned' as const };
  if (mode.kind !== 'unsigned' && mode.kind !== 'sha256') return undefined;
  if (mode.kind === 'sha256' && mode.expected !== EMPTY_SHA256) {
    const err = s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: mode.expected, S3ComputedContentSHA256: EMPTY_SHA256 });
    const done = Promise.reject(err);
    done.catch(() => undefined);
    const stream = new Readable({ read() { this.destroy(err); } });
    return { stream, done, length: 0, received: () => 0 };
  }
  const stream = new Readable({ read() { this.push(null); } });
  return { stream, done: Promise.resolve({ length: 0, md5: EMPTY_MD5, checksums: {} }), length: 0, received: () => 0 };
}
