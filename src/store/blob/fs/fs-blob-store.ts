import { randomBytes } from 'node:crypto';
import { createReadStream, constants as fsc } from 'node:fs';
import { mkdir, open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore, BlobWriter } from '../types.js';

const ID_RE = /^[0-9a-f]{32}$/;

/**
 * Blobs as files under <root>/xx/yy/<id>, written to <root>/tmp first and renamed into
 * place after fsync, so a crash leaves only temporaries (cleared at start) or complete
 * blobs that no metadata references (swept at start by the caller).
 */
export class FsBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly madeDirs = new Set<string>();

  private constructor(private readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  static async open(root: string): Promise<FsBlobStore> {
    const s = new FsBlobStore(root);
    await mkdir(s.tmpDir, { recursive: true, mode: 0o700 });
    return s;
  }

  pathOf(blobId: string): string {
    if (!ID_RE.test(blobId)) throw new Error(`invalid blob id`);
    return join(this.root, blobId.slice(0, 2), blobId.slice(2, 4), blobId);
  }

  async create(): Promise<BlobWriter> {
    const blobId = randomBytes(16).toString('hex');
    const tmpPath = join(this.tmpDir, blobId);
    const fh = await open(tmpPath, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
    return new FsBlobWriter(this, blobId, tmpPath, fh);
  }

  /** @internal */
  async place(blobId: string, tmpPath: string): Promise<void> {
    const dir = join(this.root, blobId.slice(0, 2), blobId.slice(2, 4));
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await syncDir(join(this.root, blobId.slice(0, 2)));
      await syncDir(this.root);
      this.madeDirs.add(dir);
    }
    await rename(tmpPath, join(dir, blobId));
    await syncDir(dir);
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(blobId), {
      start: range?.start,
      end: range?.end,
      // Large reads: fewer trips through the stream machinery per object.
      highWaterMark: 1024 * 1024,
    });
  }

  async delete(blobId: string): Promise<void> {
    await unlink(this.pathOf(blobId)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async *list(): AsyncIterable<string> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    for (const a of await readdir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdir(join(this.root, a))) {
        for (const id of await readdir(join(this.root, a, b))) if (ID_RE.test(id)) yield id;
      }
    }
  }

  async close(): Promise<void> {}
}

class FsBlobWriter implements BlobWriter {
  private done = false;
  private position = 0;

  constructor(
    private readonly store: FsBlobStore,
    readonly blobId: string,
    private readonly tmpPath: string,
    private readonly fh: FileHandle,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off, this.position);
      off += bytesWritten;
      this.position += bytesWritten;
    }
  }

  async commit(): Promise<void> {
    await this.fh.datasync();
    await this.fh.close();
    this.done = true;
    await this.store.place(this.blobId, this.tmpPath);
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.fh.close().catch(() => {});
    await unlink(this.tmpPath).catch(() => {});
  }
}

async function syncDir(path: string): Promise<void> {
  const fh = await open(path, fsc.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
