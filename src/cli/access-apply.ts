// `coffer access apply <file>`: declarative S3 Access Grants. The file lists locations (an S3
// scope and the IAM role S3 Access Grants assumes for it) and data sets (a bucket prefix and
// who may READ or READWRITE it); the command reconciles the account's grants to it through
// the S3 Control API, as any client would: it creates the instance and the missing
// locations, creates missing grants, deletes grants the file no longer lists, and replaces
// grants whose permission or location changed. `--dry-run` prints the plan only.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { signWithHeader, type ClientCredentials } from '../auth/client-signer.js';
import { sha256Hex } from '../auth/sigv4.js';
import { el, S3ControlApiError, S3ControlHttpClient, type XmlObject } from '../protocols/restxml/s3control/client.js';
import { grantScope, parseLocationScope } from '../services/s3control/scope.js';

export interface AccessFile {
  accountId?: string;
  locations: Array<{ scope: string; role: string }>;
  datasets: Array<{ prefix: string; read?: string[]; write?: string[]; readwrite?: string[] }>;
}

type Permission = 'READ' | 'WRITE' | 'READWRITE';

export interface DesiredGrant { grantee: string; scope: string; permission: Permission; locationScope: string; subPrefix: string }
export interface ExistingGrant { id: string; grantee: string; scope: string; permission: string; locationId: string }
export interface ExistingLocation { id: string; scope: string; role: string }

export interface Plan {
  createInstance: boolean;
  createLocations: Array<{ scope: string; role: string }>;
  updateLocations: Array<{ id: string; scope: string; from: string; to: string }>;
  create: DesiredGrant[];
  delete: ExistingGrant[];
  /** Replaced grants: the new one is created before the old one is deleted, so access never lapses. */
  replace: Array<{ from: ExistingGrant; to: DesiredGrant }>;
}

const GRANTEE = /^arn:aws:iam::\d{12}:(?:user|role)\/[\w+=,.@/-]+$/;

export function parseAccessFile(text: string, path: string): AccessFile {
  const doc = (path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text)) as Partial<AccessFile> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${path}: expected a document with locations and datasets`);
  const locations = doc.locations ?? [];
  const datasets = doc.datasets ?? [];
  if (!Array.isArray(locations) || !Array.isArray(datasets)) throw new Error(`${path}: locations and datasets must be lists`);
  for (const [n, l] of locations.entries()) {
    if (typeof l?.scope !== 'string' || typeof l?.role !== 'string') throw new Error(`${path}: locations[${n}] needs scope and role`);
    parseLocationScope(l.scope);
  }
  for (const [n, d] of datasets.entries()) {
    if (typeof d?.prefix !== 'string') throw new Error(`${path}: datasets[${n}] needs a prefix (s3://bucket/prefix*)`);
    for (const k of ['read', 'write', 'readwrite'] as const) {
      const list = d[k];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new Error(`${path}: datasets[${n}].${k} must be a list of IAM user or role ARNs`);
      for (const a of list) if (typeof a !== 'string' || !GRANTEE.test(a)) throw new Error(`${path}: datasets[${n}].${k}: ${String(a)} is not an IAM user or role ARN`);
    }
  }
  const out: AccessFile = { locations, datasets };
  if (doc.accountId !== undefined) out.accountId = String(doc.accountId);
  return out;
}

/** Every grant the file asks for, each under the most specific location of the file that covers it. */
export function desiredGrants(file: AccessFile): DesiredGrant[] {
  const locations = file.locations.map((l) => ({ ...l, base: parseLocationScope(l.scope) }));
  const out = new Map<string, DesiredGrant>();
  for (const d of file.datasets) {
    if (!d.prefix.startsWith('s3://')) throw new Error(`dataset ${d.prefix}: the prefix must start with s3://`);
    const key = d.prefix.slice(5).replace(/\*$/, '');
    const loc = locations.filter((l) => key.startsWith(l.base.baseKey)).sort((a, b) => b.base.baseKey.length - a.base.baseKey.length)[0];
    if (!loc) throw new Error(`dataset ${d.prefix}: no location of the file covers it`);
    const subPrefix = `${key.slice(loc.base.baseKey.length)}*`;
    const { scope } = grantScope(loc.base, subPrefix, false);
    const add = (grantee: string, permission: Permission): void => {
      const k = `${grantee}\n${scope}`;
      const prev = out.get(k);
      // A grantee listed twice for one data set gets both: READ and WRITE make READWRITE.
      const p: Permission = prev && prev.permission !== permission ? 'READWRITE' : permission;
      out.set(k, { grantee, scope, permission: p, locationScope: loc.scope, subPrefix });
    };
    for (const a of d.read ?? []) add(a, 'READ');
    for (const a of d.write ?? []) add(a, 'WRITE');
    for (const a of d.readwrite ?? []) add(a, 'READWRITE');
  }
  return [...out.values()];
}

export function planAccess(file: AccessFile, instanceExists: boolean, locations: ExistingLocation[], grants: ExistingGrant[]): Plan {
  const plan: Plan = { createInstance: !instanceExists, createLocations: [], updateLocations: [], create: [], delete: [], replace: [] };
  const byScope = new Map(locations.map((l) => [l.scope, l]));
  for (const l of file.locations) {
    const cur = byScope.get(l.scope);
    if (!cur) plan.createLocations.push(l);
    else if (cur.role !== l.role) plan.updateLocations.push({ id: cur.id, scope: l.scope, from: cur.role, to: l.role });
  }
  const locationIdOf = new Map(locations.map((l) => [l.scope, l.id]));
  const existing = new Map<string, ExistingGrant[]>();
  for (const g of grants) {
    const k = `${g.grantee}\n${g.scope}`;
    existing.set(k, [...(existing.get(k) ?? []), g]);
  }
  for (const d of desiredGrants(file)) {
    const k = `${d.grantee}\n${d.scope}`;
    const cur = existing.get(k) ?? [];
    existing.delete(k);
    const locId = locationIdOf.get(d.locationScope);
    const same = cur.find((g) => g.permission === d.permission && g.locationId === locId);
    if (same) {
      plan.delete.push(...cur.filter((g) => g !== same));
    } else if (cur.length > 0) {
      plan.replace.push({ from: cur[0]!, to: d });
      plan.delete.push(...cur.slice(1));
    } else {
      plan.create.push(d);
    }
  }
  for (const rest of existing.values()) plan.delete.push(...rest);
  return plan;
}

export function planSize(p: Plan): number {
  return (p.createInstance ? 1 : 0) + p.createLocations.length + p.updateLocations.length + p.create.length + p.delete.length + p.replace.length;
}

export function renderPlan(p: Plan): string {
  const lines: string[] = [];
  if (p.createInstance) lines.push('+ instance default');
  for (const l of p.createLocations) lines.push(`+ location ${l.scope} role ${l.role}`);
  for (const l of p.updateLocations) lines.push(`~ location ${l.scope} role ${l.from} -> ${l.to}`);
  for (const g of p.create) lines.push(`+ grant ${g.permission} ${g.scope} ${g.grantee}`);
  for (const r of p.replace) lines.push(`~ grant ${r.to.scope} ${r.to.grantee} ${r.from.permission} -> ${r.to.permission}${r.to.permission === r.from.permission ? ' (location changed)' : ''}`);
  for (const g of p.delete) lines.push(`- grant ${g.permission} ${g.scope} ${g.grantee}`);
  if (planSize(p) === 0) lines.push('No changes.');
  else lines.push(`Plan: ${p.createLocations.length} location(s) to create, ${p.updateLocations.length} to update; ${p.create.length} grant(s) to create, ${p.replace.length} to replace, ${p.delete.length} to delete.`);
  return lines.join('\n') + '\n';
}

async function callerAccount(endpoint: string, region: string, creds: ClientCredentials): Promise<string> {
  const url = new URL(endpoint);
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const { headers } = signWithHeader({ method: 'POST', rawPath: '/', headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' } }, creds, region, 'sts', new Date(), sha256Hex(body));
  const { host: _h, ...send } = headers;
  const res = await fetch(new URL('/', url), { method: 'POST', headers: send, body });
  const text = await res.text();
  const m = /<Account>(\d{12})<\/Account>/.exec(text);
  if (!res.ok || !m) throw new Error(`GetCallerIdentity failed (${res.status}): pass --account-id`);
  return m[1]!;
}

function asList(v: unknown): XmlObject[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v as XmlObject[] : [v as XmlObject];
}

async function readState(c: S3ControlHttpClient): Promise<{ instance: boolean; locations: ExistingLocation[]; grants: ExistingGrant[] }> {
  try {
    await c.call('GetAccessGrantsInstance', 'GET', 'accessgrantsinstance');
  } catch (e) {
    if (e instanceof S3ControlApiError && e.code === 'AccessGrantsInstanceNotExistsError') return { instance: false, locations: [], grants: [] };
    throw e;
  }
  const locations: ExistingLocation[] = [];
  let token: string | undefined;
  do {
    const r = await c.call('ListAccessGrantsLocations', 'GET', 'accessgrantsinstance/locations', { maxResults: '1000', nextToken: token });
    for (const l of asList((r.AccessGrantsLocationsList as XmlObject | undefined)?.AccessGrantsLocation)) {
      locations.push({ id: String(l.AccessGrantsLocationId), scope: String(l.LocationScope), role: String(l.IAMRoleArn) });
    }
    token = r.NextToken ? String(r.NextToken) : undefined;
  } while (token);
  const grants: ExistingGrant[] = [];
  do {
    const r = await c.call('ListAccessGrants', 'GET', 'accessgrantsinstance/grants', { maxResults: '1000', granteetype: 'IAM', nextToken: token });
    for (const g of asList((r.AccessGrantsList as XmlObject | undefined)?.AccessGrant)) {
      const grantee = g.Grantee as XmlObject;
      grants.push({ id: String(g.AccessGrantId), grantee: String(grantee.GranteeIdentifier), scope: String(g.GrantScope), permission: String(g.Permission), locationId: String(g.AccessGrantsLocationId) });
    }
    token = r.NextToken ? String(r.NextToken) : undefined;
  } while (token);
  return { instance: true, locations, grants };
}

/** Runs tasks `width` at a time, reporting progress on stderr when there are many. */
async function runAll(tasks: Array<() => Promise<void>>, width: number, progress: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++]!;
      await t();
      progress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}

export interface ApplyOptions {
  endpoint: string;
  region: string;
  credentials: ClientCredentials;
  accountId?: string;
  dryRun?: boolean;
  concurrency?: number;
  out?: (s: string) => void;
  err?: (s: string) => void;
}

export async function accessApply(path: string, o: ApplyOptions): Promise<Plan> {
  const out = o.out ?? ((s: string) => process.stdout.write(s));
  const err = o.err ?? ((s: string) => process.stderr.write(s));
  const file = parseAccessFile(readFileSync(path, 'utf8'), path);
  const accountId = o.accountId ?? file.accountId ?? await callerAccount(o.endpoint, o.region, o.credentials);
  const width = o.concurrency ?? 16;
  const c = new S3ControlHttpClient({ endpoint: o.endpoint, region: o.region, credentials: o.credentials, accountId, maxSockets: width });
  try {
    const state = await readState(c);
    const plan = planAccess(file, state.instance, state.locations, state.grants);
    out(renderPlan(plan));
    if (o.dryRun || planSize(plan) === 0) return plan;

    if (plan.createInstance) await c.call('CreateAccessGrantsInstance', 'POST', 'accessgrantsinstance', {}, '');
    const locationIds = new Map(state.locations.map((l) => [l.scope, l.id]));
    for (const l of plan.createLocations) {
      const r = await c.call('CreateAccessGrantsLocation', 'POST', 'accessgrantsinstance/location', {}, el('LocationScope', l.scope) + el('IAMRoleArn', l.role));
      locationIds.set(l.scope, String(r.AccessGrantsLocationId));
    }
    for (const l of plan.updateLocations) {
      await c.call('UpdateAccessGrantsLocation', 'PUT', `accessgrantsinstance/location/${encodeURIComponent(l.id)}`, {}, el('IAMRoleArn', l.to));
    }
    const create = (g: DesiredGrant) => async (): Promise<void> => {
      const body = el('AccessGrantsLocationId', locationIds.get(g.locationScope))
        + `<AccessGrantsLocationConfiguration>${el('S3SubPrefix', g.subPrefix)}</AccessGrantsLocationConfiguration>`
        + `<Grantee>${el('GranteeType', 'IAM')}${el('GranteeIdentifier', g.grantee)}</Grantee>${el('Permission', g.permission)}`;
      await c.call('CreateAccessGrant', 'POST', 'accessgrantsinstance/grant', {}, body);
    };
    const remove = (g: ExistingGrant) => async (): Promise<void> => {
      try {
        await c.call('DeleteAccessGrant', 'DELETE', `accessgrantsinstance/grant/${encodeURIComponent(g.id)}`);
      } catch (e) {
        if (!(e instanceof S3ControlApiError && e.code === 'NoSuchAccessGrantError')) throw e;
      }
    };
    // Removals first (room under the quota), then new grants, then the grants they replace.
    const phases = [plan.delete.map(remove), [...plan.create, ...plan.replace.map((r) => r.to)].map(create), plan.replace.map((r) => remove(r.from))];
    const total = phases.reduce((n, p) => n + p.length, 0);
    const large = total >= 1000;
    let base = 0;
    let last = 0;
    for (const tasks of phases) {
      await runAll(tasks, width, (d) => {
        const now = Date.now();
        if (large && (now - last > 1000 || base + d === total)) {
          last = now;
          err(`applied ${base + d}/${total}\n`);
        }
      });
      base += tasks.length;
    }
    out(`Applied: ${total} grant change(s).\n`);
    return plan;
  } finally {
    c.close();
  }
}
