// `npm run bench`: Coffer's S3 data path against a bare Node file server (the ceiling), both
// child processes on this machine, driven from this process over keep-alive node:http with
// SigV4 (UNSIGNED-PAYLOAD). Measured, never asserted. Options:
//   --quick            shorter phases (a smoke run)
//   --only=a,b         phases: 4k, 64m, 1g, sdk (default: all)
//   --cpu-prof         restart Coffer per phase under `node --cpu-prof`; write a summary of
//                      each profile to bench/results/profile-<phase>.txt
//   --no-ceiling       Coffer only
//   --sse=kms          the bucket's default encryption is SSE-KMS with a customer key
//   --sse=kms-bucket-key   the same with an S3 Bucket Key (default: SSE-S3)
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statfsSync, writeFileSync, copyFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { closedLoop, type LoadResult } from './load.js';
import { cpuSeconds, machineBusySeconds, RssSampler } from './rss.js';
import { freePort, ROOT_KEYS, spawnCeiling, spawnCoffer, waitReady, type Child } from './children.js';
import { keepAliveAgent, repeatedBody, send, type Endpoint } from './sigv4-client.js';
import { summarizeFile } from './profile-summary.js';
import { kms } from './kms-client.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const quick = flag('quick');
const cpuProf = flag('cpu-prof');
const withCeiling = !flag('no-ceiling');
const sse = argv.find((a) => a.startsWith('--sse='))?.slice(6);
if (sse !== undefined && sse !== 'kms' && sse !== 'kms-bucket-key') throw new Error('--sse must be kms or kms-bucket-key');
const only = new Set((argv.find((a) => a.startsWith('--only='))?.slice(7) ?? '4k,64m,1g,sdk').split(','));

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const BUCKET = 'bench';
const RESULTS = join(import.meta.dirname, '../../bench/results');

interface Measured extends LoadResult {
  peakRssMb: number;
  /** CPU the server used over the phase, as % of one core, and per operation. */
  serverCpuPct: number;
  serverCpuMsPerOp: number;
  /** CPU the load generator (this process) used, as % of one core. */
  clientCpuPct: number;
  /** CPU used by everything else on the machine meanwhile (noise), as % of one core. */
  otherCpuPct: number;
}
interface Row {
  phase: string;
  label: string;
  unit: 'ops/s' | 'MB/s';
  coffer?: Measured;
  ceiling?: Measured;
}
const rows: Row[] = [];

// ---------------------------------------------------------------- servers

interface Side {
  name: 'coffer' | 'ceiling';
  child: Child;
  ep: Endpoint;
}

const work = await mkdtemp(join(tmpdir(), 'coffer-bench-'));
const cofferDir = join(work, 'coffer');
const ceilingDir = join(work, 'ceiling');
const profDir = join(work, 'profiles');
const cofferPort = await freePort();
const ceilingPort = await freePort();

function endpoint(name: string, port: number): Endpoint {
  return { name, host: '127.0.0.1', port, agent: keepAliveAgent(32), creds: { ...ROOT_KEYS, region: 'us-east-1' } };
}

async function startCoffer(phase?: string): Promise<Side> {
  const opts: Parameters<typeof spawnCoffer>[0] = { dataDir: cofferDir, port: cofferPort };
  if (phase) opts.cpuProfDir = join(profDir, phase);
  const child = spawnCoffer(opts);
  const ep = endpoint('coffer', cofferPort);
  await waitReady(child, () => send(ep, 'GET', '/'));
  await send(ep, 'PUT', `/${BUCKET}`).catch((e: Error) => {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(e.message)) throw e;
  });
  if (sse) await encryptBucketWithKms(cofferPort, ep, sse === 'kms-bucket-key');
  return { name: 'coffer', child, ep };
}

let kmsKeyArn: string | undefined;

/** Default encryption SSE-KMS under one customer key (made once per run). */
async function encryptBucketWithKms(port: number, ep: Endpoint, bucketKey: boolean): Promise<void> {
  kmsKeyArn ??= ((await kms(port, 'CreateKey', { Description: 'bench' }))['KeyMetadata'] as { Arn: string }).Arn;
  const body = Buffer.from(`<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>`
    + `<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>${kmsKeyArn}</KMSMasterKeyID></ApplyServerSideEncryptionByDefault>`
    + `<BucketKeyEnabled>${bucketKey}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`);
  await send(ep, 'PUT', `/${BUCKET}?encryption`, { body });
}

async function startCeiling(): Promise<Side> {
  const child = spawnCeiling(ceilingDir, ceilingPort);
  const ep = endpoint('ceiling', ceilingPort);
  await waitReady(child, () => send(ep, 'PUT', `/${BUCKET}`));
  return { name: 'ceiling', child, ep };
}

let coffer = await startCoffer(cpuProf ? 'startup' : undefined);
const ceiling = withCeiling ? await startCeiling() : undefined;
const profileNotes: string[] = [];

/** With --cpu-prof, each phase gets a fresh Coffer (same data dir) so each profile is one phase. */
async function cofferFor(phase: string): Promise<Side> {
  if (!cpuProf) return coffer;
  await coffer.child.stop();
  coffer.ep.agent.destroy();
  coffer = await startCoffer(phase);
  return coffer;
}

async function endProfile(phase: string): Promise<void> {
  if (!cpuProf) return;
  await coffer.child.stop();
  coffer.ep.agent.destroy();
  const dir = join(profDir, phase);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file) {
    mkdirSync(join(RESULTS, 'profiles'), { recursive: true });
    copyFileSync(join(dir, file), join(RESULTS, 'profiles', `${phase}.cpuprofile`));
    const text = summarizeFile(join(dir, file));
    writeFileSync(join(RESULTS, `profile-${phase}.txt`), text + '\n');
    profileNotes.push(`## ${phase}\n${text}`);
    console.log(`\n--- profile of Coffer during ${phase} ---\n${text.split('\n').slice(0, 22).join('\n')}\n`);
  }
  coffer = await startCoffer(`${phase}-after`);
}

async function measure(side: Side, run: () => Promise<LoadResult>): Promise<Measured> {
  const rss = new RssSampler(side.child.pid).start();
  const cpu0 = cpuSeconds(side.child.pid);
  const client0 = process.cpuUsage();
  const busy0 = machineBusySeconds();
  const r = await run();
  const busy = machineBusySeconds() - busy0;
  const serverCpu = cpuSeconds(side.child.pid) - cpu0;
  const client = process.cpuUsage(client0);
  const secs = r.elapsedMs / 1000;
  return {
    ...r,
    peakRssMb: rss.stop(),
    serverCpuPct: (100 * serverCpu) / secs,
    serverCpuMsPerOp: (1000 * serverCpu) / Math.max(1, r.ops),
    clientCpuPct: (100 * (client.user + client.system) / 1e6) / secs,
    otherCpuPct: Math.max(0, (100 * (busy - serverCpu - (client.user + client.system) / 1e6)) / secs),
  };
}

function log(row: string, side: string, m: Measured, unit: Row['unit']): void {
  const v = unit === 'ops/s' ? `${m.opsPerSec.toFixed(0)} ops/s` : `${m.mbPerSec.toFixed(0)} MB/s`;
  const err = m.errors ? `  ${m.errors} errors (first: ${m.firstError})` : '';
  console.log(`${row.padEnd(26)} ${side.padEnd(8)} ${v.padStart(12)}  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  n=${m.ops}  rss ${m.peakRssMb.toFixed(0)} MB  cpu server ${m.serverCpuPct.toFixed(0)}% (${m.serverCpuMsPerOp.toFixed(3)} ms/op) client ${m.clientCpuPct.toFixed(0)}% other ${m.otherCpuPct.toFixed(0)}%${err}`);
}

/** One row: the same load against Coffer, then the ceiling. */
async function row(phase: string, label: string, unit: Row['unit'], load: (side: Side) => Promise<LoadResult>): Promise<void> {
  const r: Row = { phase, label, unit };
  for (const side of [coffer, ceiling]) {
    if (!side) continue;
    const m = await measure(side, () => load(side));
    r[side.name] = m;
    log(label, side.name, m, unit);
  }
  rows.push(r);
}

// ---------------------------------------------------------------- phases

const small = randomBytes(4 * KiB);
const block = randomBytes(MiB);
const smallWritten: Record<string, number> = {};

async function phase4k(): Promise<void> {
  await cofferFor('4k-put');
  const maxMs = quick ? 1500 : 5000;
  const maxOps = quick ? 5000 : 20_000;
  // Warm-up (not measured): JIT, connection pool, SQLite page cache.
  for (const side of [coffer, ceiling]) {
    if (!side) continue;
    await closedLoop({ concurrency: 16, maxOps: 500, maxMs: 3000, op: (i) => send(side.ep, 'PUT', `/${BUCKET}/warm/${i}`, { body: small }).then(() => 0) });
  }
  await row('4k-put', '4 KiB PUT, c=16', 'ops/s', async (side) => {
    const r = await closedLoop({ concurrency: 16, maxOps, maxMs, op: (i, _w, signal) => send(side.ep, 'PUT', `/${BUCKET}/small/${i}`, { body: small, signal }).then(() => small.length) });
    smallWritten[side.name] = r.ops + r.errors;
    return r;
  });
  await endProfile('4k-put');
  await cofferFor('4k-get');
  await row('4k-get', '4 KiB GET, c=16', 'ops/s', (side) => {
    const n = Math.max(1, smallWritten[side.name] ?? 1);
    let x = 12345;
    return closedLoop({
      concurrency: 16, maxOps, maxMs,
      op: (_i, _w, signal) => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return send(side.ep, 'GET', `/${BUCKET}/small/${x % n}`, { signal }).then((res) => res.bytes);
      },
    });
  });
  await endProfile('4k-get');
}

async function phase64m(): Promise<void> {
  const size = 64 * MiB;
  const body = repeatedBody(block, size);
  for (const c of [1, 4]) {
    const maxOps = quick ? 2 * c : 8 * c;
    const maxMs = quick ? 5000 : 15_000 + 2500 * c;
    await cofferFor(`64m-put-c${c}`);
    await row(`64m-put-c${c}`, `64 MiB PUT, c=${c}`, 'MB/s', (side) => closedLoop({
      concurrency: c, maxOps, maxMs, hardMs: maxMs + 60_000,
      op: (_i, w, signal) => send(side.ep, 'PUT', `/${BUCKET}/big/${w}`, { stream: body, length: size, signal }).then(() => size),
    }));
    await endProfile(`64m-put-c${c}`);
    await cofferFor(`64m-get-c${c}`);
    await row(`64m-get-c${c}`, `64 MiB GET, c=${c}`, 'MB/s', (side) => closedLoop({
      concurrency: c, maxOps, maxMs, hardMs: maxMs + 60_000,
      op: (_i, w, signal) => send(side.ep, 'GET', `/${BUCKET}/big/${w}`, { signal }).then((r) => {
        if (r.bytes !== size) throw new Error(`short GET: ${r.bytes}`);
        return r.bytes;
      }),
    }));
    await endProfile(`64m-get-c${c}`);
  }
  for (const side of [coffer, ceiling]) {
    if (!side) continue;
    for (let w = 0; w < 4; w++) await send(side.ep, 'DELETE', `/${BUCKET}/big/${w}`).catch(() => {});
  }
}

async function phase1g(): Promise<void> {
  const size = quick ? 256 * MiB : GiB;
  const n = 8;
  const label = quick ? '256 MiB' : '1 GiB';
  const body = repeatedBody(block, size);
  const free = statfsSync(work);
  const needed = size * n * 1.1;
  if (free.bavail * free.bsize < needed + 2 * GiB) {
    console.log(`skipping ${n}×${label}: not enough disk under ${work}`);
    return;
  }
  for (const [op, method] of [['put', 'PUT'], ['get', 'GET']] as const) {
    await cofferFor(`1g-${op}`);
    await row(`1g-${op}`, `${n}×${label} ${method}, c=${n}`, 'MB/s', (side) => closedLoop({
      concurrency: n, maxOps: n, maxMs: 240_000, hardMs: 300_000,
      op: (_i, w, signal) => (method === 'PUT'
        ? send(side.ep, 'PUT', `/${BUCKET}/huge/${w}`, { stream: body, length: size, signal }).then(() => size)
        : send(side.ep, 'GET', `/${BUCKET}/huge/${w}`, { signal }).then((r) => r.bytes)),
    }));
    await endProfile(`1g-${op}`);
  }
  for (const side of [coffer, ceiling]) {
    if (!side) continue;
    for (let w = 0; w < n; w++) await send(side.ep, 'DELETE', `/${BUCKET}/huge/${w}`).catch(() => {});
  }
}

async function phaseSdk(): Promise<void> {
  const { S3Client, PutObjectCommand, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const clientFor = (side: Side): InstanceType<typeof S3Client> => new S3Client({
    endpoint: `http://127.0.0.1:${side.ep.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: ROOT_KEYS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: keepAliveAgent(16) }),
  });
  const maxMs = quick ? 1500 : 4000;
  await cofferFor('sdk');
  const clients = new Map<string, InstanceType<typeof S3Client>>();
  for (const side of [coffer, ceiling]) if (side) clients.set(side.name, clientFor(side));
  await row('sdk-put', '4 KiB PUT, c=16, AWS SDK v3', 'ops/s', (side) => closedLoop({
    concurrency: 16, maxOps: 20_000, maxMs,
    op: (i) => clients.get(side.name)!.send(new PutObjectCommand({ Bucket: BUCKET, Key: `sdk/${i}`, Body: small })).then(() => small.length),
  }));
  await row('sdk-get', '4 KiB GET, c=16, AWS SDK v3', 'ops/s', (side) => closedLoop({
    concurrency: 16, maxOps: 20_000, maxMs,
    op: async (i) => {
      const out = await clients.get(side.name)!.send(new GetObjectCommand({ Bucket: BUCKET, Key: `small/${i % Math.max(1, smallWritten[side.name] ?? 1)}` }));
      let n = 0;
      for await (const c of out.Body as Readable) n += (c as Buffer).length;
      return n;
    },
  }));
  for (const c of clients.values()) c.destroy();
  await endProfile('sdk');
}

// ---------------------------------------------------------------- report

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const TARGETS: Record<string, { text: string; check: (r: Row) => boolean | undefined }> = {
  '64m-get-c1': { text: '≥ 70% of ceiling', check: (r) => (r.coffer && r.ceiling ? r.coffer.mbPerSec >= 0.7 * r.ceiling.mbPerSec : undefined) },
  '64m-get-c4': { text: '≥ 70% of ceiling', check: (r) => (r.coffer && r.ceiling ? r.coffer.mbPerSec >= 0.7 * r.ceiling.mbPerSec : undefined) },
  '4k-get': { text: '≥ 5,000 ops/s', check: (r) => (r.coffer ? r.coffer.opsPerSec >= 5000 : undefined) },
  '4k-put': { text: '≥ 2,000 ops/s', check: (r) => (r.coffer ? r.coffer.opsPerSec >= 2000 : undefined) },
  '1g-put': { text: 'Coffer RSS < 300 MB', check: (r) => (r.coffer ? r.coffer.peakRssMb < 300 : undefined) },
  '1g-get': { text: 'Coffer RSS < 300 MB', check: (r) => (r.coffer ? r.coffer.peakRssMb < 300 : undefined) },
};

function fmtValue(m: Measured | undefined, unit: Row['unit']): string {
  if (!m) return '–';
  const v = unit === 'ops/s' ? m.opsPerSec : m.mbPerSec;
  return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)} ${unit}${m.errors ? ` (${m.errors} err)` : ''}`;
}
const fmtLat = (m: Measured | undefined): string => (m ? `${m.p50.toFixed(m.p50 < 10 ? 2 : 0)} / ${m.p99.toFixed(m.p99 < 10 ? 2 : 0)}` : '–');
const fmtRss = (m: Measured | undefined): string => (m ? m.peakRssMb.toFixed(0) : '–');

function tableRows(): string[][] {
  const header = ['Benchmark', 'Coffer', 'Ceiling', 'Coffer / ceiling', 'Coffer p50 / p99 ms', 'Ceiling p50 / p99 ms', 'Coffer peak RSS MB', 'Ceiling peak RSS MB', 'Target'];
  const out = [header];
  for (const r of rows) {
    const v = (m?: Measured): number => (m ? (r.unit === 'ops/s' ? m.opsPerSec : m.mbPerSec) : NaN);
    const ratio = r.coffer && r.ceiling ? `${((100 * v(r.coffer)) / v(r.ceiling)).toFixed(0)}%` : '–';
    const t = TARGETS[r.phase];
    const verdict = t ? `${t.text}: ${t.check(r) === undefined ? 'n/a' : t.check(r) ? 'met' : '**missed**'}` : '';
    out.push([r.label, fmtValue(r.coffer, r.unit), fmtValue(r.ceiling, r.unit), ratio, fmtLat(r.coffer), fmtLat(r.ceiling), fmtRss(r.coffer), fmtRss(r.ceiling), verdict]);
  }
  return out;
}

function cpuRows(): string[][] {
  const out = [['Benchmark', 'Coffer CPU % of a core', 'Coffer CPU ms/op', 'Ceiling CPU % of a core', 'Ceiling CPU ms/op', 'Client CPU % (vs Coffer / vs ceiling)', 'Other processes CPU % (noise)']];
  const f = (m: Measured | undefined, k: 'serverCpuPct' | 'serverCpuMsPerOp' | 'clientCpuPct' | 'otherCpuPct', d: number): string => (m ? m[k].toFixed(d) : '–');
  for (const r of rows) out.push([r.label, f(r.coffer, 'serverCpuPct', 0), f(r.coffer, 'serverCpuMsPerOp', 3), f(r.ceiling, 'serverCpuPct', 0), f(r.ceiling, 'serverCpuMsPerOp', 3), `${f(r.coffer, 'clientCpuPct', 0)} / ${f(r.ceiling, 'clientCpuPct', 0)}`, `${f(r.coffer, 'otherCpuPct', 0)} / ${f(r.ceiling, 'otherCpuPct', 0)}`]);
  return out;
}

function markdown(t: string[][]): string {
  const [h, ...body] = t;
  return [`| ${h!.join(' | ')} |`, `|${h!.map((_, i) => (i === 0 || (i === 8 && h!.length === 9) ? ' --- ' : ' ---: ')).join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function plain(t: string[][]): string {
  const w = t[0]!.map((_, i) => Math.max(...t.map((r) => r[i]!.length)));
  return t.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join('  ')).join('\n');
}

// ---------------------------------------------------------------- main

const started = new Date();
const t0 = performance.now();
try {
  console.log(`bench: work dir ${work}; coffer pid ${coffer.child.pid} :${cofferPort}${ceiling ? `, ceiling pid ${ceiling.child.pid} :${ceilingPort}` : ''}${quick ? ' (quick)' : ''}`);
  if (only.has('4k')) await phase4k();
  if (only.has('64m')) await phase64m();
  if (only.has('1g')) await phase1g();
  if (only.has('sdk')) await phaseSdk();
} finally {
  await coffer.child.stop();
  await ceiling?.child.stop();
  coffer.ep.agent.destroy();
  ceiling?.ep.agent.destroy();
  await rm(work, { recursive: true, force: true });
}

const seconds = (performance.now() - t0) / 1000;
const machine = `${availableParallelism()} × ${cpuModel()}, ${(totalmem() / GiB).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}`;
const table = tableRows();
console.log(`\n${plain(table)}\n\n${plain(cpuRows())}\n`);
console.log(`machine: ${machine}; ${seconds.toFixed(0)} s`);

const md = [
  `# Coffer S3 benchmark — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `Machine: ${machine}. Whole run: ${seconds.toFixed(0)} s${quick ? ' (--quick)' : ''}${cpuProf ? ' (--cpu-prof: Coffer restarted per phase under the profiler; figures are slower than normal)' : ''}.`,
  '',
  'Coffer and the ceiling are child processes; the load generator (node:http, keep-alive, SigV4 with UNSIGNED-PAYLOAD) shares the same cores. MB = 10^6 bytes. Latency is per operation (whole body for 64 MiB / 1 GiB rows).',
  '',
  markdown(table),
  '',
  'CPU over each phase (from /proc/<pid>/stat; 2 cores = 200%):',
  '',
  markdown(cpuRows()),
  '',
].join('\n');
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'latest.md'), md + (profileNotes.length ? `\n# Profiles\n\n\`\`\`\n${profileNotes.join('\n\n')}\n\`\`\`\n` : ''));
writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify({ started: started.toISOString(), machine, quick, cpuProf, rows }, null, 2) + '\n');
console.log(`wrote ${join(RESULTS, 'latest.md')}`);
