// A Coffer for the KMS tests: a second account (for cross-account and grant cases), a
// clock the test can move, and every log line kept (to prove no key material is logged).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import pino from 'pino';
import { configFrom } from '../../src/server/config.js';
import { startServer, type Running } from '../../src/server/start.js';
import { clientConfig, OTHER_ACCOUNT, OTHER_KEY, ROOT_KEY } from './harness.js';

export const MGMT_ACCOUNT = '000000000000';

export interface KmsTestServer {
  endpoint: string;
  dataDir: string;
  running: Running;
  logs: string[];
  /** Moves the server's clock (and the clients made by `client` after the move) forward. */
  advance(ms: number): void;
  client(key?: typeof ROOT_KEY): KMSClient;
  stop(): Promise<void>;
}

export async function startKmsServer(): Promise<KmsTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coffer-kms-'));
  const bootstrap = join(dataDir, 'bootstrap.json');
  await writeFile(bootstrap, JSON.stringify({ accounts: [{ id: OTHER_ACCOUNT, name: 'other', rootAccessKeys: [OTHER_KEY] }] }));
  const config = configFrom({
    COFFER_PORT: '0',
    COFFER_DATA_DIR: dataDir,
    COFFER_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
    COFFER_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    COFFER_BOOTSTRAP: bootstrap,
    COFFER_LOG_LEVEL: 'debug',
  });
  let offset = 0;
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const running = await startServer(config, { logger, clock: () => new Date(Date.now() + offset) });
  const endpoint = `http://127.0.0.1:${running.listening.port}`;
  return {
    endpoint,
    dataDir,
    running,
    logs,
    advance(ms) {
      offset += ms;
    },
    client(key = ROOT_KEY) {
      return new KMSClient({ ...clientConfig(endpoint, key), systemClockOffset: offset });
    },
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The error an SDK call rejects with, for asserting on its name and message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}
