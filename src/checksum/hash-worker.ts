/**
 * A worker thread that hashes request bodies (MD5, SHA-256 and the flexible checksums) while
 * the main thread decodes, seals and stores them: large uploads use both cores.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { createChecksum, type Checksum, type ChecksumAlgorithm } from './checksum.js';

export type HashRequest =
  | { type: 'begin'; id: number; sha256: boolean; checksums: ChecksumAlgorithm[] }
  | { type: 'data'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'abort'; id: number };

/** `ack` after each chunk (for the sender's flow control), then one `done`. */
export type HashReply = { type: 'ack'; id: number; bytes: number } | HashResult;

export interface HashResult {
  type: 'done';
  id: number;
  md5: Uint8Array;
  sha256?: string;
  checksums: Array<[ChecksumAlgorithm, Uint8Array]>;
}

interface State { md5: Hash; sha256?: Hash; checksums: Array<[ChecksumAlgorithm, Checksum]> }

const states = new Map<number, State>();

parentPort?.on('message', (m: HashRequest) => {
  switch (m.type) {
    case 'begin': {
      const s: State = { md5: createHash('md5'), checksums: m.checksums.map((a) => [a, createChecksum(a)]) };
      if (m.sha256) s.sha256 = createHash('sha256');
      states.set(m.id, s);
      return;
    }
    case 'data': {
      const s = states.get(m.id);
      if (!s) return;
      s.md5.update(m.bytes);
      s.sha256?.update(m.bytes);
      for (const [, c] of s.checksums) c.update(m.bytes);
      parentPort!.postMessage({ type: 'ack', id: m.id, bytes: m.bytes.length } satisfies HashReply);
      return;
    }
    case 'end': {
      const s = states.get(m.id);
      if (!s) return;
      states.delete(m.id);
      const r: HashResult = { type: 'done', id: m.id, md5: s.md5.digest(), checksums: s.checksums.map(([a, c]) => [a, c.digest()]) };
      if (s.sha256) r.sha256 = s.sha256.digest('hex');
      parentPort!.postMessage(r);
      return;
    }
    case 'abort':
      states.delete(m.id);
  }
});
