#!/usr/bin/env node
import { Command } from 'commander';
import { configFrom } from '../server/config.js';
import { startServer } from '../server/start.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { SqliteAuditLog } from '../audit/sqlite-audit-log.js';
import { renderRecord } from './render-decision.js';
import { readFileSync } from 'node:fs';
import { validatePolicy, type PolicyKind } from '../policy/index.js';
import { iamDataCatalogue } from '../authz/iam-data-catalogue.js';
import { readCredentialsFile } from '../server/credentials-file.js';
import { createAccount } from '../services/organizations/create-account-client.js';
import { accessApply } from './access-apply.js';
import { renderResults, runSimulation, type SimulateFlags } from './simulate-command.js';

const program = new Command();
program.name('coffer').description('Coffer: the AWS data-access plane (S3, KMS, IAM, STS, Organizations, Access Grants) on one endpoint');

program
  .command('server')
  .description('run the server (each flag also has a COFFER_* environment variable)')
  .option('--host <host>', 'listen address (COFFER_HOST, default 127.0.0.1)')
  .option('--port <port>', 'HTTP port (COFFER_PORT, default 9000)')
  .option('--data-dir <dir>', 'data directory (COFFER_DATA_DIR, default ./data)')
  .option('--region <region>', 'region (COFFER_REGION, default us-east-1)')
  .option('--domains <list>', 'comma-separated domains for virtual-hosted buckets (COFFER_DOMAINS, default localhost)')
  .option('--tls-port <port>', 'HTTPS port (COFFER_TLS_PORT)')
  .option('--tls-cert <file>', 'certificate (PEM) for HTTPS (COFFER_TLS_CERT)')
  .option('--tls-key <file>', 'private key (PEM) for HTTPS (COFFER_TLS_KEY)')
  .option('--account-id <id>', 'management account id (COFFER_ACCOUNT_ID, default 000000000000)')
  .option('--bootstrap <file>', 'bootstrap file, YAML or JSON (COFFER_BOOTSTRAP)')
  .option('--log-level <level>', 'pino log level (COFFER_LOG_LEVEL, default info)')
  .option('--allow-sse-c-over-http', 'accept SSE-C customer keys over plain HTTP, for local testing (COFFER_ALLOW_SSE_C_OVER_HTTP)')
  .action(async (flags: Record<string, string | undefined>) => {
    const config = configFrom(process.env, flags);
    const running = await startServer(config);
    const stop = (): void => {
      running.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('explain <request-id>')
  .description('show the authorization decisions of one request, with the policies and statements that decided it')
  .option('--data-dir <dir>', 'data directory (COFFER_DATA_DIR, default ./data)')
  .option('--json', 'print the records as JSON')
  .action(async (requestId: string, flags: { dataDir?: string; json?: boolean }) => {
    const config = configFrom(process.env, flags.dataDir ? { dataDir: flags.dataDir } : {});
    const path = join(config.dataDir, 'audit.sqlite');
    if (!existsSync(path)) throw new Error(`no audit log at ${path}`);
    const audit = new SqliteAuditLog(path);
    try {
      const records = await audit.byRequestId(requestId.toUpperCase());
      if (records.length === 0) throw new Error(`no decision recorded for request ${requestId}`);
      process.stdout.write(flags.json ? JSON.stringify(records, null, 2) + '\n' : records.map(renderRecord).join('\n\n') + '\n');
    } finally {
      await audit.close();
    }
  });

program
  .command('validate-policy <file>')
  .description('check a policy document as IAM would, with warnings from the Service Authorization Reference')
  .option('--kind <kind>', 'identity | resource | trust | scp | session | key | boundary', 'identity')
  .action((file: string, flags: { kind: string }) => {
    const kinds = ['identity', 'resource', 'trust', 'scp', 'rcp', 'session', 'key', 'boundary'];
    if (!kinds.includes(flags.kind)) throw new Error(`--kind must be one of ${kinds.join(', ')}`);
    const catalogue = iamDataCatalogue();
    const r = validatePolicy(readFileSync(file, 'utf8'), flags.kind as PolicyKind, catalogue ? { catalogue } : {});
    for (const e of r.errors) process.stdout.write(`error    ${e.path}: ${e.message}\n`);
    for (const w of r.warnings) process.stdout.write(`warning  ${w.path}: ${w.message}\n`);
    if (r.errors.length === 0 && r.warnings.length === 0) process.stdout.write('valid\n');
    process.exitCode = r.errors.length ? 1 : 0;
  });

const collect = (v: string, prev: string[]): string[] => [...prev, v];
program
  .command('simulate')
  .description('evaluate policy files offline, as IAM\'s policy simulator does (no server needed)')
  .option('--policy <file>', 'identity policy (repeatable)', collect, [])
  .option('--boundary <file>', 'permissions boundary (repeatable: taken together as one)', collect, [])
  .option('--resource-policy <file>', 'resource-based policy (bucket, key or trust policy)')
  .option('--resource-owner <account-id>', 'account that owns the resource (cross-account when not the caller\'s)')
  .option('--action <action>', 'action to evaluate, e.g. s3:GetObject (repeatable)', collect, [])
  .option('--resource <arn>', 'resource ARN (repeatable; default *)', collect, [])
  .option('--context <key=value>', 'request context key, values comma-separated (repeatable)', collect, [])
  .option('--caller <arn>', 'the caller: an IAM user (default) or role ARN')
  .option('--json', 'print the results as IAM\'s EvaluationResults JSON')
  .action((flags: SimulateFlags & { json?: boolean }) => {
    if (flags.action.length === 0) throw new Error('give at least one --action');
    const results = runSimulation(flags);
    process.stdout.write(flags.json ? JSON.stringify(results, null, 2) + '\n' : renderResults(results) + '\n');
    process.exitCode = results.every((r) => r.EvalDecision === 'allowed') ? 0 : 2;
  });

const accounts = program.command('accounts').description('accounts of the organization (Organizations CreateAccount against a running server)');
accounts
  .command('create')
  .description('create a member account and an admin IAM user in it; prints JSON with the account id and the admin access keys')
  .option('--name <name>', 'account name (default: account-<time>)')
  .option('--email <email>', 'account email (default: <name>@coffer.invalid)')
  .option('--endpoint <url>', 'Coffer endpoint (default: http://COFFER_HOST:COFFER_PORT)')
  .option('--data-dir <dir>', 'where root-credentials.json is, when COFFER_ROOT_ACCESS_KEY_ID/COFFER_ROOT_SECRET_ACCESS_KEY are unset')
  .option('--role-name <name>', 'the role that trusts the management account', 'OrganizationAccountAccessRole')
  .option('--admin-user <name>', 'IAM user to create with AdministratorAccess ("" prints the role session\'s keys instead)', 'admin')
  .action(async (flags: { name?: string; email?: string; endpoint?: string; dataDir?: string; roleName: string; adminUser: string }) => {
    const config = configFrom(process.env, flags.dataDir ? { dataDir: flags.dataDir } : {});
    let credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    if (config.rootAccessKeyId && config.rootSecretAccessKey) credentials = { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey };
    else credentials = await readCredentialsFile(join(config.dataDir, 'root-credentials.json'));
    if (!credentials) throw new Error(`no management credentials: set COFFER_ROOT_ACCESS_KEY_ID and COFFER_ROOT_SECRET_ACCESS_KEY, or pass --data-dir with root-credentials.json`);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const name = flags.name ?? `account-${Date.now().toString(36)}`;
    const created = await createAccount({
      endpoint: flags.endpoint ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      name,
      email: flags.email ?? `${name}@coffer.invalid`,
      roleName: flags.roleName,
      adminUserName: flags.adminUser,
      region: config.region,
    });
    process.stdout.write(JSON.stringify(created, null, 2) + '\n');
  });

const access = program.command('access').description('declarative S3 Access Grants (through the S3 Control API of a running server)');
access
  .command('apply <file>')
  .description('reconcile the account\'s access grants to a YAML or JSON file of locations and data sets; prints the diff')
  .option('--endpoint <url>', 'Coffer endpoint (AWS_ENDPOINT_URL_S3_CONTROL, AWS_ENDPOINT_URL, default http://127.0.0.1:9000)')
  .option('--account-id <id>', 'account whose grants to reconcile (default: the file\'s accountId, else the caller\'s account)')
  .option('--region <region>', 'region (AWS_REGION, default us-east-1)')
  .option('--concurrency <n>', 'requests in flight', '16')
  .option('--dry-run', 'print the plan without changing anything')
  .action(async (file: string, flags: { endpoint?: string; accountId?: string; region?: string; concurrency: string; dryRun?: boolean }) => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)');
    const token = process.env.AWS_SESSION_TOKEN;
    await accessApply(file, {
      endpoint: flags.endpoint ?? process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:9000',
      region: flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      credentials: token ? { accessKeyId, secretAccessKey, sessionToken: token } : { accessKeyId, secretAccessKey },
      ...(flags.accountId ? { accountId: flags.accountId } : {}),
      dryRun: Boolean(flags.dryRun),
      concurrency: Math.max(1, Number(flags.concurrency) || 16),
    });
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`coffer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
