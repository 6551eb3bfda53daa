/**
 * KMS throughput (`npm run bench:kms`): GenerateDataKey and Decrypt at concurrency 16 over
 * keep-alive HTTP with SigV4 (Coffer as a child process), beside one-core AES-256-GCM
 * seal/open of a 32-byte data key in this process (the ceiling of the cryptography itself).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort, spawnCoffer, waitReady } from './children.js';
import { kms } from './kms-client.js';
import { closedLoop } from './load.js';

function cryptoCeiling(ms: number): number {
  const key = randomBytes(32);
  const dataKey = randomBytes(32);
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([c.update(dataKey), c.final()]);
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(c.getAuthTag());
    Buffer.concat([d.update(sealed), d.final()]);
    n++;
  }
  return Math.round((n / ms) * 1000);
}

const work = await mkdtemp(join(tmpdir(), 'coffer-bench-kms-'));
const port = await freePort();
const profDir = process.argv.find((a) => a.startsWith('--cpu-prof='))?.slice(11);
const child = spawnCoffer({ dataDir: join(work, 'coffer'), port, ...(profDir ? { cpuProfDir: profDir } : {}) });
try {
  await waitReady(child, () => kms(port, 'ListKeys', {}));
  const key = await kms(port, 'CreateKey', { Description: 'bench' });
  const keyId = (key['KeyMetadata'] as { KeyId: string }).KeyId;
  const blob = (await kms(port, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } }))['CiphertextBlob'] as string;
  const gdk = await closedLoop({ concurrency: 16, maxOps: 40_000, maxMs: 5_000, op: async () => { await kms(port, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } }); return 0; } });
  const dec = await closedLoop({ concurrency: 16, maxOps: 40_000, maxMs: 5_000, op: async () => { await kms(port, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/k' } }); return 0; } });
  const ceiling = cryptoCeiling(2_000);
  const row = (label: string, r: typeof gdk): string => `| ${label} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} | ${ceiling.toLocaleString('en-US')} | ${Math.round((r.opsPerSec / ceiling) * 100)}% | ${r.errors} |`;
  process.stdout.write(['| KMS call, c=16 | ops/s | p50 / p99 ms | ceiling (AES-GCM seal+open of a data key, 1 core) | ratio | errors |', '|---|--:|--:|--:|--:|--:|',
    row('GenerateDataKey', gdk), row('Decrypt', dec)].join('\n') + '\n');
} finally {
  await child.stop();
  await rm(work, { recursive: true, force: true });
}
