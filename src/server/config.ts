import { resolve } from 'node:path';

/** Every setting of the server; each has a COFFER_* variable and a `coffer server` flag. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  region: string;
  /** Domains under which `<bucket>.<domain>` is virtual-hosted addressing. */
  domains: string[];
  tlsPort?: number;
  tlsCert?: string;
  tlsKey?: string;
  masterKey?: string;
  accountId: string;
  rootAccessKeyId?: string;
  rootSecretAccessKey?: string;
  bootstrap?: string;
  logLevel: string;
  /** Objects up to this size live inline in the metadata store. */
  inlineMaxBytes: number;
  maxObjectSize: number;
  /** Accept SSE-C keys over plain HTTP (local testing only: S3 refuses them without TLS). */
  allowSseCOverHttp?: boolean;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 9000,
  dataDir: './data',
  region: 'us-east-1',
  domains: 'localhost',
  accountId: '000000000000',
  logLevel: 'info',
} as const;

type Source = Record<string, string | undefined>;

export function configFrom(env: Source, flags: Source = {}): Config {
  const get = (flag: string, name: string): string | undefined => flags[flag] ?? env[name] ?? undefined;
  const port = Number(get('port', 'COFFER_PORT') ?? DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${get('port', 'COFFER_PORT')}`);
  const tls = get('tlsPort', 'COFFER_TLS_PORT');
  const accountId = get('accountId', 'COFFER_ACCOUNT_ID') ?? DEFAULTS.accountId;
  if (!/^\d{12}$/.test(accountId)) throw new Error('COFFER_ACCOUNT_ID must be 12 digits');
  const cfg: Config = {
    host: get('host', 'COFFER_HOST') ?? DEFAULTS.host,
    port,
    dataDir: resolve(get('dataDir', 'COFFER_DATA_DIR') ?? DEFAULTS.dataDir),
    region: get('region', 'COFFER_REGION') ?? DEFAULTS.region,
    domains: (get('domains', 'COFFER_DOMAINS') ?? DEFAULTS.domains).split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
    accountId,
    logLevel: get('logLevel', 'COFFER_LOG_LEVEL') ?? DEFAULTS.logLevel,
    inlineMaxBytes: 128 * 1024,
    maxObjectSize: 5 * 1024 ** 3,
  };
  if (tls !== undefined) {
    cfg.tlsPort = Number(tls);
    cfg.tlsCert = get('tlsCert', 'COFFER_TLS_CERT');
    cfg.tlsKey = get('tlsKey', 'COFFER_TLS_KEY');
    if (!cfg.tlsCert || !cfg.tlsKey) throw new Error('COFFER_TLS_PORT needs COFFER_TLS_CERT and COFFER_TLS_KEY');
  }
  const opt = (k: 'masterKey' | 'rootAccessKeyId' | 'rootSecretAccessKey' | 'bootstrap', name: string): void => {
    const v = get(k, name);
    if (v) cfg[k] = v;
  };
  opt('masterKey', 'COFFER_MASTER_KEY');
  opt('rootAccessKeyId', 'COFFER_ROOT_ACCESS_KEY_ID');
  opt('rootSecretAccessKey', 'COFFER_ROOT_SECRET_ACCESS_KEY');
  opt('bootstrap', 'COFFER_BOOTSTRAP');
  const sseC = get('allowSseCOverHttp', 'COFFER_ALLOW_SSE_C_OVER_HTTP');
  if (sseC !== undefined && sseC !== 'false' && sseC !== '0' && sseC !== '') cfg.allowSseCOverHttp = true;
  return cfg;
}
