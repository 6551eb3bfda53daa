/**
 * Incremental decoder of `Content-Encoding: aws-chunked` bodies (S3 "Signature
 * Calculations for the Authorization Header: Transferring Payload in Multiple Chunks" and
 * "… Including Trailing Headers"):
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n <data> \r\n   … repeated …
 *   0[;chunk-signature=<sig>]\r\n [<trailer>:<value>\r\n]* [x-amz-trailer-signature:<sig>\r\n] \r\n
 *
 * Bytes arrive in arbitrary pieces; nothing is buffered but one header line. Data is handed
 * on as soon as it arrives and each chunk's signature is checked when the chunk ends: a
 * failure surfaces before the end of the body, so a consumer that commits only at the end
 * never keeps unverified bytes. Pure: no streams, no I/O.
 */
import { createHash, type Hash } from 'node:crypto';
import { s3Error } from '../errors/s3.js';
import {
  EMPTY_SHA256, chunkStringToSign, hexBytes, hmacHex, sha256Hex, signaturesEqual, trailerStringToSign, type CredentialScope,
} from './sigv4.js';

export interface ChunkSigning {
  readonly signingKey: Buffer;
  /** X-Amz-Date of the request (ISO 8601 basic). */
  readonly amzDate: string;
  readonly scope: CredentialScope;
  /** The request's own signature: the first link of the chain. */
  readonly seedSignature: string;
  readonly accessKeyId: string;
}

export interface AwsChunkedOptions {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: every chunk is verified. */
  readonly signing?: ChunkSigning;
  /** …-TRAILER modes: trailing headers may follow the final chunk (signed when `signing`). */
  readonly trailer: boolean;
  /** S3 rejects non-final chunks under 8 KiB; 0 lifts the rule. */
  readonly minChunkSize?: number;
}

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

const MAX_LINE = 4096;
const MAX_CHUNK = 2 ** 40; // far above any real chunk; keeps sizes exact as numbers
const SIZE_LINE = /^([0-9a-fA-F]{1,12})(;.*)?$/;
const SIGNATURE_EXT = /(?:^|;)chunk-signature=([0-9a-f]{64})(?:;|$)/;

const framing = (detail: string) =>
  s3Error('IncompleteBody', `The aws-chunked body is malformed: ${detail}.`);

export class AwsChunkedDecoder {
  /** Trailing headers in order, lower-case names, trimmed values (without the signature). */
  readonly trailers: Array<[string, string]> = [];
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private chunkIndex = 0;
  private previousSize = -1;
  private decoded = 0;
  private chunkHash: Hash | undefined;
  private chunkSignature = '';
  private previousSignature: string;
  private trailerSignature: string | undefined;
  private readonly minChunkSize: number;

  constructor(private readonly options: AwsChunkedOptions) {
    this.previousSignature = options.signing?.seedSignature ?? '';
    this.minChunkSize = options.minChunkSize ?? 8192;
  }

  /** Decoded bytes so far. */
  get decodedLength(): number {
    return this.decoded;
  }

  get complete(): boolean {
    return this.state === 'done';
  }

  /** Consumes one piece of the encoded body, calling `emit` with decoded data. Throws AwsError. */
  write(buf: Buffer, emit: (data: Buffer) => void): void {
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(this.remaining, n - pos);
          const data = buf.subarray(pos, pos + take);
          this.chunkHash?.update(data);
          this.remaining -= take;
          this.decoded += take;
          pos += take;
          emit(data);
          if (this.remaining === 0) {
            this.verifyChunk(this.chunkHash?.digest('hex'));
            this.state = 'data-end';
          }
          break;
        }
        case 'data-end': {
          // The CRLF after the data; either byte may arrive alone.
          const expected = this.line === '' ? 0x0d : 0x0a;
          if (buf[pos] !== expected) throw framing('chunk data is not followed by CRLF');
          pos++;
          if (expected === 0x0d) this.line = '\r';
          else {
            this.line = '';
            this.state = 'size';
          }
          break;
        }
        case 'done':
          throw framing('data after the final chunk');
        default: {
          const lf = buf.indexOf(0x0a, pos);
          const end = lf < 0 ? n : lf;
          this.line += buf.toString('latin1', pos, end);
          if (this.line.length > MAX_LINE) throw framing('a chunk header or trailer line is too long');
          pos = lf < 0 ? n : lf + 1;
          if (lf < 0) break;
          if (!this.line.endsWith('\r')) throw framing('a line does not end with CRLF');
          const line = this.line.slice(0, -1);
          this.line = '';
          if (this.state === 'size') this.sizeLine(line);
          else this.trailerLine(line);
        }
      }
    }
  }

  /** Called at the end of the encoded body; throws if it stopped short. */
  end(): void {
    if (this.state === 'done') return;
    // Tolerate a body that ends right after its trailers without the closing empty line.
    if (this.state === 'trailer' && this.line === '' && (!this.options.trailer || this.trailers.length > 0)) {
      this.finishTrailers();
      return;
    }
    throw s3Error('IncompleteBody', 'The aws-chunked body ended before its final chunk.');
  }

  private sizeLine(line: string): void {
    const m = SIZE_LINE.exec(line);
    if (!m) throw framing(`invalid chunk header "${line.slice(0, 80)}"`);
    const size = parseInt(m[1]!, 16);
    if (size > MAX_CHUNK) throw framing('chunk too large');
    if (this.options.signing) {
      const sig = SIGNATURE_EXT.exec(m[2] ?? '');
      if (!sig) throw framing('chunk header without chunk-signature');
      this.chunkSignature = sig[1]!;
    }
    this.chunkIndex++;
    // A chunk followed by another data chunk was not the last: it must be large enough.
    if (size > 0 && this.previousSize >= 0 && this.previousSize < this.minChunkSize) {
      throw s3Error('InvalidChunkSizeError', undefined, { Chunk: this.chunkIndex - 1, BadChunkSize: this.previousSize });
    }
    this.previousSize = size;
    if (size === 0) {
      this.verifyChunk(EMPTY_SHA256);
      this.state = 'trailer';
      return;
    }
    this.remaining = size;
    this.chunkHash = this.options.signing ? createHash('sha256') : undefined;
    this.state = 'data';
  }

  private trailerLine(line: string): void {
    if (line === '') {
      this.finishTrailers();
      return;
    }
    if (!this.options.trailer) throw s3Error('MalformedTrailerError');
    const colon = line.indexOf(':');
    if (colon <= 0) throw s3Error('MalformedTrailerError');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
    else if (this.trailerSignature !== undefined) throw s3Error('MalformedTrailerError'); // the signature comes last
    else this.trailers.push([name, value]);
  }

  private finishTrailers(): void {
    const signing = this.options.signing;
    if (signing && this.options.trailer && this.trailers.length > 0) {
      if (this.trailerSignature === undefined) throw s3Error('MalformedTrailerError');
      const canonical = this.trailers.map(([n, v]) => `${n}:${v}\n`).join('');
      const sts = trailerStringToSign(signing.amzDate, signing.scope, this.previousSignature, sha256Hex(canonical));
      if (!signaturesEqual(hmacHex(signing.signingKey, sts), this.trailerSignature)) this.mismatch(sts, this.trailerSignature);
    }
    this.state = 'done';
  }

  private verifyChunk(dataSha256: string | undefined): void {
    const signing = this.options.signing;
    if (!signing) return;
    const sts = chunkStringToSign(signing.amzDate, signing.scope, this.previousSignature, dataSha256 ?? EMPTY_SHA256);
    if (!signaturesEqual(hmacHex(signing.signingKey, sts), this.chunkSignature)) this.mismatch(sts, this.chunkSignature);
    this.previousSignature = this.chunkSignature;
  }

  private mismatch(sts: string, provided: string): never {
    throw s3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: this.options.signing!.accessKeyId,
      StringToSign: sts,
      SignatureProvided: provided,
      StringToSignBytes: hexBytes(sts),
    });
  }
}
