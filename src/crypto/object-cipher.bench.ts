// Throughput of the chunked format on one core, against raw AES-256-GCM as the ceiling.
// Run: npx tsc -p . && node dist/src/crypto/object-cipher.bench.js [MiB]
// (Lives beside the code so src/crypto stays self-contained; bench/ may import it.)
import { createCipheriv, randomBytes } from 'node:crypto';
import type { Transform } from 'node:stream';
import { createDecryptStream, createEncryptStream, encryptObject } from './object-cipher.js';

const MiB = 1024 * 1024;
const total = Number(process.argv[2] ?? 512) * MiB;
const chunkSize = 64 * 1024;
const key = randomBytes(32);
const aad = 'bench-bucket/some/key/version-0001';

function report(name: string, bytes: number, ns: bigint): void {
  const mbps = bytes / (Number(ns) / 1e9) / 1e6;
  console.log(`${name.padEnd(44)} ${mbps.toFixed(0).padStart(6)} MB/s`);
}

function time(fn: () => void): bigint {
  const t = process.hrtime.bigint();
  fn();
  return process.hrtime.bigint() - t;
}

/** Pushes `pieces` (cycled until `bytes`) through the transform, discarding its output. */
async function drive(stream: Transform, pieces: Buffer[], bytes: number): Promise<bigint> {
  const t = process.hrtime.bigint();
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', () => {});
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  let sent = 0;
  for (let i = 0; sent < bytes; i++) {
    const p = pieces[i % pieces.length]!;
    const piece = sent + p.length > bytes ? p.subarray(0, bytes - sent) : p;
    sent += piece.length;
    if (!stream.write(piece)) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await done;
  return process.hrtime.bigint() - t;
}

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < buf.length; o += size) out.push(buf.subarray(o, o + size));
  return out;
}

async function main(): Promise<void> {
  const block = randomBytes(4 * MiB);
  console.log(`${total / MiB} MiB per run, chunkSize ${chunkSize}, node ${process.version}`);

  for (let round = 0; round < 2; round++) {
    const iv = Buffer.alloc(12);
    report('raw GCM, one cipher, 1 MiB updates', total, time(() => {
      const c = createCipheriv('aes-256-gcm', key, iv);
      for (let s = 0; s < total; s += MiB) c.update(block.subarray(0, MiB));
      c.final();
    }));
    report('raw GCM, one cipher per 64 KiB chunk', total, time(() => {
      for (let s = 0; s < total; s += chunkSize) {
        const c = createCipheriv('aes-256-gcm', key, iv);
        c.update(block.subarray(0, chunkSize));
        c.final();
        c.getAuthTag();
      }
    }));

    for (const inSize of [chunkSize, 16 * 1024, MiB]) {
      report(`encrypt stream, ${inSize / 1024} KiB writes`, total, await drive(createEncryptStream(key, { chunkSize, aad }), split(block, inSize), total));
    }
    // Decrypt a real ciphertext of the same size; 64 KiB reads do not align with the 65552-byte stride.
    const plain = Buffer.allocUnsafe(total);
    for (let o = 0; o < total; o += block.length) block.copy(plain, o);
    const sealed = encryptObject(key, plain, { chunkSize, aad });
    for (const inSize of [chunkSize, MiB]) {
      const d = createDecryptStream(key, { chunkSize, aad, plaintextLength: total });
      const ns = await drive(d.stream, split(sealed, inSize), sealed.length);
      report(`decrypt stream, ${inSize / 1024} KiB reads`, total, ns);
    }
    const dsse = encryptObject([key, key], plain.subarray(0, total / 4), { chunkSize, aad });
    const d2 = createDecryptStream([key, key], { chunkSize, aad, plaintextLength: total / 4 });
    report('decrypt stream, DSSE (2 layers), 64 KiB reads', total / 4, await drive(d2.stream, split(dsse, chunkSize), dsse.length));
    console.log('');
  }
}

await main();
