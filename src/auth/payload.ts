/**
 * The request body after authentication, as the operation should see it: de-chunked
 * (aws-chunked), every digest checked (x-amz-content-sha256, chunk and trailer signatures,
 * Content-MD5, flexible checksums, declared lengths), streaming with backpressure.
 *
 *   const body = createPayloadPipeline(req, auth, req.headers);   // header errors throw here
 *   for await (const chunk of body.stream) …                      // a failure errors the stream
 *   const { md5, checksums, length } = await body.done;
 *
 * Every check that needs the whole body fails the stream *before* it ends, so a consumer
 * that commits on a clean end never commits unverified bytes. A body that stops short
 * (client gone, fewer bytes than Content-Length) is an IncompleteBody error, never an end.
 */
import { createHash, type Hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { checksumHeaderName, createChecksum, decodeChecksum, encodeChecksum, type Checksum, type ChecksumAlgorithm } from '../checksum/checksum.js';
import { isAwsError } from '../errors/aws-error.js';
import { s3Error } from '../errors/s3.js';
import type { HashPool, OffloadedHash } from '../checksum/hash-pool.js';
import { AwsChunkedDecoder } from './aws-chunked.js';
import { checksumPlan, type ChecksumPlan, type ChecksumPlanOptions } from './checksum-request.js';
import { anonymousPayloadMode, headerValue, type PayloadMode } from './payload-mode.js';
import { formatAmzDate } from './sigv4.js';
import type { AuthResult } from './verify.js';

export interface PayloadOptions extends ChecksumPlanOptions {
  /** Smallest non-final aws-chunked chunk; S3's 8 KiB by default, 0 to accept any. */
  readonly minChunkSize?: number;
  /** Where large bodies are hashed, off the event loop; without it everything is hashed inline. */
  readonly hashPool?: HashPool;
}

/** Bodies at least this large (or of unknown length) are hashed in a worker when a pool is given. */
export const OFFLOAD_MIN_BYTES = 4 * 1024 * 1024;
const OFFLOAD_INFLIGHT_BYTES = 2 * 1024 * 1024;

export interface PayloadSummary {
  /** Decoded body length. */
  readonly length: number;
  /** Binary MD5 of the decoded body (the ETag of a single-part object). */
  readonly md5: Buffer;
  /** Base64 digests of every algorithm computed, the client's one verified. */
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
  /** The checksum the client supplied and that matched, and where it came from. */
  readonly clientChecksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string; readonly source: 'header' | 'trailer' };
}

export interface PayloadPipeline {
  /** Decoded object bytes. Read it to the end; it errors instead of ending if anything fails. */
  readonly stream: Readable;
  /** Settles after the stream's last byte: the summary, or the error the stream failed with. */
  readonly done: Promise<PayloadSummary>;
  /** Raw (encoded) bytes received so far, for access logs. */
  readonly received: () => number;
}

const HIGH_WATER_MARK = 256 * 1024;

function contentLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headerValue(headers, 'content-length');
  return value !== undefined && /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** The per-request state: counters, hashers, and the checks run at the end. */
class PayloadState {
  raw = 0;
  decoded = 0;
  private readonly md5: Hash | undefined;
  private readonly sha256: Hash | undefined;
  private readonly checksums: Array<[ChecksumAlgorithm, Checksum]>;
  /** Set when the hashing happens in a worker instead. */
  private readonly offloaded: OffloadedHash | undefined;

  constructor(
    private readonly mode: PayloadMode,
    private readonly plan: ChecksumPlan,
    private readonly rawLength: number | undefined,
    private readonly chunked: AwsChunkedDecoder | undefined,
    pool?: HashPool,
  ) {
    const expected = this.expectedDecodedLength();
    if (pool && (expected === undefined || expected >= OFFLOAD_MIN_BYTES)) {
      this.offloaded = pool.begin(mode.kind === 'sha256', [...plan.compute]);
      this.checksums = [];
    } else {
      this.md5 = createHash('md5');
      this.sha256 = mode.kind === 'sha256' ? createHash('sha256') : undefined;
      this.checksums = plan.compute.map((alg) => [alg, createChecksum(alg)]);
    }
  }

  /** The body stopped early: the worker can drop its state. */
  abandon(): void {
    this.offloaded?.abort();
  }

  /** With a worker hashing, reading waits while more than a few MiB are still unhashed. */
  backpressure(): Promise<void> | undefined {
    return this.offloaded?.drained(OFFLOAD_INFLIGHT_BYTES);
  }

  private expectedDecodedLength(): number | undefined {
    return this.mode.kind === 'streaming-signed' || this.mode.kind === 'streaming-unsigned-trailer' ? this.mode.decodedLength : this.rawLength;
  }

  accept(raw: Buffer, push: (data: Buffer) => void): void {
    this.raw += raw.length;
    if (this.rawLength !== undefined && this.raw > this.rawLength) throw s3Error('IncompleteBody', 'The request body is longer than its Content-Length.');
    const take = (data: Buffer): void => {
      this.decoded += data.length;
      const limit = this.expectedDecodedLength();
      if (limit !== undefined && this.decoded > limit) {
        throw s3Error('IncompleteBody', 'The decoded body is longer than x-amz-decoded-content-length.');
      }
      if (this.offloaded) this.offloaded.update(data);
      else {
        this.md5!.update(data);
        this.sha256?.update(data);
        for (const [, c] of this.checksums) c.update(data);
      }
      push(data);
    };
    if (this.chunked) this.chunked.write(raw, take);
    else take(raw);
  }

  /** All end-of-body checks, in S3's order; returns the summary or throws. */
  async finish(): Promise<PayloadSummary> {
    if (this.rawLength !== undefined && this.raw !== this.rawLength) throw s3Error('IncompleteBody');
    this.chunked?.end();
    this.checkNoUnannouncedTrailers();
    const expected = this.expectedDecodedLength();
    if (expected !== undefined && this.decoded !== expected) throw s3Error('IncompleteBody');
    let md5: Buffer;
    const checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
    let sha256Hex: string | undefined;
    if (this.offloaded) {
      const d = await this.offloaded.digests();
      md5 = d.md5;
      sha256Hex = d.sha256;
      for (const [alg, v] of d.checksums) checksums[alg] = encodeChecksum(v);
    } else {
      md5 = this.md5!.digest();
      sha256Hex = this.sha256?.digest('hex');
      for (const [alg, c] of this.checksums) checksums[alg] = encodeChecksum(c.digest());
    }
    if (sha256Hex !== undefined && this.mode.kind === 'sha256') {
      const computed = sha256Hex;
      if (computed !== this.mode.expected) {
        throw s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: this.mode.expected, S3ComputedContentSHA256: computed });
      }
    }
    if (this.plan.contentMd5 !== undefined && md5.toString('base64') !== this.plan.contentMd5) {
      throw s3Error('BadDigest', undefined, { ExpectedDigest: this.plan.contentMd5, CalculatedDigest: md5.toString('base64') });
    }
    const client = this.plan.client;
    const clientValue = client && (client.source === 'header' ? client.value! : this.trailerValue(client.algorithm));
    if (client && clientValue !== checksums[client.algorithm]) {
      throw s3Error('BadDigest', `The ${client.algorithm} you specified did not match the calculated checksum.`);
    }
    return {
      length: this.decoded, md5, checksums,
      ...(client ? { clientChecksum: { algorithm: client.algorithm, value: clientValue!, source: client.source } } : {}),
    };
  }

  private trailerValue(algorithm: ChecksumAlgorithm): string {
    const name = checksumHeaderName(algorithm);
    const trailers = this.chunked?.trailers ?? [];
    if (trailers.length !== 1 || trailers[0]![0] !== name) throw s3Error('MalformedTrailerError');
    const value = trailers[0]![1];
    if (!decodeChecksum(algorithm, value)) throw s3Error('InvalidRequest', `Value for ${name} trailing header is invalid.`);
    return value;
  }

  /** Trailers sent although none was announced. */
  private checkNoUnannouncedTrailers(): void {
    if (!this.plan.client || this.plan.client.source !== 'trailer') {
      if ((this.chunked?.trailers.length ?? 0) > 0) throw s3Error('MalformedTrailerError');
    }
  }
}

class PayloadTransform extends Transform {
  constructor(private readonly state: PayloadState, private readonly settle: (summary: PayloadSummary) => void) {
    super({ readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.state.accept(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, (data) => this.push(data));
    } catch (e) {
      callback(asError(e));
      return;
    }
    const wait = this.state.backpressure();
    if (wait) wait.then(() => callback(), (e: unknown) => callback(asError(e)));
    else callback();
  }

  override _flush(callback: TransformCallback): void {
    this.state.finish().then((summary) => {
      this.settle(summary);
      callback();
    }, (e: unknown) => callback(asError(e)));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.readableEnded) this.state.abandon();
    callback(error);
  }
}

function asError(e: unknown): Error {
  return isAwsError(e) || e instanceof Error ? e : new Error(String(e));
}

/** Feeds the source into the transform by hand so an early end or abort becomes IncompleteBody. */
function connect(source: Readable, sink: PayloadTransform): void {
  let finished = false;
  const cleanup = (): void => {
    finished = true;
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onAbort);
    source.off('aborted', onAbort);
    source.off('close', onClose);
    sink.off('drain', onDrain);
  };
  const onData = (chunk: Buffer): void => {
    if (sink.destroyed) {
      cleanup();
      source.pause();
    } else if (!sink.write(chunk)) source.pause();
  };
  const onDrain = (): void => {
    source.resume();
  };
  const onEnd = (): void => {
    cleanup();
    sink.end();
  };
  const onAbort = (): void => {
    if (finished) return;
    cleanup();
    sink.destroy(s3Error('IncompleteBody'));
  };
  // 'close' before 'end' means the body stopped short (IncomingMessage after a disconnect).
  const onClose = (): void => {
    if (!finished && !source.readableEnded) onAbort();
  };
  source.on('data', onData);
  source.once('end', onEnd);
  source.once('error', onAbort);
  source.once('aborted', onAbort);
  source.once('close', onClose);
  sink.on('drain', onDrain);
  // If the consumer or a check stops the pipeline, stop reading (the server decides whether
  // to drain or drop the rest; the socket is not destroyed here so an error can be sent).
  sink.once('close', () => {
    if (!finished) {
      cleanup();
      source.pause();
    }
  });
}

/**
 * Builds the verified body of an authenticated request. Throws (synchronously) S3's error
 * for malformed body headers: Content-MD5 (InvalidDigest), checksum headers, trailers.
 * Reading from the source starts only when the consumer reads `stream`.
 */
export function createPayloadPipeline(
  source: Readable, auth: AuthResult, headers: IncomingHttpHeaders, options: PayloadOptions = {},
): PayloadPipeline {
  const mode = auth.kind === 'sigv4' ? auth.payload : anonymousPayloadMode(headers);
  const plan = checksumPlan(headers, mode, options);
  let chunked: AwsChunkedDecoder | undefined;
  if (mode.kind === 'streaming-signed' && auth.kind === 'sigv4') {
    chunked = new AwsChunkedDecoder({
      trailer: mode.trailer,
      ...(options.minChunkSize !== undefined ? { minChunkSize: options.minChunkSize } : {}),
      signing: {
        signingKey: auth.signingKey, amzDate: formatAmzDate(auth.requestTime), scope: auth.credentialScope,
        seedSignature: auth.signature, accessKeyId: auth.accessKeyId,
      },
    });
  } else if (mode.kind === 'streaming-unsigned-trailer') {
    chunked = new AwsChunkedDecoder({ trailer: true, ...(options.minChunkSize !== undefined ? { minChunkSize: options.minChunkSize } : {}) });
  }
  const state = new PayloadState(mode, plan, contentLength(headers), chunked, options.hashPool);
  let resolve!: (s: PayloadSummary) => void;
  let reject!: (e: unknown) => void;
  const done = new Promise<PayloadSummary>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // `done` is often awaited only after the stream; never let it be an unhandled rejection.
  done.catch(() => undefined);
  const sink = new PayloadTransform(state, resolve);
  sink.once('error', reject);
  // After a clean end `done` has resolved and this rejection is a no-op: build the error only then.
  sink.once('close', () => { if (!sink.readableEnded) reject(s3Error('IncompleteBody', 'The request body was not read to its end.')); });
  // Start pulling from the source on first read, so `Expect: 100-continue` and
  // authentication errors can be answered before any body is requested.
  let connected = false;
  const read = sink._read.bind(sink);
  sink._read = (size: number): void => {
    if (!connected) {
      connected = true;
      connect(source, sink);
    }
    read(size);
  };
  return { stream: sink, done, received: () => state.raw };
}
