import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { computeChecksum } from './checksum.js';
import { HashPool } from './hash-pool.js';

test('worker digests equal inline digests, for bodies fed in any chunking, several at once', async () => {
  const pool = new HashPool(2);
  try {
    const bodies = [0, 1, 65_536, 5 * 1024 * 1024 + 3].map((n) => randomBytes(n));
    const runs = bodies.map(async (body) => {
      const h = pool.begin(true, ['CRC64NVME', 'CRC32C', 'SHA1']);
      for (let i = 0; i < body.length;) {
        const n = 1 + Math.floor(Math.random() * 300_000);
        h.update(body.subarray(i, i + n));
        i += n;
        await h.drained(1024 * 1024);
      }
      const d = await h.digests();
      assert.deepEqual(d.md5, createHash('md5').update(body).digest());
      assert.equal(d.sha256, createHash('sha256').update(body).digest('hex'));
      assert.deepEqual(Object.fromEntries(d.checksums), {
        CRC64NVME: computeChecksum('CRC64NVME', body), CRC32C: computeChecksum('CRC32C', body), SHA1: computeChecksum('SHA1', body),
      });
    });
    await Promise.all(runs);
  } finally {
    await pool.close();
  }
});

test('an abandoned body is forgotten; the pool keeps serving', async () => {
  const pool = new HashPool(1);
  try {
    const a = pool.begin(false, []);
    a.update(Buffer.from('partial'));
    a.abort();
    const b = pool.begin(false, []);
    b.update(Buffer.from('whole'));
    assert.deepEqual((await b.digests()).md5, createHash('md5').update('whole').digest());
  } finally {
    await pool.close();
  }
});
