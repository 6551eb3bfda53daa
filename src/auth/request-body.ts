import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { algorithmFromHeaderName, createChecksum, encodeChecksum, isValidChecksumValue, type Checksum, type ChecksumAlgorithm } from '../checksum/checksum.js';
import { s3Error } from '../errors/s3.js';
import type { AuthResult } from './authenticate-request.js';
import { AwsChunkedDecoder } from './aws-chunked.js';

export interface VerifiedBody {
  stream: Readable;
  done: Promise<{ checksums: Partial<Record<ChecksumAlgorithm, string>> }>;
  length?: number;
  /** Decoded bytes read so far. */
  received(): number;
}

type Headers = IncomingMessage['headers'];

function one(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The checksum the client sent in a header, or announced for the trailer. */
function requestedChecksum(h: Headers): { algorithm: ChecksumAlgorithm; header: string; value?: string } | undefined {
  for (const name of Object.keys(h)) {
    if (!name.startsWith('x-amz-checksum-') || name === 'x-amz-checksum-algorithm' || name === 'x-amz-checksum-type' || name === 'x-amz-checksum-mode') continue;
    const algorithm = algorithmFromHeaderName(name);
    if (!algorithm) throw s3Error('InvalidRequest', `Unsupported checksum header ${name}`);
    const value = one(h, name)!;
    if (!isValidChecksumValue(algorithm, value)) throw s3Error('InvalidRequest', `Value for ${name} header is invalid.`);
    return { algorithm, header: name, value };
  }
  const trailer = one(h, 'x-amz-trailer');
  if (trailer) {
    const algorithm = algorithmFromHeaderName(trailer.trim().toLowerCase());
    if (!algorithm) throw s3Error('InvalidRequest', `The value specified in the x-amz-trailer header is not supported`);
    return { algorithm, header: trailer.trim().toLowerCase() };
  }
  return undefined;
}

/**
 * Verifies the decoded body as it passes: x-amz-content-sha256, Content-MD5, the flexible
 * checksum (header or trailer) and the declared length. Any failure errors the stream at
 * its end, before the consumer sees a clean finish, so nothing unverified is committed.
 */
class BodyVerifier extends Transform {
  received = 0;
  private readonly sha256: ReturnType<typeof createHash> | undefined;
  private readonly md5: ReturnType<typeof createHash> | undefined;
  private readonly checksum: Checksum | undefined;
  result: Partial<Record<ChecksumAlgorithm, string>> = {};

  constructor(private readonly opts: {
    sha256?: string;
    md5?: string;
    checksum?: { algorithm: ChecksumAlgorithm; header: string; value?: string };
    trailers?: () => Record<string, string>;
    expectedLength?: number;
  }) {
    super({ readableHighWaterMark: 1 << 20, writableHighWaterMark: 1 << 20 });
    if (opts.checksum) this.checksum = createChecksum(opts.checksum.algorithm);
    if (opts.sha256) this.sha256 = createHash('sha256');
    if (opts.md5) this.md5 = createHash('md5');
  }

  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.received += chunk.length;
    this.sha256?.update(chunk);
    this.md5?.update(chunk);
    this.checksum?.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const o = this.opts;
    if (o.expectedLength !== undefined && this.received !== o.expectedLength) return cb(s3Error('IncompleteBody'));
    if (this.sha256) {
      const got = this.sha256.digest('hex');
      if (got !== o.sha256) return cb(s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: o.sha256, S3ComputedContentSHA256: got }));
    }
    if (this.md5) {
      const got = this.md5.digest('base64');
      if (got !== o.md5) return cb(s3Error('BadDigest', undefined, { ExpectedDigest: o.md5, CalculatedDigest: got }));
    }
    if (this.checksum && o.checksum) {
      const got = encodeChecksum(this.checksum.digest());
      const expected = o.checksum.value ?? o.trailers?.()[o.checksum.header];
      if (expected === undefined) return cb(s3Error('InvalidRequest', `The trailer ${o.checksum.header} was announced but not sent`));
      if (got !== expected) return cb(s3Error('BadDigest', `The ${o.checksum.header} you specified did not match the calculated checksum.`));
      this.result[o.checksum.algorithm] = got;
    }
    cb();
  }
}

/**
 * The request body as the operation should see it: de-chunked, verified, and failing with
 * IncompleteBody when the client goes away early. `beforeRead` runs once when reading
 * starts (it sends `100 Continue`).
 */
export function verifiedBody(req: IncomingMessage, auth: AuthResult, beforeRead: () => void): VerifiedBody {
  const h = req.headers;
  const contentLength = one(h, 'content-length');
  const rawLength = contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined;
  const md5 = one(h, 'content-md5');
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw s3Error('InvalidDigest', undefined, { 'Content-MD5': md5 });
  const checksum = requestedChecksum(h);
  const mode = auth.kind === 'sigv4' ? auth.payload : { kind: 'unsigned' as const };
  let decoder: AwsChunkedDecoder | undefined;
  let decodedLength = rawLength;
  if (mode.kind === 'streaming-signed' || mode.kind === 'streaming-unsigned-trailer') {
    const signing = mode.kind === 'streaming-signed' && auth.kind === 'sigv4'
      ? { signingKey: auth.signingKey, amzDate: auth.amzDate, scope: auth.scopeString, seedSignature: auth.signature }
      : undefined;
    decoder = new AwsChunkedDecoder(signing, mode.kind === 'streaming-unsigned-trailer' || (mode.kind === 'streaming-signed' && mode.trailer));
    const dl = one(h, 'x-amz-decoded-content-length');
    decodedLength = dl !== undefined && /^\d+$/.test(dl) ? Number(dl) : undefined;
  }
  const d = decoder;
  const verifier = new BodyVerifier({
    sha256: mode.kind === 'sha256' ? mode.expected : undefined,
    md5,
    checksum,
    trailers: d ? () => d.trailers : undefined,
    expectedLength: decodedLength,
  });
  const done = new Promise<{ checksums: Partial<Record<ChecksumAlgorithm, string>> }>((resolve, reject) => {
    verifier.on('end', () => resolve({ checksums: verifier.result }));
    verifier.on('error', reject);
  });
  done.catch(() => { /* observed by whoever awaits it; never an unhandled rejection */ });
  const first: Transform = decoder ?? verifier;
  if (decoder) {
    decoder.on('error', (e) => verifier.destroy(e));
    decoder.pipe(verifier);
  }
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    beforeRead();
    const incomplete = (): void => { first.destroy(s3Error('IncompleteBody')); };
    req.on('aborted', incomplete);
    req.on('error', incomplete);
    req.on('close', () => { if (!req.complete) incomplete(); });
    req.pipe(first);
  };
  // Reading begins when the consumer first asks for data.
  const origRead = verifier._read.bind(verifier);
  verifier._read = (n: number): void => {
    start();
    origRead(n);
  };
  const out: VerifiedBody = { stream: verifier, done, received: () => verifier.received };
  if (decodedLength !== undefined) out.length = decodedLength;
  return out;
}
