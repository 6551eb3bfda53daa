import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { iamClient, ROOT_KEY, s3Client, startTestServer } from './harness.js';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

test('access-key secrets are sealed at rest and the databases are private to their owner', async () => {
  const srv = await startTestServer();
  try {
    const iam = iamClient(srv.endpoint);
    await iam.send(new CreateUserCommand({ UserName: 'svc' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'svc' }))).AccessKey!;
    // The key works, so the sealed secret opens again for verification.
    await assert.rejects(s3Client(srv.endpoint, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }).send(new ListBucketsCommand({})), /AccessDenied/);
    await srv.running.app.keyUsage.flush();
    for (const f of await files(srv.dataDir)) {
      if (f.endsWith('root-credentials.json')) continue; // the operator's copy of the root keys, 0600 by design
      const bytes = await readFile(f);
      for (const secret of [key.SecretAccessKey!, ROOT_KEY.secretAccessKey]) {
        assert.equal(bytes.includes(Buffer.from(secret)), false, `${f} holds a secret in plaintext`);
      }
      if (/\.sqlite(-wal|-shm)?$/.test(f)) assert.equal((await stat(f)).mode & 0o077, 0, `${f} is readable by others`);
    }
  } finally {
    await srv.stop();
  }
});
