/**
 * The call shape src/server/authenticate.ts was written against, kept as a thin adapter
 * over `createPayloadPipeline` (payload.ts). New code should call that directly.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
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
export function verifiedBody(req: IncomingMessage, auth: AuthResult, beforeRead: () => void): VerifiedBody {
  const body = createPayloadPipeline(req, auth, req.headers);
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
