// S3 Access Grants benchmark (run once; figures go to bench/README.md):
//   1. CreateAccessGrant throughput over HTTP (SigV4, 32 in flight) while filling one
//      instance with 100,000 grants;
//   2. GetDataAccess latency with those 100,000 grants: server-side time of the S3 Control
//      handler (authentication, authorization, grant lookup, the service principal's
//      AssumeRole, the new session's durable write), excluding the client; the round trip too;
//   3. `coffer access apply` of a 10,000-grant file against a fresh server (child process),
//      then the same file again (no changes).
// Usage: node dist/bench/access-grants/run.js [--grants=100000] [--apply-grants=10000]
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { el, S3ControlHttpClient } from '../../src/protocols/restxml/s3control/client.js';
import { configFrom } from '../../src/server/config.js';
import { startServer, type Running } from '../../src/server/start.js';

const arg = (name: string, d: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d);
const GRANTS = arg('grants', 100_000);
const APPLY_GRANTS = arg('apply-grants', 10_000);
const A = '000000000000';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret-key-000000000000000001' };
const doc = (s: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: s });

async function server(env: Record<string, string> = {}): Promise<{ running: Running; endpoint: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-ag-bench-'));
  const config = configFrom({ COFFER_PORT: '0', COFFER_DATA_DIR: dir, COFFER_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, COFFER_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, ...env });
  const running = await startServer(config, { logger: pino({ level: 'silent' }) });
  return { running, endpoint: `http://127.0.0.1:${running.listening.port}`, dir };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await task(next++);
  }));
}

const grantBody = (location: string, grantee: string, sub: string, permission = 'READ'): string =>
  el('AccessGrantsLocationId', location) + `<AccessGrantsLocationConfiguration>${el('S3SubPrefix', sub)}</AccessGrantsLocationConfiguration>`
  + `<Grantee>${el('GranteeType', 'IAM')}${el('GranteeIdentifier', grantee)}</Grantee>${el('Permission', permission)}`;

async function main(): Promise<void> {
  const out: Record<string, unknown> = { grants: GRANTS };
  const s = await server();
  const iam = new IAMClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: ROOT });
  await iam.send(new CreateRoleCommand({ RoleName: 'bench-location', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'access-grants.s3.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:SetContext'] }]) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'bench-location', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }));
  await iam.send(new CreateUserCommand({ UserName: 'reader' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetDataAccess', Resource: '*' }]) }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
  const reader = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  iam.destroy();

  const admin = new S3ControlHttpClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: ROOT, accountId: A, maxSockets: 32 });
  await admin.call('CreateAccessGrantsInstance', 'POST', 'accessgrantsinstance', {}, '');
  const loc = await admin.call('CreateAccessGrantsLocation', 'POST', 'accessgrantsinstance/location', {}, el('LocationScope', 's3://bench-data/') + el('IAMRoleArn', `arn:aws:iam::${A}:role/bench-location`));
  const location = String(loc.AccessGrantsLocationId);
  // 100,000 grants: 1,000 of them to `reader` (so a lookup that scanned the grantee's grants would show),
  // the rest spread over 1,000 other users, every grant on its own prefix.
  const READER_GRANTS = Math.min(1000, GRANTS);
  const t0 = process.hrtime.bigint();
  await pool(GRANTS, 32, async (i) => {
    const grantee = i < READER_GRANTS ? `arn:aws:iam::${A}:user/reader` : `arn:aws:iam::${A}:user/u${i % 1000}`;
    await admin.call('CreateAccessGrant', 'POST', 'accessgrantsinstance/grant', {}, grantBody(location, grantee, `d${i}/*`));
  });
  const createSec = Number(process.hrtime.bigint() - t0) / 1e9;
  out.createAccessGrantPerSec = Math.round(GRANTS / createSec);
  out.createSeconds = +createSec.toFixed(1);
  admin.close();
  process.stderr.write(`created ${GRANTS} grants in ${createSec.toFixed(1)} s (${out.createAccessGrantPerSec}/s)\n`);

  // Server-side time of each S3 Control request: the handler from routing to the last byte written.
  const serverMs: number[] = [];
  const handler = s.running.app.services.s3control!;
  s.running.app.services.s3control = async (req, res, rc, rawPath, rawQuery) => {
    const start = process.hrtime.bigint();
    try {
      await handler(req, res, rc, rawPath, rawQuery);
    } finally {
      serverMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  const client = new S3ControlHttpClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: reader, accountId: A, maxSockets: 8 });
  const N = 2000;
  for (let i = 0; i < 200; i++) await client.call('GetDataAccess', 'GET', 'accessgrantsinstance/dataaccess', { target: `s3://bench-data/d${i % READER_GRANTS}/x/*`, permission: 'READ' });
  serverMs.length = 0;
  const rtt: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const r = await client.call('GetDataAccess', 'GET', 'accessgrantsinstance/dataaccess', { target: `s3://bench-data/d${(i * 7) % READER_GRANTS}/part-${i}.csv`, permission: 'READ', targetType: 'Object' });
    rtt.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!r.Credentials) throw new Error('no credentials');
  }
  const sortedServer = [...serverMs].sort((a, b) => a - b);
  const sortedRtt = [...rtt].sort((a, b) => a - b);
  out.getDataAccess = {
    requests: N, concurrency: 1,
    serverP50Ms: +pct(sortedServer, 50).toFixed(2), serverP99Ms: +pct(sortedServer, 99).toFixed(2),
    roundTripP50Ms: +pct(sortedRtt, 50).toFixed(2), roundTripP99Ms: +pct(sortedRtt, 99).toFixed(2),
  };
  // Under load: 8 in flight (group commit shares the fsync of the new sessions).
  serverMs.length = 0;
  const tl = process.hrtime.bigint();
  await pool(N, 8, async (i) => {
    await client.call('GetDataAccess', 'GET', 'accessgrantsinstance/dataaccess', { target: `s3://bench-data/d${(i * 13) % READER_GRANTS}/*`, permission: 'READ' });
  });
  const loadSec = Number(process.hrtime.bigint() - tl) / 1e9;
  const sortedLoad = [...serverMs].sort((a, b) => a - b);
  out.getDataAccessLoaded = { requests: N, concurrency: 8, perSec: Math.round(N / loadSec), serverP50Ms: +pct(sortedLoad, 50).toFixed(2), serverP99Ms: +pct(sortedLoad, 99).toFixed(2) };
  client.close();
  await s.running.stop();
  await rm(s.dir, { recursive: true, force: true });

  // coffer access apply: a 10,000-grant file (2,500 data sets × 4 grantees) against a fresh server.
  const f = await server();
  const fileDir = await mkdtemp(join(tmpdir(), 'coffer-ag-apply-'));
  const file = join(fileDir, 'access.json');
  const datasets = Array.from({ length: Math.ceil(APPLY_GRANTS / 4) }, (_, i) => ({
    prefix: `s3://lake/team-${i % 50}/set-${i}/*`,
    read: [`arn:aws:iam::${A}:user/r${i % 200}`, `arn:aws:iam::${A}:role/analyst-${i % 20}`, `arn:aws:iam::${A}:user/x${i % 7}`],
    readwrite: [`arn:aws:iam::${A}:user/w${i % 100}`],
  }));
  writeFileSync(file, JSON.stringify({ locations: [{ scope: 's3://lake/', role: `arn:aws:iam::${A}:role/lake` }], datasets }));
  const run = promisify(execFile);
  const main = join(import.meta.dirname, '../../src/cli/main.js');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_ACCESS_KEY_ID: ROOT.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
  const ta = process.hrtime.bigint();
  await run(process.execPath, [main, 'access', 'apply', file, '--endpoint', f.endpoint, '--account-id', A], { env, maxBuffer: 256 * 1024 * 1024 });
  const applySec = Number(process.hrtime.bigint() - ta) / 1e9;
  const tb = process.hrtime.bigint();
  const again = await run(process.execPath, [main, 'access', 'apply', file, '--endpoint', f.endpoint, '--account-id', A], { env, maxBuffer: 256 * 1024 * 1024 });
  const noopSec = Number(process.hrtime.bigint() - tb) / 1e9;
  if (again.stdout !== 'No changes.\n') throw new Error(`second apply was not a no-op: ${again.stdout.slice(0, 300)}`);
  out.accessApply = { grants: datasets.length * 4, firstRunSeconds: +applySec.toFixed(1), noChangeRunSeconds: +noopSec.toFixed(1) };
  await f.running.stop();
  await rm(f.dir, { recursive: true, force: true });
  await rm(fileDir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
