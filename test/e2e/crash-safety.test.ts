import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, ListMultipartUploadsCommand,
  ListObjectsV2Command, ListPartsCommand, ListBucketsCommand, PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { SqliteMetadataStore } from '../../src/store/meta/sqlite/sqlite-store.js';
import { ROOT_KEY, s3Client, spawnServer } from './harness.js';

/**
 * DESIGN's durability rules under kill -9: an acknowledged write survives; an interrupted one
 * leaves either nothing or the complete object; after the next start no blob is left that
 * no metadata references, and blobs/tmp is empty.
 */

const BUCKET = 'crash';
const ROUNDS = 3;
const WORKERS = 12;
const MiB = 1024 * 1024;
const PART = 5 * MiB;

function sha256(b: Buffer | Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Attempt { hash: string; size: number; multipart: boolean; acked: boolean }

class Server {
  child: ChildProcess | undefined;
  stderr = '';
  constructor(readonly port: number, readonly dataDir: string) {}

  async start(): Promise<void> {
    this.stderr = '';
    const child = spawnServer({
      COFFER_PORT: String(this.port),
      COFFER_DATA_DIR: this.dataDir,
      COFFER_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
      COFFER_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    });
    this.child = child;
    child.stdout!.resume();
    child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    const s3 = s3Client(`http://127.0.0.1:${this.port}`);
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${this.stderr}`);
        try {
          await s3.send(new ListBucketsCommand({}));
          return;
        } catch {
          if (Date.now() > deadline) throw new Error(`server did not come up: ${this.stderr}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      s3.destroy();
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
  }
}

/** Files under blobs/xx/yy (committed blobs) and under blobs/tmp (temporaries). */
async function blobFiles(dataDir: string): Promise<{ committed: string[]; tmp: string[] }> {
  const root = join(dataDir, 'blobs');
  const committed: string[] = [];
  for (const a of await readdir(root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await readdir(join(root, a))) committed.push(...await readdir(join(root, a, b)));
  }
  return { committed, tmp: await readdir(join(root, 'tmp')) };
}

async function readAll(s3: S3Client, key: string): Promise<Buffer | undefined> {
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  } catch (e) {
    if ((e as Error).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

/** Blobs the visible state needs: blob-sized single objects, completed parts, parts of open uploads. */
async function expectedBlobCount(s3: S3Client, attempts: Map<string, Attempt>): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const a = attempts.get(o.Key!);
      assert.ok(a, `unexpected object ${o.Key}`);
      // Multipart objects keep one blob per part (two here); 1 KiB objects live inline.
      n += a.multipart ? 2 : o.Size! >= MiB ? 1 : 0;
    }
    token = page.NextContinuationToken;
  } while (token);
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  for (const u of uploads.Uploads ?? []) {
    const parts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: u.Key!, UploadId: u.UploadId! }));
    n += parts.Parts?.length ?? 0;
  }
  return n;
}

test('kill -9 during concurrent writes: acknowledged objects survive, nothing partial, no orphan blobs', { timeout: 85_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coffer-crash-'));
  const server = new Server(await freePort(), dataDir);
  const endpoint = `http://127.0.0.1:${server.port}`;
  const attempts = new Map<string, Attempt>();
  try {
    await server.start();
    const setup = s3Client(endpoint);
    await setup.send(new CreateBucketCommand({ Bucket: BUCKET }));
    setup.destroy();

    for (let round = 0; round < ROUNDS; round++) {
      const s3 = s3Client(endpoint);
      let stopping = false;
      let acked = 0;
      let onAck: () => void = () => {};
      const enoughAcks = new Promise<void>((resolve) => { onAck = () => { if (++acked >= 10) resolve(); }; });

      const worker = async (w: number): Promise<void> => {
        for (let n = 0; !stopping; n++) {
          const key = `r${round}/w${w}/${n}`;
          const body = randomBytes(n % 3 === 0 ? randomInt(MiB, 3 * MiB) : 1024);
          const a: Attempt = { hash: sha256(body), size: body.length, multipart: false, acked: false };
          attempts.set(key, a);
          try {
            await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
            a.acked = true;
            onAck();
          } catch {
            return; // the server went away
          }
        }
      };

      const multipart = async (m: number): Promise<void> => {
        const key = `r${round}/mp${m}`;
        const parts = [randomBytes(PART), randomBytes(randomInt(1, MiB))];
        const a: Attempt = { hash: sha256(Buffer.concat(parts)), size: PART + parts[1]!.length, multipart: true, acked: false };
        attempts.set(key, a);
        try {
          const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
          const etags: string[] = [];
          for (const [i, p] of parts.entries()) {
            const r = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: p }));
            etags.push(r.ETag!);
          }
          await s3.send(new CompleteMultipartUploadCommand({
            Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
          }));
          a.acked = true;
        } catch {
          /* interrupted by the kill */
        }
      };

      const traffic = [
        ...Array.from({ length: WORKERS }, (_, w) => worker(w)),
        ...Array.from({ length: 2 }, (_, m) => multipart(m)),
      ];
      // Kill while writes are in flight: after some acknowledgements, at a random moment.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([enoughAcks, new Promise((r) => { timer = setTimeout(r, 15_000); })]);
      clearTimeout(timer);
      await new Promise((r) => setTimeout(r, randomInt(0, 250)));
      await server.kill('SIGKILL');
      stopping = true;
      await Promise.all(traffic);
      s3.destroy();
      assert.ok(acked > 0, `round ${round}: no write was acknowledged before the kill`);
      const pending = [...attempts.entries()].filter(([k, a]) => k.startsWith(`r${round}/`) && !a.acked).length;
      assert.ok(pending > 0, `round ${round}: the kill interrupted no write`);

      await server.start();
      const check = s3Client(endpoint);
      try {
        // blobs/tmp is cleared and orphans swept at start, before any new traffic.
        const files = await blobFiles(dataDir);
        assert.deepEqual(files.tmp, [], 'blobs/tmp is empty after restart');
        assert.equal(files.committed.length, await expectedBlobCount(check, attempts), 'no orphan blob after restart');
        for (const [key, a] of attempts) {
          const got = await readAll(check, key);
          if (a.acked) {
            assert.ok(got, `acknowledged ${key} is missing after kill -9`);
            assert.equal(got.length, a.size, `${key} size`);
            assert.equal(sha256(got), a.hash, `acknowledged ${key} differs after kill -9`);
          } else if (got) {
            // Committed just before the kill, unacknowledged: it must then be whole.
            assert.equal(sha256(got), a.hash, `unacknowledged ${key} is visible but not what was sent`);
          }
        }
      } finally {
        check.destroy();
      }
    }
    const ackedTotal = [...attempts.values()].filter((a) => a.acked).length;
    assert.ok(ackedTotal >= ROUNDS * 10, `only ${ackedTotal} acknowledged writes`);

    // Exactly the referenced blobs remain, by the store's own account.
    await server.kill('SIGTERM');
    const meta = SqliteMetadataStore.open({ path: join(dataDir, 'meta.sqlite'), newVersionId: () => 'unused' });
    try {
      const referenced = await meta.referencedBlobIds();
      const { committed } = await blobFiles(dataDir);
      assert.deepEqual(new Set(committed), referenced);
    } finally {
      await meta.close();
    }
  } finally {
    await server.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});
