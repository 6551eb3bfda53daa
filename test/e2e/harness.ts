import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { KMSClient } from '@aws-sdk/client-kms';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import pino from 'pino';
import { configFrom, type Config } from '../../src/server/config.js';
import { startServer, type Running } from '../../src/server/start.js';

export const ROOT_KEY = { accessKeyId: 'AKIAMANAGEMENT000001', secretAccessKey: 'management-secret-key-for-tests-0000000001' };
export const OTHER_KEY = { accessKeyId: 'AKIAOTHERACCOUNT0001', secretAccessKey: 'other-account-secret-key-for-tests-000001' };
export const OTHER_ACCOUNT = '111111111111';

export interface TestServer {
  endpoint: string;
  port: number;
  dataDir: string;
  running: Running;
  config: Config;
  stop(): Promise<void>;
}

/** Starts Coffer in this process on a random port with a fresh data directory. */
export async function startTestServer(env: Record<string, string> = {}, opts: { clock?: () => Date } = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'coffer-e2e-'));
  const config = configFrom({
    COFFER_PORT: '0',
    COFFER_DATA_DIR: dataDir,
    COFFER_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
    COFFER_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    ...env,
  });
  const running = await startServer(config, { logger: pino({ level: 'silent' }), ...(opts.clock ? { clock: opts.clock } : {}) });
  const port = running.listening.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    running,
    config,
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `<bucket>.localhost` does not resolve everywhere: an agent whose lookup sends every
 * `*.localhost` name to the loopback address, as a resolver following RFC 6761 would.
 */
export const localhostAgent = new Agent({
  keepAlive: true,
  lookup: (hostname, options, cb) => {
    const all = typeof options === 'object' && options.all;
    if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
      if (all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
      return;
    }
    cb(new Error(`test agent resolves only localhost names, not ${hostname}`) as NodeJS.ErrnoException, '', 4);
  },
});

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export function s3Client(endpoint: string, key: Credentials = ROOT_KEY, opts: { forcePathStyle?: boolean; systemClockOffset?: number } = {}): S3Client {
  return new S3Client({
    ...clientConfig(endpoint, key),
    forcePathStyle: opts.forcePathStyle ?? true,
    ...(opts.systemClockOffset !== undefined ? { systemClockOffset: opts.systemClockOffset } : {}),
  });
}

/** What every test client shares: the endpoint, one region, fixed keys, no retries, the *.localhost resolver. */
export function clientConfig(endpoint: string, key: Credentials = ROOT_KEY) {
  return {
    requestHandler: new NodeHttpHandler({ httpAgent: localhostAgent }),
    endpoint,
    region: 'us-east-1',
    credentials: key,
    maxAttempts: 1,
  };
}

export function stsClient(endpoint: string, key: Credentials = ROOT_KEY): STSClient {
  return new STSClient(clientConfig(endpoint, key));
}

export function kmsClient(endpoint: string, key: Credentials = ROOT_KEY): KMSClient {
  return new KMSClient(clientConfig(endpoint, key));
}

export function orgsClient(endpoint: string, key: Credentials = ROOT_KEY): OrganizationsClient {
  return new OrganizationsClient(clientConfig(endpoint, key));
}

export function iamClient(endpoint: string, key: Credentials = ROOT_KEY): IAMClient {
  return new IAMClient(clientConfig(endpoint, key));
}

/**
 * S3 Control as the README shows it: the SDK's endpoint rules would put the account id in
 * front of the host (`<account>.127.0.0.1`); the endpoint provider keeps the endpoint as given.
 */
export function s3ControlClient(endpoint: string, key: Credentials = ROOT_KEY): S3ControlClient {
  return new S3ControlClient({
    region: 'us-east-1',
    endpoint,
    endpointProvider: () => ({ url: new URL(endpoint) }),
    credentials: key,
    maxAttempts: 1,
  });
}

/** The Debian AWS CLI (v2), never a pyenv shim or a v1 CLI that may sit earlier on PATH. */
export const AWS_CLI = process.env.COFFER_TEST_AWS_CLI ?? '/usr/bin/aws';

const execFileP = promisify(execFile);

export async function awsCli(endpoint: string, args: string[], key = ROOT_KEY, extraEnv: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return execFileP(AWS_CLI, ['--endpoint-url', endpoint, '--no-cli-pager', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...extraEnv,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Spawns `coffer server` as a child process (for crash tests). */
export function spawnServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(import.meta.dirname, '../../src/cli/main.js'), 'server'], {
    env: { ...process.env, COFFER_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
