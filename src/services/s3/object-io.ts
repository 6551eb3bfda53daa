import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { s3Error } from '../../errors/s3.js';
import type { BlobWriter } from '../../store/blob/types.js';
import type { ChecksumAlgorithm, DataPiece, ObjectVersion } from '../../store/meta/types.js';
import type { KeyAccess, Prepared } from './object-codec.js';
import type { RequestBody, S3Context } from './types.js';

export interface WrittenPiece {
  piece: DataPiece;
  /** Absent when the caller takes the MD5 from the verified request body instead. */
  md5?: Buffer;
}

export interface WriteOptions {
  bucket: string;
  key: string;
  /** The object's (or upload's) data-key envelope, from codec.prepare. */
  prepared: Prepared;
  access: KeyAccess;
  /** Parts always go to blobs; whole objects may be inline. */
  allowInline: boolean;
  maxSize: number;
  /** Request bodies are already hashed as they are verified: set false to hash once. */
  md5?: boolean;
  /** The body's length when known in advance: small bodies are sealed in one call. */
  declaredLength?: number;
}

/**
 * Streams one body through MD5 and the codec's sealer into an inline buffer (small
 * objects) or a new blob. Nothing is committed here: the caller commits metadata, and on
 * any failure the blob is removed before the error propagates.
 */
export async function writePiece(ctx: S3Context, body: Readable, opts: WriteOptions): Promise<WrittenPiece> {
  if (opts.allowInline && opts.declaredLength !== undefined && opts.declaredLength <= ctx.settings.inlineMaxBytes) {
    return writeInlinePiece(ctx, body, opts);
  }
  const md5 = opts.md5 === false ? undefined : createHash('md5');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > opts.maxSize) return cb(s3Error('EntityTooLarge', undefined, { ProposedSize: size, MaxSizeAllowed: opts.maxSize }));
      md5?.update(chunk);
      cb(null, chunk);
    },
  });
  const pieceId = randomBytes(16).toString('hex');
  const sealer = await ctx.codec.seal({ bucket: opts.bucket, key: opts.key, pieceId, prepared: opts.prepared, access: opts.access });
  const sink = new PieceSink(ctx, opts.allowInline ? ctx.settings.inlineMaxBytes : -1);
  try {
    await pipeline(body, tap, sealer.stream, sink);
    const stored = await sink.finish();
    const piece: DataPiece = { size, storedSize: sink.storedSize, seal: { ...sealer.info(), pieceId }, ...stored };
    return md5 ? { piece, md5: md5.digest() } : { piece };
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

/**
 * A body known to be small enough to live inline: read whole (its length is enforced by the
 * payload verification), then hashed and sealed in one call each. No blob, no streams.
 */
async function writeInlinePiece(ctx: S3Context, body: Readable, opts: WriteOptions): Promise<WrittenPiece> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > ctx.settings.inlineMaxBytes) throw s3Error('IncompleteBody', 'The request body is longer than its declared length.');
    chunks.push(chunk);
  }
  const plaintext = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const pieceId = randomBytes(16).toString('hex');
  const { stored, info } = await ctx.codec.sealInline({ bucket: opts.bucket, key: opts.key, pieceId, prepared: opts.prepared, access: opts.access }, plaintext);
  const piece: DataPiece = { size, storedSize: stored.length, seal: { ...info, pieceId }, inline: stored };
  return opts.md5 === false ? { piece } : { piece, md5: createHash('md5').update(plaintext).digest() };
}

/** Collects stored bytes in memory up to the inline limit, then spills to a blob. */
class PieceSink extends Writable {
  storedSize = 0;
  private buffered: Buffer[] = [];
  private writer: BlobWriter | undefined;
  /** The blob being created by the first spill: abort() must see it, or its temporary is left behind. */
  private creating: Promise<BlobWriter> | undefined;

  constructor(private readonly ctx: S3Context, private readonly inlineMax: number) {
    super({ highWaterMark: 1 << 20 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.writeOne(chunk, cb);
  }

  private writeOne(chunk: Buffer, cb: (e?: Error | null) => void): void {
    this.storedSize += chunk.length;
    if (!this.writer && this.storedSize <= this.inlineMax) {
      this.buffered.push(chunk);
      return cb();
    }
    this.spill(chunk).then(() => cb(), cb);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (e?: Error | null) => void): void {
    const all = chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this.writeOne(all, cb);
  }

  private async spill(chunk: Buffer): Promise<void> {
    if (!this.writer) {
      this.creating = this.ctx.blobs.create();
      this.writer = await this.creating;
      if (this.buffered.length) await this.writer.write(Buffer.concat(this.buffered));
      this.buffered = [];
    }
    await this.writer.write(chunk);
  }

  async finish(): Promise<{ inline?: Buffer; blobId?: string }> {
    if (this.writer) {
      await this.writer.commit();
      return { blobId: this.writer.blobId };
    }
    if (this.inlineMax < 0) {
      // Parts never live inline: even an empty one becomes a (small) blob.
      this.writer = await this.ctx.blobs.create();
      if (this.buffered.length) await this.writer.write(Buffer.concat(this.buffered));
      await this.writer.commit();
      return { blobId: this.writer.blobId };
    }
    return { inline: Buffer.concat(this.buffered) };
  }

  async abort(): Promise<void> {
    // A body can fail while the first spill is still creating the blob.
    const w = this.writer ?? await this.creating?.catch(() => undefined);
    this.writer = undefined;
    this.creating = undefined;
    if (w) {
      await w.abort();
      await this.ctx.blobs.delete(w.blobId).catch(() => {});
    }
  }
}

/** Streams plaintext bytes [start, end] of one stored piece. */
async function readPiece(ctx: S3Context, piece: DataPiece, range: { start: number; end: number } | undefined, access: KeyAccess): Promise<Readable> {
  const opened = await ctx.codec.open(piece.seal, piece.size, range, access);
  let source: Readable;
  if (piece.inline) {
    const r = opened.storedRange;
    source = Readable.from(r ? [piece.inline.subarray(r.start, r.end + 1)] : [piece.inline]);
  } else {
    source = ctx.blobs.read(piece.blobId!, opened.storedRange);
  }
  if (!opened.stream) return source;
  const out = opened.stream;
  source.on('error', (e) => out.destroy(e));
  return source.pipe(out);
}

/**
 * The bytes of an object version (or a range of them), across its parts if it has any. Keys
 * are unwrapped (KMS Decrypt, SSE-C check) before this returns, so a refusal is an error
 * response, never a body cut short.
 */
/**
 * A small object held inline in the metadata store, opened in one call: no streams for the
 * common 4 KiB read. Undefined for anything stored as blobs or parts.
 */
export async function readInlineObject(ctx: S3Context, v: ObjectVersion, range: { start: number; end: number } | undefined, access: KeyAccess): Promise<Buffer | undefined> {
  const data = v.data;
  if (data?.kind !== 'single' || !data.piece.inline) return undefined;
  if (v.size === 0) return Buffer.alloc(0);
  return ctx.codec.openInline(data.piece.seal, data.piece.size, range, access, data.piece.inline);
}

export async function readObject(ctx: S3Context, v: ObjectVersion, range: { start: number; end: number } | undefined, access: KeyAccess): Promise<Readable> {
  const data = v.data;
  if (!data) return Readable.from([]);
  if (data.kind === 'single') {
    if (v.size === 0) return Readable.from([]);
    return readPiece(ctx, data.piece, range, access);
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? v.size - 1;
  const wanted: Array<{ part: DataPiece; range: { start: number; end: number } }> = [];
  let offset = 0;
  for (const part of data.parts) {
    const pStart = offset;
    const pEnd = offset + part.size - 1;
    offset += part.size;
    if (part.size === 0 || pEnd < start || pStart > end) continue;
    wanted.push({ part, range: { start: Math.max(start, pStart) - pStart, end: Math.min(end, pEnd) - pStart } });
  }
  if (wanted.length === 0) return Readable.from([]);
  // Parts share the upload's envelope: opening the first unwraps the keys for all of them.
  const first = await readPiece(ctx, wanted[0]!.part, wanted[0]!.range, access);
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  (async () => {
    for (const [i, w] of wanted.entries()) {
      const s = i === 0 ? first : await readPiece(ctx, w.part, w.range, access);
      for await (const chunk of s) {
        if (out.destroyed) { s.destroy(); return; }
        if (!out.write(chunk)) await waitDrain(out);
      }
    }
    out.end();
  })().catch((e) => out.destroy(e));
  return out;
}

/** Deletes blobs no longer referenced after a committed change; failures are left to the sweep. */
export function releasePieces(ctx: S3Context, pieces: DataPiece[]): void {
  for (const p of pieces) if (p.blobId) ctx.blobs.delete(p.blobId).catch(() => {});
}

function waitDrain(w: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => { w.off('drain', done); w.off('close', done); resolve(); };
    w.on('drain', done);
    w.on('close', done);
  });
}

/**
 * Writes a request body as one piece and waits for the body's own verification (payload
 * hash, Content-MD5, checksums): on failure the piece is released and nothing is committed.
 */
export async function writeVerifiedBody(ctx: S3Context, body: RequestBody, opts: Omit<WriteOptions, 'md5' | 'declaredLength'>): Promise<{ piece: DataPiece; md5: Buffer; checksums: Partial<Record<ChecksumAlgorithm, string>> }> {
  const written = await writePiece(ctx, body.stream, { ...opts, md5: false, ...(body.length !== undefined ? { declaredLength: body.length } : {}) });
  try {
    const { checksums, md5 } = await body.done;
    return { piece: written.piece, md5, checksums };
  } catch (e) {
    releasePieces(ctx, [written.piece]);
    throw e;
  }
}
