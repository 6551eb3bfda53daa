// Quick SSE throughput figures (run once, by hand): 64 MiB PUT/GET with SSE-S3, SSE-KMS and
// SSE-KMS with an S3 Bucket Key, and 4 KiB PUTs with SSE-KMS with and without a bucket key.
// In-process server on loopback, one client, sequential requests.
//   npx tsc -p . && node dist/bench/sse/sse-bench.js
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutBucketEncryptionCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { kmsClient, s3Client, startTestServer } from '../../test/e2e/harness.js';

const MiB = 1024 * 1024;

async function time(fn: () => Promise<void>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function drain(s3: S3Client, Bucket: string, Key: string): Promise<void> {
  const g = await s3.send(new GetObjectCommand({ Bucket, Key }));
  for await (const _ of g.Body as AsyncIterable<Uint8Array>) { /* discard */ }
}

const srv = await startTestServer();
try {
  const s3 = s3Client(srv.endpoint);
  const keyArn = (await kmsClient(srv.endpoint).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const modes: Array<[string, string | undefined, boolean]> = [['SSE-S3', undefined, false], ['SSE-KMS', keyArn, false], ['SSE-KMS+bucket key', keyArn, true]];
  const big = randomBytes(64 * MiB);
  const rows: string[] = [];
  for (const [name, key, bucketKey] of modes) {
    const bucket = `bench-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (key) {
      await s3.send(new PutBucketEncryptionCommand({
        Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: bucketKey }] },
      }));
    }
    const puts: number[] = [];
    const gets: number[] = [];
    for (let i = 0; i < 3; i++) {
      puts.push(await time(async () => { await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `big${i}`, Body: big })); }));
      gets.push(await time(() => drain(s3, bucket, `big${i}`)));
    }
    const best = (a: number[]): number => Math.min(...a);
    rows.push(`${name.padEnd(20)} 64 MiB PUT ${(64 / (best(puts) / 1000)).toFixed(0).padStart(5)} MiB/s   GET ${(64 / (best(gets) / 1000)).toFixed(0).padStart(5)} MiB/s`);
    {
      const n = 500;
      const small = randomBytes(4096);
      for (let i = 0; i < 20; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `warm${i}`, Body: small }));
      const ms = await time(async () => {
        for (let i = 0; i < n; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `s${i}`, Body: small }));
      });
      rows.push(`${name.padEnd(20)} 4 KiB PUT  ${(n / (ms / 1000)).toFixed(0).padStart(5)} req/s (${(ms / n).toFixed(2)} ms each, sequential)`);
    }
  }
  console.log(rows.join('\n'));
} finally {
  await srv.stop();
}
