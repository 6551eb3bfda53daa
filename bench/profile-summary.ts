// Where the time goes in a V8 .cpuprofile (from `node --cpu-prof`): self time by category
// and by function, and inclusive time of Coffer's own functions. Usage:
//   node dist/bench/profile-summary.js <file.cpuprofile>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/dist\//, '')
    .replace(/^file:\/\/.*?\/node_modules\//, 'node_modules/')
    .replace(/^node:internal\//, 'node:');
}

function frameName(f: CallFrame): string {
  const u = shortUrl(f.url);
  return `${f.functionName || '(anonymous)'}${u ? ` ${u}:${f.lineNumber + 1}` : ''}`;
}

/** The first rule that matches a frame, leaf to root, names the sample's category. */
const RULES: Array<[string, (f: CallFrame) => boolean]> = [
  ['idle (waiting: I/O, fsync in the thread pool, client)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['SQLite (better-sqlite3, synchronous: statements, COMMIT + WAL fsync)', (f) => f.url.includes('better-sqlite3')],
  ['AES-256-GCM (cipher update/final)', (f) => /crypto\/cipher/.test(f.url)],
  ['hash/HMAC update+digest (MD5, SHA-256, SigV4)', (f) => /crypto\/(hash|hmac)/.test(f.url)],
  ['randomBytes', (f) => /crypto\/random/.test(f.url)],
  ['logging (pino)', (f) => f.url.includes('pino')],
  ['XML (fast-xml-parser)', (f) => f.url.includes('fast-xml-parser')],
  ['HTTP parse/serialise (node:_http_*)', (f) => /_http_/.test(f.url)],
  ['streams (node:streams/*)', (f) => /node:internal\/streams|node:stream/.test(f.url)],
  ['fs calls (node:fs/*)', (f) => /node:internal\/fs|node:fs/.test(f.url)],
  ['sockets (node:net, stream_base)', (f) => /node:net|stream_base_commons/.test(f.url)],
  ['Coffer code (own frames)', (f) => f.url.includes('/dist/src/')],
  ['other native / program', (f) => f.functionName === '(program)' || f.url === ''],
];

export function summarize(p: CpuProfile, top = 25): string {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const cats = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000; // ms until the next sample
    total += dt;
    const leaf = byId.get(p.samples[i]!)!;
    if (leaf.callFrame.functionName === '(idle)') idle += dt;
    const leafName = frameName(leaf.callFrame);
    self.set(leafName, (self.get(leafName) ?? 0) + dt);
    let cat = 'other';
    const seen = new Set<string>();
    let catFound = false;
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (!catFound) {
        for (const [name, test] of RULES) if (test(f)) { cat = name; catFound = true; break; }
      }
      if (f.url.includes('/dist/src/')) {
        const k = frameName(f);
        if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + dt); }
      }
    }
    cats.set(cat, (cats.get(cat) ?? 0) + dt);
  }
  const busy = total - idle;
  const pct = (v: number, of: number): string => `${((100 * v) / of).toFixed(1).padStart(5)}%`;
  const lines: string[] = [];
  lines.push(`profile: ${(total / 1000).toFixed(2)} s sampled, busy ${(busy / 1000).toFixed(2)} s (${pct(busy, total).trim()}), idle ${(idle / 1000).toFixed(2)} s`);
  lines.push('', 'self time by category (first matching frame, leaf to root); % of busy:');
  for (const [k, v] of [...cats].sort((a, b) => b[1] - a[1])) {
    if (k.startsWith('idle')) continue;
    lines.push(`  ${pct(v, busy)} ${v.toFixed(0).padStart(7)} ms  ${k}`);
  }
  lines.push('', `top ${top} functions by self time; % of busy:`);
  for (const [k, v] of [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${pct(v, busy)} ${v.toFixed(0).padStart(7)} ms  ${k}`);
  }
  lines.push('', `top ${top} Coffer functions by inclusive time; % of busy:`);
  for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${pct(v, busy)} ${v.toFixed(0).padStart(7)} ms  ${k}`);
  }
  return lines.join('\n');
}

export function summarizeFile(path: string, top?: number): string {
  return summarize(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, top);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv[2]) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarizeFile(process.argv[2], process.argv[3] ? Number(process.argv[3]) : undefined));
}
