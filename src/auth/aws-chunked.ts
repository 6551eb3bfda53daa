import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { s3Error } from '../errors/s3.js';
import { chunkStringToSign, sign, signaturesEqual, sha256Hex, trailerStringToSign } from './signature-v4.js';

/** For signed streams: the seed and what each chunk signature chains from. */
export interface ChunkSigning {
  signingKey: Buffer;
  amzDate: string;
  scope: string;
  seedSignature: string;
}

const MAX_LINE = 4096;
const MIN_SIGNED_CHUNK = 8192;

type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done';

/**
 * Decodes an `aws-chunked` body (S3 User Guide, "Signature calculations for the
 * Authorization header: transferring payload in multiple chunks" and the trailer variants),
 * verifying each chunk signature when the stream is signed. Emits the decoded bytes; the
 * parsed trailing headers are in `trailers` once the stream ended.
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  decodedLength = 0;
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private chunkSignature = '';
  private previousSignature: string;
  private chunkHash: ReturnType<typeof createHash> | undefined;
  private lastChunkSize = -1;
  private trailerText = '';

  constructor(private readonly signing: ChunkSigning | undefined, private readonly expectTrailer: boolean) {
    super({ readableHighWaterMark: 1 << 20, writableHighWaterMark: 1 << 20 });
    this.previousSignature = signing?.seedSignature ?? '';
  }

  override _transform(buf: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(buf);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.state === 'trailer' && this.line === '') this.finishTrailers();
    if (this.state !== 'done') return cb(s3Error('IncompleteBody', 'The request body terminated unexpectedly'));
    cb();
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case 'size':
        case 'trailer': {
          const nl = buf.indexOf(0x0a, i);
          const end = nl < 0 ? buf.length : nl;
          this.line += buf.toString('latin1', i, end);
          if (this.line.length > MAX_LINE) throw s3Error('IncompleteBody', 'Chunk header too long');
          if (nl < 0) return;
          i = nl + 1;
          const line = this.line.replace(/\r$/, '');
          this.line = '';
          if (this.state === 'size') this.onSizeLine(line);
          else this.onTrailerLine(line);
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, buf.length - i);
          const piece = buf.subarray(i, i + n);
          this.chunkHash?.update(piece);
          this.decodedLength += n;
          this.push(piece);
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = 'data-crlf';
          break;
        }
        case 'data-crlf': {
          const nl = buf.indexOf(0x0a, i);
          if (nl < 0) {
            this.line += buf.toString('latin1', i);
            if (this.line.length > 2) throw s3Error('IncompleteBody', 'Malformed chunk framing');
            return;
          }
          this.line += buf.toString('latin1', i, nl);
          if (this.line !== '\r' && this.line !== '') throw s3Error('IncompleteBody', 'Malformed chunk framing');
          this.line = '';
          i = nl + 1;
          this.endChunk();
          this.state = 'size';
          break;
        }
        case 'done':
          if (buf.subarray(i).every((b) => b === 0x0d || b === 0x0a)) return;
          throw s3Error('IncompleteBody', 'Data after the final chunk');
      }
    }
  }

  private onSizeLine(line: string): void {
    const [sizeHex, ...ext] = line.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeHex!.trim())) throw s3Error('IncompleteBody', 'Malformed chunk size');
    const size = parseInt(sizeHex!.trim(), 16);
    if (this.signing) {
      const sig = ext.map((e) => e.trim()).find((e) => e.startsWith('chunk-signature='));
      if (!sig) throw s3Error('SignatureDoesNotMatch', 'The chunk is missing its signature');
      this.chunkSignature = sig.slice('chunk-signature='.length);
      if (this.lastChunkSize >= 0 && this.lastChunkSize < MIN_SIGNED_CHUNK && size > 0) {
        throw s3Error('InvalidChunkSizeError', undefined, { Chunk: this.lastChunkSize, BadChunkSize: this.lastChunkSize });
      }
      this.chunkHash = createHash('sha256');
    }
    this.lastChunkSize = size;
    if (size === 0) {
      this.endChunk();
      // Trailers (possibly none) and the closing empty line follow the final chunk.
      this.state = 'trailer';
      return;
    }
    this.remaining = size;
    this.state = 'data';
  }

  private endChunk(): void {
    if (!this.signing || !this.chunkHash) return;
    const hash = this.chunkHash.digest('hex');
    this.chunkHash = undefined;
    const expected = sign(this.signing.signingKey, chunkStringToSign(this.signing.amzDate, this.signing.scope, this.previousSignature, hash));
    if (!signaturesEqual(expected, this.chunkSignature)) throw s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    this.previousSignature = this.chunkSignature;
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.finishTrailers();
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw s3Error('IncompleteBody', 'Malformed trailer');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (!this.signing) throw s3Error('InvalidRequest', 'Unexpected trailer signature');
      const expected = sign(this.signing.signingKey, trailerStringToSign(this.signing.amzDate, this.signing.scope, this.previousSignature, sha256Hex(this.trailerText)));
      if (!signaturesEqual(expected, value)) throw s3Error('SignatureDoesNotMatch', 'The trailer signature does not match');
      this.trailers[name] = value;
      return;
    }
    this.trailerText += `${name}:${value}\n`;
    this.trailers[name] = value;
  }

  private finishTrailers(): void {
    if (this.signing && this.expectTrailer && this.trailers['x-amz-trailer-signature'] === undefined) {
      throw s3Error('SignatureDoesNotMatch', 'The trailer signature is missing');
    }
    this.state = 'done';
  }
}
