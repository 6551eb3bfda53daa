/**
 * Policy-engine decisions per second on one core (`npm run bench:policy`): a role with five
 * attached policies of ten statements each, every statement with conditions, only the last
 * allowing — beside the same engine deciding a one-statement policy (the ceiling of the
 * evaluation machinery itself), measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { evaluate, parsePolicyOrThrow, type AuthorizationRequest } from '../src/policy/index.js';
import { measureDecisionsPerSecond, perfRequest } from '../src/policy/perf.js';

function ceiling(iterations: number): number {
  const request: AuthorizationRequest = perfRequest();
  const identity = [{ label: 'one', document: parsePolicyOrThrow({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }];
  for (let i = 0; i < 20_000; i++) evaluate(request, { identity }, { trace: false });
  const start = performance.now();
  for (let i = 0; i < iterations; i++) evaluate(request, { identity }, { trace: false });
  return Math.round((iterations / (performance.now() - start)) * 1000);
}

const N = Number(process.env.BENCH_POLICY_ITERATIONS ?? 300_000);
const rows: Array<[string, number, number | undefined]> = [];
const ceil = ceiling(N);
const untraced = measureDecisionsPerSecond(() => performance.now(), N, { trace: false }).perSecond;
const traced = measureDecisionsPerSecond(() => performance.now(), Math.round(N / 3), { trace: true }).perSecond;
rows.push(['5 policies × 10 statements, untraced (request path)', untraced, ceil]);
rows.push(['5 policies × 10 statements, traced (denial path)', traced, ceil]);
rows.push(['1 statement (ceiling)', ceil, ceil]);

const table = ['| benchmark | decisions/s | ceiling | ratio | target |', '|---|--:|--:|--:|---|',
  ...rows.map(([label, v, c]) => `| ${label} | ${v.toLocaleString('en-US')} | ${c?.toLocaleString('en-US') ?? ''} | ${c ? `${Math.round((v / c) * 100)}%` : ''} | ${label.includes('untraced') ? `≥ 500,000: ${v >= 500_000 ? 'met' : 'missed'}` : ''} |`)];
process.stdout.write(table.join('\n') + '\n');
