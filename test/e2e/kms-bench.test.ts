// A quick throughput figure for the bench table (bench/ is owned elsewhere): GenerateDataKey
// and Decrypt through the SDK over HTTP, 16 requests in flight. Run alone:
//   node --test dist/test/e2e/kms-bench.test.js
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { CreateKeyCommand, DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { kmsClient, startTestServer } from './harness.js';

const CONCURRENCY = 16;
const SECONDS = Number(process.env.COFFER_KMS_BENCH_SECONDS ?? 2);

async function measure(run: () => Promise<unknown>): Promise<number> {
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < until) {
      await run();
      done++;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return done / seconds;
}

test('GenerateDataKey and Decrypt ops/s (SDK, concurrency 16)', async (t) => {
  const srv = await startTestServer();
  const kms = kmsClient(srv.endpoint);
  try {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const context = { 'aws:s3:arn': 'arn:aws:s3:::bench/object' };
    const sample = await kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256', EncryptionContext: context }));
    const gdk = await measure(() => kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256', EncryptionContext: context })));
    const dec = await measure(() => kms.send(new DecryptCommand({ CiphertextBlob: sample.CiphertextBlob, EncryptionContext: context })));
    t.diagnostic(`GenerateDataKey: ${gdk.toFixed(0)} ops/s; Decrypt: ${dec.toFixed(0)} ops/s (concurrency ${CONCURRENCY}, ${SECONDS}s each)`);
    assert.ok(gdk > 0 && dec > 0);
  } finally {
    kms.destroy();
    await srv.stop();
  }
});
