// A minimal KMS client for the benchmarks: JSON 1.1 over keep-alive HTTP, SigV4-signed with
// Coffer's own client signer (the SDK's overhead would dominate a small call).
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { signWithHeader } from '../src/auth/client-signer.js';
import { ROOT_KEYS } from './children.js';
import { keepAliveAgent } from './sigv4-client.js';

const agent = keepAliveAgent(32);

export function kms(port: number, target: string, body: unknown): Promise<Record<string, unknown>> {
  const payload = Buffer.from(JSON.stringify(body));
  const { headers } = signWithHeader(
    { method: 'POST', rawPath: '/', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${target}` } },
    ROOT_KEYS, 'us-east-1', 'kms', new Date(), createHash('sha256').update(payload).digest('hex'),
  );
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { ...headers, 'content-length': String(payload.length) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${target}: HTTP ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

