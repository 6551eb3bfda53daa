import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChecksumAlgorithm } from './checksum.js';
import type { HashReply, HashRequest } from './hash-worker.js';

/** The digests of one body. */
export interface BodyDigests {
  md5: Buffer;
  sha256?: string;
  checksums: Array<[ChecksumAlgorithm, Buffer]>;
}

/** One body being hashed in a worker: feed it in order, then ask for the digests. */
export interface OffloadedHash {
  update(data: Uint8Array): void;
  /** Resolves once at most `limit` bytes sent are still waiting to be hashed. */
  drained(limit: number): Promise<void> | undefined;
  digests(): Promise<BodyDigests>;
  abort(): void;
}

/**
 * A small pool of hashing workers (one fewer than the cores, at least one). Each body is
 * pinned to one worker, so its chunks are hashed in order; bytes are copied once into a
 * transferred buffer (the original goes on to be sealed). Workers do not keep the process
 * alive and are started on first use.
 */
export class HashPool {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, { worker: Worker; resolve: (d: BodyDigests) => void; reject: (e: Error) => void }>();
  /** Bytes sent but not yet hashed, per body, with whoever waits for them to go down. */
  private readonly flow = new Map<number, { inflight: number; limit: number; wake?: () => void }>();
  private nextId = 1;
  private turn = 0;
  private closed = false;

  constructor(private readonly size = Math.max(1, availableParallelism() - 1)) {}

  private worker(): Worker {
    if (this.workers.length < this.size) {
      // A small young generation: the chunks it hashes are garbage at once, collect them soon.
      const w = new Worker(new URL('./hash-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 } });
      w.unref();
      w.on('message', (r: HashReply) => {
        if (r.type === 'ack') {
          const f = this.flow.get(r.id);
          if (!f) return;
          f.inflight -= r.bytes;
          if (f.wake && f.inflight <= f.limit) {
            const wake = f.wake;
            delete f.wake;
            wake();
          }
          return;
        }
        this.flow.delete(r.id);
        const p = this.waiting.get(r.id);
        if (!p) return;
        this.waiting.delete(r.id);
        const d: BodyDigests = { md5: Buffer.from(r.md5), checksums: r.checksums.map(([a, v]) => [a, Buffer.from(v)]) };
        if (r.sha256 !== undefined) d.sha256 = r.sha256;
        p.resolve(d);
      });
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', (code) => { if (!this.closed) this.fail(w, new Error(`hash worker exited with ${code}`)); });
      this.workers.push(w);
      return w;
    }
    return this.workers[this.turn++ % this.workers.length]!;
  }

  private fail(w: Worker, e: Error): void {
    this.workers = this.workers.filter((x) => x !== w);
    for (const [id, p] of this.waiting) {
      if (p.worker !== w) continue;
      this.waiting.delete(id);
      p.reject(e);
    }
    // Writers blocked on a dead worker are released; their digests() then fails.
    for (const f of this.flow.values()) f.wake?.();
  }

  begin(sha256: boolean, checksums: ChecksumAlgorithm[]): OffloadedHash {
    if (this.closed) throw new Error('hash pool is closed');
    const w = this.worker();
    const id = this.nextId++;
    const send = (m: HashRequest, transfer?: ArrayBuffer[]): void => w.postMessage(m, transfer);
    send({ type: 'begin', id, sha256, checksums });
    const flow = { inflight: 0, limit: 0 } as { inflight: number; limit: number; wake?: () => void };
    this.flow.set(id, flow);
    return {
      update(data) {
        const copy = new Uint8Array(data);
        flow.inflight += copy.length;
        send({ type: 'data', id, bytes: copy }, [copy.buffer]);
      },
      drained(limit) {
        if (flow.inflight <= limit) return undefined;
        flow.limit = limit;
        return new Promise<void>((resolve) => { flow.wake = resolve; });
      },
      digests: () => new Promise<BodyDigests>((resolve, reject) => {
        this.waiting.set(id, { worker: w, resolve, reject });
        send({ type: 'end', id });
      }),
      abort: () => {
        this.flow.delete(id);
        send({ type: 'abort', id });
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
