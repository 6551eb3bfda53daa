import { setMaxListeners } from 'node:events';

// Closed-loop load: `concurrency` workers, each issuing one operation after another, until
// a count or a duration is reached (whichever first); a hard deadline aborts stragglers.

export interface LoadOptions {
  concurrency: number;
  maxOps: number;
  maxMs: number;
  /** Abort outstanding operations this long after the start (default 3 × maxMs + 30 s). */
  hardMs?: number;
  op: (seq: number, worker: number, signal: AbortSignal) => Promise<number>;
}

export interface LoadResult {
  ops: number;
  errors: number;
  firstError?: string;
  bytes: number;
  elapsedMs: number;
  opsPerSec: number;
  mbPerSec: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function closedLoop(o: LoadOptions): Promise<LoadResult> {
  const lat = new Float64Array(o.maxOps);
  let started = 0;
  let ops = 0;
  let errors = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const t0 = performance.now();
  const stopAt = t0 + o.maxMs;
  const hard = setTimeout(() => abort.abort(new Error('hard deadline')), o.hardMs ?? 3 * o.maxMs + 30_000);
  const worker = async (w: number): Promise<void> => {
    while (started < o.maxOps && performance.now() < stopAt && !abort.signal.aborted) {
      const seq = started++;
      const t = performance.now();
      try {
        // Not `bytes += await …`: that reads `bytes` before the await and loses other workers' updates.
        const n = await o.op(seq, w, abort.signal);
        bytes += n;
        lat[ops++] = performance.now() - t;
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
        if (errors > 20) abort.abort(new Error('too many errors'));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, w) => worker(w)));
  clearTimeout(hard);
  const elapsedMs = performance.now() - t0;
  const sorted = lat.slice(0, ops).sort();
  const r: LoadResult = {
    ops, errors, bytes, elapsedMs,
    opsPerSec: ops / (elapsedMs / 1000),
    mbPerSec: bytes / 1e6 / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: ops ? sorted[ops - 1]! : NaN,
  };
  if (firstError !== undefined) r.firstError = firstError;
  return r;
}
